package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/sandbox"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/mail/trim"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	register("inbox sync", "inbox sync [--json]",
		"Import replies from the incoming mailbox (or the sandbox): only mail that belongs to your cohorts.", inboxSync)
	registerReader("conversations list", "conversations list --cohort NAME [--json]",
		"Each post of the cohort with its replies: who wrote, when, the trimmed text and why it was matched.", conversationsList)
	register("conversations answer", "conversations answer REPLY_ID --body FILE.md [--to-all] [--json]",
		"Answer a member's reply through the outbox, in their thread: to them, or with --to-all to the whole cohort (then run outbox send).", conversationsAnswer)
	registerReader("unmatched list", "unmatched list [--json]",
		"Mail that looks like a reply but could not be placed: waiting for you to assign or ignore it.", unmatchedList)
	register("sandbox reply-as", "sandbox reply-as EMAIL --text TEXT [--html] [--from OTHER-ADDRESS]",
		"Reply as a member, from their sandbox mailbox, to the newest message they received (to try the loop with no account).", sandboxReplyAs)
	registerReader("inspect", "inspect FILE.eml [--json] [--body-only]",
		"Explain how Roundtable reads one message: sender, kind, thread match and why, trimmed text. With --body-only FILE is a bare text body and only the trimmed text is printed.", inspect)
}

func inboxSync(env *Env, args []string) error {
	fs := flag.NewFlagSet("inbox sync", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	inbox.PrepareTLS() // while the workspace opens
	return env.workspace(func(db *store.DB) error {
		m, err := env.mail(db)
		if err != nil {
			return err
		}
		defer m.close()
		sum, err := m.sync(env, db)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, sum)
		}
		printSync(env, sum)
		return nil
	})
}

func printSync(env *Env, sum app.SyncSummary) {
	fmt.Fprintf(env.Stdout, "Scanned %d: imported %d replies, %d answers to session invitations, %d auto-replies, %d bounces, %d unsubscribes, %d unmatched, %d skipped as unrelated.\n",
		sum.Scanned, sum.Imported, sum.RSVPs, sum.AutoReplies, sum.Bounces, sum.Unsubscribe, sum.Unmatched, sum.Skipped)
	if sum.Personal > 0 {
		fmt.Fprintf(env.Stdout, "1:1 mail with clients: %d message(s) kept on their pages.\n", sum.Personal)
	}
	if sum.Done > 0 {
		fmt.Fprintf(env.Stdout, "%d lessons marked done by a \"done\" reply.\n", sum.Done)
	}
	for _, n := range sum.Notes {
		fmt.Fprintln(env.Stdout, "Note: "+n)
	}
}

func conversationsList(env *Env, args []string) error {
	fs := flag.NewFlagSet("conversations list", flag.ContinueOnError)
	cohortName := fs.String("cohort", "", "")
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *cohortName == "" {
		return fmt.Errorf("%w: name the cohort with --cohort", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		cohort, err := db.FindCohortByName(env.Ctx, *cohortName)
		if err != nil {
			return err
		}
		convs, err := db.ListConversations(env.Ctx, cohort.ID)
		if err != nil {
			return err
		}
		from, err := senderOf(env.Ctx, db)
		if err != nil {
			return err
		}
		compose.TitleConversations(from, convs)
		if *asJSON {
			return writeJSON(env.Stdout, convs)
		}
		for _, c := range convs {
			fmt.Fprintf(env.Stdout, "%s — %d replies, %d not yet\n", c.Post.Title, len(c.Replies), len(c.NotReplied))
			for _, r := range c.Replies {
				fmt.Fprintf(env.Stdout, "  #%d %s <%s>, %s (%s; sender %s%s):\n", r.ID, r.Name, r.Email, r.ReceivedAt.Local().Format("2 Jan 15:04"),
					r.MatchWords, r.Trust, map[bool]string{true: ", shown to the group", false: ", not shown to the group"}[r.Shared])
				for _, line := range strings.Split(r.Text, "\n") {
					fmt.Fprintln(env.Stdout, "    "+line)
				}
				for _, a := range r.Answers {
					fmt.Fprintf(env.Stdout, "    Your answer%s:\n", map[bool]string{true: " to the whole cohort", false: ""}[a.ToAll])
					for _, line := range strings.Split(strings.TrimSpace(a.Body), "\n") {
						fmt.Fprintln(env.Stdout, "      "+line)
					}
				}
			}
		}
		return nil
	})
}

func unmatchedList(env *Env, args []string) error {
	fs := flag.NewFlagSet("unmatched list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		us, err := db.Unmatched(env.Ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, us)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tFROM\tSUBJECT\tWHY")
		for _, u := range us {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", u.ID, u.FromEmail, u.Subject, u.Reason)
		}
		return tw.Flush()
	})
}

func inspect(env *Env, args []string) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	bodyOnly := fs.Bool("body-only", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name one .eml file (or - for standard input)", errUsage)
	}
	var raw []byte
	if pos[0] == "-" {
		raw, err = io.ReadAll(env.Stdin)
	} else {
		raw, err = os.ReadFile(pos[0])
	}
	if err != nil {
		return app.Wrap(app.EINVALID, err, "%s could not be read", pos[0])
	}
	if *bodyOnly {
		r := trim.Reply(string(raw))
		if *asJSON {
			return writeJSON(env.Stdout, struct {
				Text   string `json:"text"`
				Quoted string `json:"quoted"`
			}{r.Text, r.Quoted})
		}
		fmt.Fprintln(env.Stdout, r.Text)
		return nil
	}
	return env.workspace(func(db *store.DB) error {
		opts, err := account.IncomingPolicy(env.Ctx, db)
		if err != nil {
			return err
		}
		in, err := inbox.Inspect(env.Ctx, raw, db, opts)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, in)
		}
		w := env.Stdout
		fmt.Fprintf(w, "From:     %s <%s>", in.FromName, in.FromEmail)
		if in.ClientID != 0 {
			fmt.Fprintf(w, " — client %s", in.ClientName)
		} else {
			fmt.Fprint(w, " — not a client")
		}
		fmt.Fprintf(w, "\nSubject:  %s\nImported: %v (%s)\n", in.Subject, in.Relevant, in.Why)
		if in.Kind != "" {
			fmt.Fprintf(w, "Kind:     %s (%s)\n", in.Kind, in.KindReason)
		}
		if in.Trust != "" {
			fmt.Fprintf(w, "Sender:   %s (%s)\n", in.Trust, in.TrustReason)
		}
		if in.PostID != 0 {
			fmt.Fprintf(w, "Thread:   %q, matched by %s\n", in.PostSubject, in.MatchReason)
		} else if in.Unmatched != "" {
			fmt.Fprintf(w, "Thread:   none — %s\n", in.Unmatched)
		}
		for _, n := range in.Notes {
			fmt.Fprintln(w, "Note:     "+n)
		}
		fmt.Fprintf(w, "\n--- what the member wrote ---\n%s\n", in.Text)
		if in.Quoted != "" {
			fmt.Fprintf(w, "\n--- trimmed (quoted text, signature) ---\n%s\n", in.Quoted)
		}
		return nil
	})
}

func sandboxReplyAs(env *Env, args []string) error {
	fs := flag.NewFlagSet("sandbox reply-as", flag.ContinueOnError)
	text := fs.String("text", "", "")
	from := fs.String("from", "", "")
	asHTML := fs.Bool("html", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *text == "" {
		return fmt.Errorf("%w: name the member's address and give --text", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		cfg, err := account.SandboxConfig(env.Ctx, db)
		if err != nil {
			return err
		}
		sb, err := sandbox.Start(env.Ctx, db, cfg)
		if err != nil {
			return err
		}
		defer sb.Close()
		msgs, err := sb.Messages(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			return app.Errorf(app.ENOTFOUND, "The sandbox mailbox of %s is empty: send them something first.", pos[0])
		}
		reply := sb.ReplyAs
		if *asHTML {
			reply = sb.ReplyAsHTML // --text is HTML, sent as an HTML-only mail app would
		}
		if err := reply(env.Ctx, pos[0], msgs[len(msgs)-1].ID, *text, *from); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Replied as %s to %q. Run \"roundtable inbox sync\" to import it.\n", pos[0], msgs[len(msgs)-1].Subject)
		return nil
	})
}

func conversationsAnswer(env *Env, args []string) error {
	fs := flag.NewFlagSet("conversations answer", flag.ContinueOnError)
	bodyFile := fs.String("body", "", "")
	toAll := fs.Bool("to-all", false, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *bodyFile == "" {
		return fmt.Errorf("%w: give the reply's id (from conversations list --json) and --body FILE.md", errUsage)
	}
	replyID, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not a reply id", errUsage, pos[0])
	}
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		return app.Wrap(app.EINVALID, err, "The body file %s could not be read", *bodyFile)
	}
	return env.workspace(func(db *store.DB) error {
		from, err := senderOf(env.Ctx, db)
		if err != nil {
			return err
		}
		p, err := sending.Answer(env.Ctx, db, from, replyID, string(body), *toAll)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, p)
		}
		fmt.Fprintf(env.Stdout, "Queued your answer %q (post %d): %d message(s). Run \"roundtable outbox send\" to send it.\n",
			p.Subject, p.ID, p.Counts[app.OutboxQueued])
		return nil
	})
}
