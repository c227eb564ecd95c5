package render

import (
	"strings"
	"testing"
)

func TestLintTellsTheCoachWhatToFix(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Content
		want []string // a fragment of each sentence expected, in order
	}{
		{"OK", Content{Subject: "Week 3: {{first_name}}", Markdown: "Hi {{first_name}}, see [the plan](https://example.com) or <mailto:me@example.com>."}, nil},
		{"OKEmptySubjectIsCheck's", Content{Subject: "  ", Markdown: "Hi"}, nil},
		{"ErrLongSubject", Content{Subject: strings.Repeat("é", 79), Markdown: "Hi"}, []string{"79 characters long"}},
		{"OKUnknownPlaceholderIsCheck's", Content{Subject: "Hi {{firstname}}", Markdown: "Hi {{ nickname }}"}, nil},
		{"ErrUnknownInFooter", Content{Subject: "Hi", Markdown: "x", Footer: "{{unsub}}"}, []string{"{{unsub}} in the footer"}},
		{"ErrHTTPLink", Content{Subject: "Hi", Markdown: "[old](http://old.example.com)"}, []string{"http://old.example.com does not use https"}},
		{"ErrRelativeLink", Content{Subject: "Hi", Markdown: "[notes](notes.html)"}, []string{"notes.html is not a full web address"}},
		{"ErrJavascriptLink", Content{Subject: "Hi", Markdown: "[x](javascript:alert(1))"}, []string{"uses javascript:"}},
		{"ErrRemoteImage", Content{Subject: "Hi", Markdown: "![chart](https://example.com/c.png)"}, []string{"image https://example.com/c.png is loaded from the web"}},
		{"ErrEmbeddedImage", Content{Subject: "Hi", Markdown: "![x](data:image/png;base64," + strings.Repeat("A", 4096) + ")"}, []string{"embedded in the text (4 KB)"}},
		{"ErrGmailClips", Content{Subject: "Hi", Markdown: strings.Repeat("A paragraph of text that goes on for a while.\n\n", 2500)}, []string{"Gmail shows only the first 102 KB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Lint(tc.c)
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %d sentences like %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("got %q, want it to contain %q", got[i], w)
				}
			}
		})
	}
}
