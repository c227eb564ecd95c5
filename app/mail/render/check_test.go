package render

import (
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestCheckRefusesWhatWouldReachMembersBroken(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Content
		want []app.PostProblem
	}{
		{"OK", Content{Subject: "Week 3, {{first_name}}", Markdown: "Hi {{ first_name }}, welcome to {{cohort}}."}, nil},
		{"ErrEmpty", Content{Subject: " ", Markdown: "\n"}, []app.PostProblem{
			{Field: "subject", Message: "Give the announcement a subject: it is the first thing members see."},
			{Field: "body", Message: "The announcement is empty; write something first."}}},
		{"ErrTypo", Content{Subject: "Hi {{First Name}}", Markdown: "Hello {{firstname}}, and {{firstname}} again"}, []app.PostProblem{
			{Field: "subject", Message: "{{First Name}} in the subject is not a placeholder Roundtable knows — did you mean {{first_name}}?"},
			{Field: "body", Message: "{{firstname}} in the text is not a placeholder Roundtable knows — did you mean {{first_name}}?"}}},
		{"ErrNothingClose", Content{Subject: "Hi", Markdown: "Hello {{nickname}}"}, []app.PostProblem{
			{Field: "body", Message: "{{nickname}} in the text is not a placeholder Roundtable knows; the known ones are {{first_name}}, {{name}}, {{email}}, {{cohort}}, {{coach_name}}, {{unsubscribe}}."}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Check(tc.c)
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("got %q, want %q", got[i], tc.want[i])
				}
			}
		})
	}
}

func TestNearestPlaceholder(t *testing.T) {
	for in, want := range map[string]string{
		"firstname": "first_name", "first-name": "first_name", "fist_name": "first_name", "Name": "name",
		"coachname": "coach_name", "emial": "email", "cohrt": "cohort", "nickname": "", "date": "", "": "",
	} {
		if got := NearestPlaceholder(in); got != want {
			t.Errorf("NearestPlaceholder(%q): got %q, want %q", in, got, want)
		}
	}
}
