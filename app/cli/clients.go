package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/clientcsv"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	register("clients import", "clients import FILE.csv [--on-duplicate update|skip|merge] [--map COLUMN=FIELD]... [--json]",
		"Import clients from a CSV file, all or nothing.", clientsImport)
	registerReader("clients list", "clients list [--search WORDS] [--tag TAG] [--status STATUS] [--archived] [--json]",
		"List clients.", clientsList)
	registerReader("clients export", "clients export [FILE.csv]",
		"Write every current client as CSV to FILE, or to standard output.", clientsExport)
	register("clients resubscribe", "clients resubscribe EMAIL [--note TEXT]",
		"Undo an unsubscribe (or drop a pending request); the history keeps the note.", clientsResubscribe)
	register("clients bounce confirm", "clients bounce confirm ID",
		"Accept a suspected bounce (see clients show): mail to that address stops.", clientsBounce(true))
	register("clients bounce dismiss", "clients bounce dismiss ID",
		"Set a suspected bounce aside: mail to that address goes on.", clientsBounce(false))
	registerReader("clients show", "clients show EMAIL [--json]",
		"Show one client, found by any of their addresses.", clientsShow)
}

func clientsImport(env *Env, args []string) error {
	fs := flag.NewFlagSet("clients import", flag.ContinueOnError)
	onDup := fs.String("on-duplicate", app.OnDuplicateUpdate, "")
	var maps listFlag
	fs.Var(&maps, "map", "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name one CSV file to import", errUsage)
	}
	var mapping map[string]int
	if len(maps) > 0 {
		if mapping, err = clientcsv.Remap(pos[0], maps); err != nil {
			return err
		}
	}
	return env.workspace(func(db *store.DB) error {
		sum, err := clientcsv.Import(env.Ctx, db, pos[0], mapping, *onDup, app.NoProgress)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, sum)
		}
		fmt.Fprintf(env.Stdout, "Imported %d, updated %d, skipped %d, rejected %d.\n", sum.Imported, sum.Updated, sum.Skipped, len(sum.Rejected))
		fmt.Fprintln(env.Stdout, "Columns: "+describeColumns(sum.Columns)+" (change with --map COLUMN=FIELD).")
		for _, r := range sum.Rejected {
			fmt.Fprintf(env.Stdout, "  line %d: %s\n", r.Line, r.Reason)
		}
		for _, n := range sum.Notes {
			fmt.Fprintln(env.Stdout, "Note: "+n)
		}
		return nil
	})
}

func clientsList(env *Env, args []string) error {
	fs := flag.NewFlagSet("clients list", flag.ContinueOnError)
	var f app.ClientFilter
	fs.StringVar(&f.Query, "search", "", "")
	tag := fs.String("tag", "", "")
	fs.StringVar(&f.Status, "status", "", "")
	fs.BoolVar(&f.Archived, "archived", false, "")
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return fmt.Errorf("%w: clients list takes no arguments, only options", errUsage)
	}
	if *tag != "" {
		f.Tags = []string{*tag}
	}
	return env.workspace(func(db *store.DB) error {
		page, err := db.ListClients(env.Ctx, f)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, page.Rows)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tEMAIL\tSTATUS\tTAGS")
		for _, r := range page.Rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Email, r.Status, strings.Join(r.Tags, ", "))
		}
		return tw.Flush()
	})
}

func clientsExport(env *Env, args []string) error {
	fs := flag.NewFlagSet("clients export", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("%w: name at most one file", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		clients, err := db.AllClients(env.Ctx, false)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := clientcsv.Write(&buf, clients); err != nil {
			return err
		}
		if len(pos) == 0 {
			_, err := env.Stdout.Write(buf.Bytes())
			return err
		}
		tmp := pos[0] + ".tmp"
		if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
			os.Remove(tmp)
			return app.Wrap(app.EUNAVAILABLE, err, "%s could not be written", pos[0])
		}
		if err := os.Rename(tmp, pos[0]); err != nil {
			return app.Wrap(app.EUNAVAILABLE, err, "%s could not be written", pos[0])
		}
		fmt.Fprintf(env.Stderr, "Exported %d clients to %s.\n", len(clients), pos[0])
		return nil
	})
}

func clientsShow(env *Env, args []string) error {
	fs := flag.NewFlagSet("clients show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name one email address", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindClientByEmail(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		cohorts, err := db.ClientCohorts(env.Ctx, c.ID)
		if err != nil {
			return err
		}
		names := []string{}
		for _, h := range cohorts {
			names = append(names, h.Name)
		}
		mail, err := db.ClientMailStatus(env.Ctx, c.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, struct {
				app.Client
				Cohorts []string       `json:"cohorts"`
				Mail    app.MailStatus `json:"mail"`
			}{c, names, mail})
		}
		fmt.Fprintf(env.Stdout, "%s <%s>\nStatus:  %s\nTags:    %s\nCohorts: %s\n", c.Name, c.Email, c.Status,
			strings.Join(c.Tags, ", "), strings.Join(names, ", "))
		if len(c.Aliases) > 0 {
			fmt.Fprintf(env.Stdout, "Other addresses: %s\n", strings.Join(c.Aliases, ", "))
		}
		switch {
		case mail.Bouncing:
			fmt.Fprintf(env.Stdout, "Mail:    bouncing (%s); nothing more is sent to this address\n", mail.BounceReason)
		case mail.Unsubscribed:
			fmt.Fprintln(env.Stdout, "Mail:    unsubscribed")
		case mail.Away && mail.AwayUntil != nil:
			fmt.Fprintf(env.Stdout, "Mail:    away until %s\n", mail.AwayUntil.Format("2 January 2006"))
		case mail.Away:
			fmt.Fprintln(env.Stdout, "Mail:    away (auto-reply)")
		}
		if mail.UnsubscribePending {
			fmt.Fprintln(env.Stdout, "Mail:    someone asked to unsubscribe this client; they were asked by email to confirm")
		}
		if b := mail.SuspectedBounce; b != nil {
			fmt.Fprintf(env.Stdout, "Mail:    a delivery report may be about this address (%s); still mailed until you run\n"+
				"         roundtable clients bounce confirm %d   (or: clients bounce dismiss %d)\n", b.Reason, b.ID, b.ID)
		}
		for _, e := range mail.History {
			fmt.Fprintf(env.Stdout, "History: %s %s: %s\n", e.At.Local().Format("2 Jan 2006 15:04"), e.Kind, e.Note)
		}
		return nil
	})
}

func clientsResubscribe(env *Env, args []string) error {
	fs := flag.NewFlagSet("clients resubscribe", flag.ContinueOnError)
	note := fs.String("note", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name the client by their email address", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindClientByEmail(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		if err := db.Resubscribe(env.Ctx, c.ID, *note); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s <%s> receives mail again.\n", c.Name, c.Email)
		return nil
	})
}

// clientsBounce confirms or dismisses a suspected bounce by its id (from
// `clients show`).
func clientsBounce(confirm bool) func(env *Env, args []string) error {
	return func(env *Env, args []string) error {
		if len(args) != 1 {
			return fmt.Errorf("%w: give the report's number from \"roundtable clients show\"", errUsage)
		}
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return fmt.Errorf("%w: %q is not a report number", errUsage, args[0])
		}
		return env.workspace(func(db *store.DB) error {
			if confirm {
				if err := db.ConfirmSuspectedBounce(env.Ctx, id); err != nil {
					return err
				}
				fmt.Fprintln(env.Stdout, "Confirmed: nothing more is sent to that address until you clear it.")
				return nil
			}
			if err := db.DismissSuspectedBounce(env.Ctx, id); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "Dismissed: mail to that address goes on as before.")
			return nil
		})
	}
}

// listFlag is an option that may be given more than once.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// describeColumns says which column went to which field, in the order of the
// fields' list: `"Courriel" → email, "Prénom" → first name`.
func describeColumns(cols map[string]string) string {
	var parts []string
	for _, f := range app.ImportFields {
		if h, ok := cols[f]; ok {
			parts = append(parts, fmt.Sprintf("%q → %s", h, strings.ReplaceAll(f, "_", " ")))
		}
	}
	return strings.Join(parts, ", ")
}

// clientIDsByEmail finds the client of each address, in order; one unknown
// address stops the command before anything changes.
func clientIDsByEmail(env *Env, db *store.DB, emails []string) ([]int64, error) {
	ids := make([]int64, 0, len(emails))
	for _, e := range emails {
		c, err := db.FindClientByEmail(env.Ctx, e)
		if err != nil {
			return nil, err
		}
		ids = append(ids, c.ID)
	}
	return ids, nil
}
