package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	register("digest settings", "digest settings --cohort NAME [--schedule daily|weekly|off] [--day mon..sun] [--hour 0-23] [--member-local on|off] [--approval on|off] [--note TEXT] [--json]",
		"Show a cohort's digest schedule, or change it with the options given (the others stay as they are).", digestSettings)
	registerReader("digest preview", "digest preview --cohort NAME --member EMAIL [--at RFC3339] [--json]",
		"Show the next digest a member will get, rendered as the real mail, and when it goes. Records nothing.", digestPreview)
	registerReader("digest history", "digest history --member EMAIL [--json]",
		"List the digests a member received, newest first, with what each carried.", digestHistory)
	register("members set-delivery", "members set-delivery --cohort NAME EMAIL... --mode individual|digest|none",
		"Set how members get the cohort's mail: every post as it happens, the digest only, or nothing for now.", membersSetDelivery)
	for _, m := range replyMarks {
		register("conversations "+m.word, "conversations "+m.word+" REPLY_ID [--undo]", m.summary, conversationsMark(m))
	}
}

// weekdays are the --day words, Sunday first as time.Weekday counts.
var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// onOffFlag is an --x on|off option that remembers whether it was given.
type onOffFlag struct {
	set, on bool
}

func (f *onOffFlag) String() string { return onOff(f.on) }

func (f *onOffFlag) Set(s string) error {
	switch strings.ToLower(s) {
	case "on", "yes", "true":
		f.on = true
	case "off", "no", "false":
		f.on = false
	default:
		return fmt.Errorf("say on or off")
	}
	f.set = true
	return nil
}

func digestSettings(env *Env, args []string) error {
	fs := flag.NewFlagSet("digest settings", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	schedule := fs.String("schedule", "", "")
	day := fs.String("day", "", "")
	hour := fs.Int("hour", -1, "")
	note := fs.String("note", "\x00", "")
	var memberLocal, approval onOffFlag
	fs.Var(&memberLocal, "member-local", "")
	fs.Var(&approval, "approval", "")
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 || *cohort == "" {
		return fmt.Errorf("%w: name the cohort with --cohort", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, *cohort)
		if err != nil {
			return err
		}
		s, err := db.DigestSettings(env.Ctx, c.ID)
		if err != nil {
			return err
		}
		changed := true
		switch {
		case *schedule != "":
			s.Every = strings.ToLower(*schedule)
		case *day != "", *hour >= 0, memberLocal.set, approval.set, *note != "\x00":
		default:
			changed = false
		}
		if *day != "" {
			i := indexOf(weekdays, strings.ToLower(*day)[:min(3, len(*day))])
			if i < 0 {
				return fmt.Errorf("%w: --day takes mon, tue, wed, thu, fri, sat or sun", errUsage)
			}
			s.Weekday = i
		}
		if *hour >= 0 {
			s.Hour = *hour
		}
		if memberLocal.set {
			s.MemberLocal = memberLocal.on
		}
		if approval.set {
			s.Approval = approval.on
		}
		if *note != "\x00" {
			s.Note = *note
		}
		if changed {
			if err := digest.SaveSettings(env.Ctx, db, c.ID, s); err != nil {
				return err
			}
		}
		s, err = digest.Settings(env.Ctx, db, c.ID, time.Now())
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, s)
		}
		fmt.Fprintf(env.Stdout, "%s: %s.\n", c.Name, s.Described)
		if s.Next != nil {
			fmt.Fprintf(env.Stdout, "Next digest: %s.\n", s.Next.Format("Mon 2 Jan 2006 15:04 MST"))
		}
		fmt.Fprintf(env.Stdout, "Replies enter it %s.\n", map[bool]string{true: "once you approve them", false: "as they arrive (when their sender is verified)"}[s.Approval])
		if s.Note != "" {
			fmt.Fprintf(env.Stdout, "Your note for the next digest: %s\n", s.Note)
		}
		return nil
	})
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// atFlag is an --at RFC3339 option; now when not given.
func atFlag(fs *flag.FlagSet) func() (time.Time, error) {
	at := fs.String("at", "", "")
	return func() (time.Time, error) {
		if *at == "" {
			return time.Now(), nil
		}
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return t, fmt.Errorf("%w: --at takes a time like 2026-05-03T09:00:00+02:00", errUsage)
		}
		return t, nil
	}
}

func digestPreview(env *Env, args []string) error {
	fs := flag.NewFlagSet("digest preview", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	member := fs.String("member", "", "")
	at := atFlag(fs)
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 || *cohort == "" || *member == "" {
		return fmt.Errorf("%w: give --cohort NAME and --member EMAIL", errUsage)
	}
	when, err := at()
	if err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, *cohort)
		if err != nil {
			return err
		}
		m, err := db.FindClientByEmail(env.Ctx, *member)
		if err != nil {
			return err
		}
		from, err := senderOf(env.Ctx, db)
		if err != nil {
			return err
		}
		p, err := sending.PreviewDigest(env.Ctx, db, from, c.ID, m.ID, when)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, p)
		}
		if p.Empty {
			fmt.Fprintf(env.Stdout, "Nothing new for %s since their last digest: none would be sent at %s.\n", m.Name, p.SendAt.Format(time.RFC1123))
			return nil
		}
		fmt.Fprintf(env.Stdout, "Subject: %s\nGoes: %s\n\n%s", p.Subject, p.SendAt.Format(time.RFC1123), p.Text)
		return nil
	})
}

func digestHistory(env *Env, args []string) error {
	fs := flag.NewFlagSet("digest history", flag.ContinueOnError)
	member := fs.String("member", "", "")
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 || *member == "" {
		return fmt.Errorf("%w: give --member EMAIL", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		m, err := db.FindClientByEmail(env.Ctx, *member)
		if err != nil {
			return err
		}
		ds, err := db.DigestHistory(env.Ctx, m.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, ds)
		}
		if len(ds) == 0 {
			fmt.Fprintf(env.Stdout, "%s has not received a digest yet.\n", m.Name)
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "WHEN\tCOHORT\tITEMS\tSTATE")
		for _, d := range ds {
			zone := digest.Zone(d.Zone, time.UTC)
			state := d.State
			if state == "" {
				state = "empty, not sent"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", d.Period.In(zone).Format("Mon 2 Jan 2006 15:04 MST"), d.Cohort, len(d.Items), state)
		}
		return tw.Flush()
	})
}

func membersSetDelivery(env *Env, args []string) error {
	fs := flag.NewFlagSet("members set-delivery", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	mode := fs.String("mode", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *cohort == "" || len(pos) == 0 || indexOf(app.DeliveryModes, *mode) < 0 {
		return fmt.Errorf("%w: give --cohort NAME, at least one member's email and --mode individual, digest or none", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, *cohort)
		if err != nil {
			return err
		}
		ids, err := clientIDsByEmail(env, db, pos)
		if err != nil {
			return err
		}
		n, err := db.SetDelivery(env.Ctx, c.ID, ids, *mode)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%d of %d now get %s: %s.\n", n, len(ids), c.Name, map[string]string{
			app.DeliveryIndividual: "every post as it happens, and the digest of the others' replies",
			app.DeliveryDigest:     "the digest only",
			app.DeliveryNone:       "nothing for now",
		}[*mode])
		return nil
	})
}

// replyMark is one of the coach's marks on a reply, a command each.
type replyMark struct {
	word, summary, done, undone string
	set                         func(db *store.DB, ctx context.Context, replyID int64, on bool) error
}

// replyMarks are the conversations commands that set or (with --undo) clear a
// mark on a reply.
var replyMarks = []replyMark{
	{"approve", "Show a reply to the other members whatever its sender check (or, with --undo, take that back).",
		"Approved: the other members will see this reply.", "The reply is shown to the other members only if its sender is trusted enough.",
		func(db *store.DB, ctx context.Context, id int64, on bool) error { return db.ApproveReply(ctx, id, on) }},
	{"hide", "Keep a reply out of the digests (it stays in the conversation); --undo lets it in again.",
		"Hidden: the reply stays in the conversation but no digest carries it.", "The reply can appear in digests again.", mark(store.MarkHidden)},
	{"highlight", "Put a reply first among its post's replies, marked; --undo takes the mark off.",
		"Highlighted: the reply comes first among its post's replies.", "The reply is no longer highlighted.", mark(store.MarkHighlighted)},
	{"pin", "Put a reply at the top of the next digests until unpinned with --undo.",
		"Pinned: the reply heads the next digests until you unpin it.", "The reply is no longer pinned.", mark(store.MarkPinned)},
	{"private", "Show a reply to you only, never to the other members; --undo shares it again.",
		"Private: only you see this reply.", "The reply is no longer private.", mark(store.MarkPrivate)},
}

func mark(name string) func(db *store.DB, ctx context.Context, id int64, on bool) error {
	return func(db *store.DB, ctx context.Context, id int64, on bool) error {
		return db.MarkReply(ctx, id, name, on)
	}
}

func conversationsMark(m replyMark) func(env *Env, args []string) error {
	return func(env *Env, args []string) error {
		fs := flag.NewFlagSet("conversations "+m.word, flag.ContinueOnError)
		undo := fs.Bool("undo", false, "")
		pos, err := parse(fs, args)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return fmt.Errorf("%w: give the reply's id (from conversations list --json)", errUsage)
		}
		replyID, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return fmt.Errorf("%w: %q is not a reply id", errUsage, pos[0])
		}
		return env.workspace(func(db *store.DB) error {
			if err := m.set(db, env.Ctx, replyID, !*undo); err != nil {
				return err
			}
			if *undo {
				fmt.Fprintln(env.Stdout, m.undone)
			} else {
				fmt.Fprintln(env.Stdout, m.done)
			}
			return nil
		})
	}
}
