package cli

import (
	"flag"
	"fmt"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	register("profile set", "profile set --name NAME",
		"Set your name as members see it (the From name and {{coach_name}}); works in the sandbox too.", profileSet)
	registerReader("profile show", "profile show [--json]", "Show your name as members see it.", profileShow)
}

func profileSet(env *Env, args []string) error {
	fs := flag.NewFlagSet("profile set", flag.ContinueOnError)
	name := fs.String("name", "", "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	named := false
	fs.Visit(func(f *flag.Flag) { named = named || f.Name == "name" })
	if !named {
		return fmt.Errorf("%w: give --name (an empty one goes back to the mail account's sender name)", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		if err := account.SaveProfile(env.Ctx, db, app.Profile{Name: *name}); err != nil {
			return err
		}
		return printSender(env, db)
	})
}

func profileShow(env *Env, args []string) error {
	fs := flag.NewFlagSet("profile show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		if *asJSON {
			p, err := account.LoadProfile(env.Ctx, db)
			if err != nil {
				return err
			}
			return writeJSON(env.Stdout, p)
		}
		return printSender(env, db)
	})
}

// printSender shows the name as it goes out, which may come from the account
// when no profile name is set.
func printSender(env *Env, db *store.DB) error {
	from, err := account.Sender(env.Ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Mail goes out as %s <%s>.\n", from.Name, from.Email)
	return nil
}
