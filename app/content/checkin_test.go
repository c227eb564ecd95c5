package content_test

import (
	"testing"

	"github.com/roundtablehq/roundtable/app/content"
)

// TestIsDone: "done" and its common equivalents in French, German and Spanish,
// however typed, mark a lesson done; a sentence that merely starts or ends
// with one of them does not.
func TestIsDone(t *testing.T) {
	for _, tc := range []struct {
		text string
		done bool
		rest string
	}{
		{"done", true, ""},
		{"Done!", true, ""},
		{"DONE ✅", true, ""},
		{"  done.  \n", true, ""},
		{"All done :)", true, ""},
		{"I'm done", true, ""},
		{"Fait !", true, ""},
		{"C’est fait.", true, ""},
		{"Terminé", true, ""},
		{"terminee", true, ""},
		{"Erledigt!", true, ""},
		{"fertig", true, ""},
		{"¡Hecho!", true, ""},
		{"Listo", true, ""},
		{"Terminado.", true, ""},
		{"Done\n\nIt took me two evenings.", true, "It took me two evenings."},
		{"Done with chapter 1 but not 2", false, ""},
		{"Not done yet", false, ""},
		{"I have not finished", false, ""},
		{"What does done mean here?", false, ""},
		{"", false, ""},
		{"Fait divers: rien à voir", false, ""},
	} {
		done, rest := content.IsDone(tc.text)
		if done != tc.done || (done && rest != tc.rest) {
			t.Errorf("IsDone(%q) = %v, %q; want %v, %q", tc.text, done, rest, tc.done, tc.rest)
		}
	}
}
