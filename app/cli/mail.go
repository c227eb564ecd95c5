package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/secret"
	"github.com/roundtablehq/roundtable/app/store"
)

// KeyringEnv turns the system keyring off when set to "off": passwords then go to
// the file in the user's config folder (secret.DefaultFile), and setting it counts
// as agreeing to that. Tests and scripts use it to keep away from the developer's
// own keyring.
const KeyringEnv = "ROUNDTABLE_KEYRING"

func init() {
	register("account set", "account set [--preset gmail|outlook|fastmail|icloud] [--smtp-host H --smtp-port P --smtp-security tls|starttls|none --smtp-user U --from-name N --from-email E [--plus-addressing on|off] [--per-minute N] [--per-day N]] [--imap-host H --imap-port P --imap-security tls|starttls|none --imap-user U [--imap-folder F] [--imap-mark-read] [--imap-move-to F] [--imap-authserv-id NAME] [--keep-personal]] [--password-stdin] [--password-file]",
		"Set the outgoing (SMTP) and/or incoming (IMAP) mail account. Passwords come from --password-stdin (one line, used for both) or $ROUNDTABLE_SMTP_PASSWORD and $ROUNDTABLE_IMAP_PASSWORD, and go to the system keyring; where there is none, --password-file agrees to keeping them in a file only your user can read, in your config folder.", accountSet)
	registerReader("account show", "account show [--json]", "Show the mail account (never the password).", accountShow)
	registerReader("account test", "account test", "Connect to the outgoing server and log in, without sending anything.", accountTest)
	register("account use-sandbox", "account use-sandbox", "Forget the account and send into the built-in sandbox again.", accountUseSandbox)
	register("post create", "post create --cohort NAME --subject S --body FILE.md [--send-at RFC3339] [--draft] [--json]",
		"Queue an announcement: one message per member of the cohort (with --draft, only save it).", postCreate)
	register("outbox send", "outbox send [--json]",
		"Send everything due; exits when the queue is empty or only retries waiting for later remain.", outboxSend)
	registerReader("outbox list", "outbox list [--state STATE] [--json]", "List messages with their state, attempts, last server answer and Message-ID.", outboxList)
	register("outbox retry", "outbox retry", "Make waiting and failed messages due now (then run outbox send).", outboxRetry)
}

// secrets is where the passwords are kept (see secret.Open).
func (env *Env) secrets(db *store.DB) (*secret.Store, error) {
	return secret.Open(db.Path(), os.Getenv(KeyringEnv) == "off")
}

// consentSentence names the flag when the password could only go to the file.
func consentSentence(err error) error {
	if !errors.Is(err, secret.ErrNoConsent) {
		return err
	}
	return app.Wrap(app.EUNAVAILABLE, err, "%s To agree, run the command again with --password-file.", app.ErrorMessage(err))
}

func accountSet(env *Env, args []string) error {
	fs := flag.NewFlagSet("account set", flag.ContinueOnError)
	var a app.SMTPAccount
	var im app.IMAPAccount
	preset := fs.String("preset", "", "")
	fs.StringVar(&a.Host, "smtp-host", "", "")
	fs.IntVar(&a.Port, "smtp-port", 0, "")
	fs.StringVar(&a.Security, "smtp-security", "", "")
	fs.StringVar(&a.User, "smtp-user", "", "")
	fs.StringVar(&a.FromName, "from-name", "", "")
	fs.StringVar(&a.FromEmail, "from-email", "", "")
	plus := fs.String("plus-addressing", "on", "")
	fs.IntVar(&a.PerMinute, "per-minute", -1, "")
	fs.IntVar(&a.PerDay, "per-day", -1, "")
	fs.StringVar(&im.Host, "imap-host", "", "")
	fs.IntVar(&im.Port, "imap-port", 0, "")
	fs.StringVar(&im.Security, "imap-security", "", "")
	fs.StringVar(&im.User, "imap-user", "", "")
	fs.StringVar(&im.Folder, "imap-folder", "", "")
	fs.BoolVar(&im.MarkRead, "imap-mark-read", false, "")
	fs.StringVar(&im.MoveTo, "imap-move-to", "", "")
	fs.StringVar(&im.AuthServID, "imap-authserv-id", "", "")
	fs.BoolVar(&im.KeepPersonal, "keep-personal", false, "")
	stdin := fs.Bool("password-stdin", false, "")
	toFile := fs.Bool("password-file", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return fmt.Errorf("%w: account set takes only options", errUsage)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	setSMTP := given["smtp-host"] || given["from-email"] || given["smtp-port"] || given["smtp-user"]
	setIMAP := given["imap-host"] || given["imap-user"] || given["imap-port"] || given["imap-folder"]
	if *preset != "" {
		p, ok := findPreset(*preset)
		if !ok {
			return fmt.Errorf("%w: %q is not a preset; use gmail, outlook, fastmail or icloud", errUsage, *preset)
		}
		a.Host, a.Port, a.Security = or(a.Host, p.SMTPHost), orInt(a.Port, p.SMTPPort), or(a.Security, p.Security)
		a.PerMinute, a.PerDay = orLimit(a.PerMinute, p.PerMinute), orLimit(a.PerDay, p.PerDay)
		im.Host, im.Port, im.Security = or(im.Host, p.IMAPHost), orInt(im.Port, p.IMAPPort), or(im.Security, app.SecurityTLS)
		im.User, a.User = or(im.User, or(a.User, a.FromEmail)), or(a.User, a.FromEmail)
		setSMTP, setIMAP = true, true
	}
	if !setSMTP && !setIMAP {
		return fmt.Errorf("%w: give the outgoing (--smtp-host, --from-email) or incoming (--imap-host) settings", errUsage)
	}
	a.PerMinute, a.PerDay = max(a.PerMinute, 0), max(a.PerDay, 0)
	if *plus != "on" && *plus != "off" {
		return fmt.Errorf("%w: --plus-addressing takes on or off", errUsage)
	}
	a.PlusAddressing = *plus == "on"
	smtpPassword, imapPassword := os.Getenv("ROUNDTABLE_SMTP_PASSWORD"), os.Getenv("ROUNDTABLE_IMAP_PASSWORD")
	if *stdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return app.Errorf(app.EINVALID, "No password came on standard input.")
		}
		smtpPassword = strings.TrimRight(line, "\r\n")
		imapPassword = smtpPassword
	}
	return env.workspace(func(db *store.DB) error {
		sec, err := env.secrets(db)
		if err != nil {
			return err
		}
		if *toFile {
			sec.AllowFile()
		}
		if setSMTP {
			if err := account.Save(env.Ctx, db, sec, a, smtpPassword); err != nil {
				return consentSentence(err)
			}
			fmt.Fprintf(env.Stdout, "Saved the outgoing account %s on %s:%d.\n", a.FromEmail, a.Host, a.Port)
		}
		if setIMAP {
			if err := account.SaveIMAP(env.Ctx, db, sec, im, imapPassword); err != nil {
				return consentSentence(err)
			}
			fmt.Fprintf(env.Stdout, "Saved the incoming account %s on %s:%d.\n", im.User, im.Host, im.Port)
		}
		return nil
	})
}

func findPreset(id string) (app.Preset, bool) {
	for _, p := range app.Presets {
		if p.ID == id {
			return p, true
		}
	}
	return app.Preset{}, false
}

func or(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func orInt(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

func orLimit(v, d int) int {
	if v < 0 {
		return d
	}
	return v
}

func accountShow(env *Env, args []string) error {
	fs := flag.NewFlagSet("account show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		sec, err := env.secrets(db)
		if err != nil {
			return err
		}
		st, err := account.Status(env.Ctx, db, sec)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, st)
		}
		if st.Sandbox {
			fmt.Fprintln(env.Stdout, "No mail account is set up: mail goes to the built-in sandbox, where nothing reaches anyone real.")
			return nil
		}
		a := st.SMTP
		fmt.Fprintf(env.Stdout, "From:     %s <%s>\nServer:   %s:%d (%s)\nUser:     %s\nPassword: %s\nReplies:  plus-addressing %s\nLimits:   %d a minute, %d a day (0 = none)\n",
			a.FromName, a.FromEmail, a.Host, a.Port, a.Security, a.User, passwordLine(st), onOff(a.PlusAddressing), a.PerMinute, a.PerDay)
		if st.PasswordNotice != "" {
			fmt.Fprintln(env.Stdout, "Note: "+st.PasswordNotice)
		}
		in, err := account.IMAPStatusOf(env.Ctx, db, sec)
		if err != nil {
			return err
		}
		if in.Configured {
			fmt.Fprintf(env.Stdout, "Incoming: %s:%d (%s) as %s, password %s\n", in.IMAP.Host, in.IMAP.Port, in.IMAP.Security, in.IMAP.User,
				passwordLine(app.AccountStatus{HasPassword: in.HasPassword, PasswordStore: in.PasswordStore}))
		}
		return nil
	})
}

func passwordLine(st app.AccountStatus) string {
	if !st.HasPassword {
		return "not saved"
	}
	if st.PasswordStore == "system keyring" {
		return "saved in the system keyring"
	}
	return "saved in " + st.PasswordStore // the file's path
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func accountTest(env *Env, args []string) error {
	if _, err := parse(flag.NewFlagSet("account test", flag.ContinueOnError), args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		a, err := account.Load(env.Ctx, db)
		if err != nil {
			return err
		}
		if a.Host == "" {
			fmt.Fprintln(env.Stdout, "No account is set up; the sandbox needs no test.")
			return nil
		}
		ctx, cancel := context.WithTimeout(env.Ctx, 45*time.Second)
		defer cancel()
		sec, err := env.secrets(db)
		if err != nil {
			return err
		}
		if err := account.Test(ctx, sec, a, ""); err != nil {
			return errors.New(outbox.Message(err))
		}
		fmt.Fprintf(env.Stdout, "Connected to %s:%d and logged in as %s.\n", a.Host, a.Port, a.User)
		return nil
	})
}

func accountUseSandbox(env *Env, args []string) error {
	if _, err := parse(flag.NewFlagSet("account use-sandbox", flag.ContinueOnError), args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		sec, err := env.secrets(db)
		if err != nil {
			return err
		}
		if err := account.UseSandbox(env.Ctx, db, sec); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "Mail now goes to the built-in sandbox.")
		return nil
	})
}

func postCreate(env *Env, args []string) error {
	fs := flag.NewFlagSet("post create", flag.ContinueOnError)
	cohortName := fs.String("cohort", "", "")
	subject := fs.String("subject", "", "")
	bodyFile := fs.String("body", "", "")
	sendAt := fs.String("send-at", "", "")
	draft := fs.Bool("draft", false, "")
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 || *cohortName == "" || *subject == "" || *bodyFile == "" {
		return fmt.Errorf("%w: give --cohort, --subject and --body", errUsage)
	}
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		return app.Wrap(app.EINVALID, err, "The body file %s could not be read", *bodyFile)
	}
	in := app.PostInput{Subject: *subject, Body: string(body)}
	if *sendAt != "" {
		t, err := time.Parse(time.RFC3339, *sendAt)
		if err != nil {
			return fmt.Errorf("%w: --send-at takes a time like 2026-12-01T09:00:00+01:00", errUsage)
		}
		in.SendAt = &t
	}
	return env.workspace(func(db *store.DB) error {
		cohort, err := db.FindCohortByName(env.Ctx, *cohortName)
		if err != nil {
			return err
		}
		in.CohortID = cohort.ID
		p, err := db.CreatePost(env.Ctx, in)
		if err != nil {
			return err
		}
		if *draft {
			if *asJSON {
				return writeJSON(env.Stdout, p)
			}
			fmt.Fprintf(env.Stdout, "Saved draft %d to %s.\n", p.ID, p.Cohort)
			return nil
		}
		from, err := senderOf(env.Ctx, db)
		if err != nil {
			return err
		}
		p, err = sending.Queue(env.Ctx, db, from, p.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, p)
		}
		fmt.Fprintf(env.Stdout, "Queued post %d to %s: %d messages", p.ID, p.Cohort, p.Counts[app.OutboxQueued])
		if n := p.Counts[app.OutboxSkipped]; n > 0 {
			fmt.Fprintf(env.Stdout, ", %d skipped (see outbox list)", n)
		}
		fmt.Fprintln(env.Stdout, ". Run \"roundtable outbox send\" to send them.")
		return nil
	})
}

func senderOf(ctx context.Context, db *store.DB) (compose.From, error) {
	return account.Sender(ctx, db)
}

func outboxSend(env *Env, args []string) error {
	fs := flag.NewFlagSet("outbox send", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		m, err := env.mail(db)
		if err != nil {
			return err
		}
		defer m.close()
		res, sendErr := m.drain(env, db)
		if res.States == nil {
			return sendErr
		}
		if *asJSON {
			if err := writeJSON(env.Stdout, res); err != nil {
				return err
			}
		} else {
			printSent(env, res)
		}
		if sendErr != nil {
			return errors.New(res.Error)
		}
		return nil
	})
}

func printSent(env *Env, res sent) {
	where := ""
	if res.Sandbox {
		where = " into the sandbox"
	}
	fmt.Fprintf(env.Stdout, "Sent %d%s. Waiting to retry: %d. Failed: %d.\n", res.Sent, where, res.States[app.OutboxRetrying], res.States[app.OutboxFailed])
}

func outboxList(env *Env, args []string) error {
	fs := flag.NewFlagSet("outbox list", flag.ContinueOnError)
	state := fs.String("state", "", "")
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		items, err := db.Outbox(env.Ctx, app.OutboxFilter{State: *state})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, items)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "POST\tTO\tSTATE\tTRIES\tANSWER")
		for _, it := range items {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", it.PostID, it.Email, it.State, it.Attempts, it.LastAnswer)
		}
		return tw.Flush()
	})
}

func outboxRetry(env *Env, args []string) error {
	if _, err := parse(flag.NewFlagSet("outbox retry", flag.ContinueOnError), args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		n, err := db.RetryNow(env.Ctx, 0)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%d messages are due again; run \"roundtable outbox send\".\n", n)
		return nil
	})
}
