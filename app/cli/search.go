package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	registerReader("search", "search WORDS... [--kind KIND]... [--cohort NAME] [--member EMAIL] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N] [--json]",
		"Finds clients, posts, replies, sessions and your notes by their words, best first in each kind, as Ctrl+K does in the window.", search)
}

func search(env *Env, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	var kinds listFlag
	fs.Var(&kinds, "kind", "")
	cohort := fs.String("cohort", "", "")
	member := fs.String("member", "", "")
	from := fs.String("from", "", "")
	to := fs.String("to", "", "")
	limit := fs.Int("limit", 10, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	q := app.SearchQuery{Text: strings.Join(pos, " "), Kinds: kinds, PerKind: *limit}
	if strings.TrimSpace(q.Text) == "" {
		return fmt.Errorf("%w: say what to search for", errUsage)
	}
	for _, k := range kinds {
		if _, ok := app.FindSearchKind(k); !ok {
			names := make([]string, len(app.SearchKinds))
			for i, sk := range app.SearchKinds {
				names[i] = sk.Kind
			}
			return fmt.Errorf("%w: --kind is one of %s", errUsage, strings.Join(names, ", "))
		}
	}
	if q.From, err = day(*from, "--from"); err != nil {
		return err
	}
	if q.To, err = day(*to, "--to"); err != nil {
		return err
	}
	if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // --to names the last day searched
	}
	return env.workspace(func(db *store.DB) error {
		if *cohort != "" {
			h, err := db.FindCohortByName(env.Ctx, *cohort)
			if err != nil {
				return err
			}
			q.CohortID = h.ID
		}
		if *member != "" {
			c, err := db.FindClientByEmail(env.Ctx, *member)
			if err != nil {
				return err
			}
			q.ClientID = c.ID
		}
		res, err := db.Search(env.Ctx, q)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, res)
		}
		printSearch(env.Stdout, q.Text, res)
		return nil
	})
}

// day reads a YYYY-MM-DD date on this computer's clock; "" is no date.
func day(s, option string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return t, fmt.Errorf("%w: %s takes a date like 2026-03-01", errUsage, option)
	}
	return t, nil
}

// printSearch writes the hits by kind, each with its date, what it is in, and
// its snippet with the words found in [brackets].
func printSearch(w io.Writer, text string, res app.SearchResults) {
	if len(res.Groups) == 0 {
		fmt.Fprintf(w, "Nothing found for %q.\n", text)
		return
	}
	for i, g := range res.Groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		more := ""
		if g.Total > len(g.Hits) || g.More {
			more = fmt.Sprintf(", %d shown", len(g.Hits))
		}
		total := fmt.Sprint(g.Total)
		if g.More {
			total += "+"
		}
		fmt.Fprintf(w, "%s (%s%s)\n", g.Label, total, more)
		for _, h := range g.Hits {
			where := []string{h.At.Local().Format("2006-01-02"), h.Title}
			if h.Cohort != "" {
				where = append(where, h.Cohort)
			}
			line := strings.Join(where, " · ")
			if h.Private {
				line += " (private)"
			}
			if h.Unmatched {
				line += " (unmatched)"
			}
			fmt.Fprintf(w, "  %s  [%s %d]\n", line, h.Kind, h.ID)
			var b strings.Builder
			for _, p := range h.Snippet {
				if p.Hit {
					b.WriteString("[" + p.Text + "]")
				} else {
					b.WriteString(p.Text)
				}
			}
			if b.Len() > 0 {
				fmt.Fprintf(w, "    %s\n", b.String())
			}
		}
	}
}
