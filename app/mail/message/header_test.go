package message

import (
	netmail "net/mail"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
)

// The common form read first says what net/mail says of the same field: the
// same instant and zone; forms it does not take go on to net/mail and then the
// loose layouts.
func FuzzParseDateAgreesWithNetMail(f *testing.F) {
	for _, s := range []string{
		"Tue, 1 Dec 2026 09:04:05 +0100", "Tue, 01 Dec 2026 09:04:05 -0800", " Wed, 2 Dec 2026 23:59:59 +0000 ",
		"Tue, 1 Dec 2026 09:04:05 +0100 (CET)", "1 Dec 2026 09:04:05 GMT", "Tue, 1 Dec 26 09:04 +0100",
		"Tuesday, December 1, 2026 9:04 AM", "Tue, 31 Feb 2026 09:04:05 +0100", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := gomail.Header{}
		h.Set("Date", s)
		got := parseDate(h)
		if d, err := time.Parse(commonDate, strings.TrimSpace(h.Get("Date"))); err == nil {
			want, err := netmail.ParseDate(h.Get("Date"))
			if err != nil || !want.Equal(d) || want.Format(time.RFC3339) != got.Format(time.RFC3339) {
				t.Fatalf("%q: got %v, net/mail %v (%v)", s, got, want, err)
			}
			return
		}
		if want, err := h.Date(); err == nil && !want.Equal(got) {
			t.Fatalf("%q: got %v, net/mail %v", s, got, want)
		}
	})
}

// The scan finds the ids the expression it replaced finds, in order, up to max.
func FuzzBracketedIDsAgreeWithTheExpression(f *testing.F) {
	expr := regexp.MustCompile(`<([^<>\s]+)>`)
	for _, s := range []string{
		"<a@b>", " <a@b> <c@d>\r\n\t<e@f>", "<a@b><c@d>", "<<a@b>>", "<>", "<a b@c> <d@e>", "<a<b@c>", "a@b",
		"<caf\xc3\xa9@b>", "<\xff@b>", "<a@b\f>", "<a@b\v>", "noise <x@y", "<one@x>, <two@x>;<three@x>",
	} {
		f.Add(s, 2)
		f.Add(s, 500)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 1000 {
			return
		}
		var want []string
		for _, m := range expr.FindAllStringSubmatch(s, max) {
			want = append(want, m[1])
		}
		if got := bracketedIDs(s, max); !slices.Equal(got, want) {
			t.Fatalf("%q (max %d): got %q, the expression %q", s, max, got, want)
		}
	})
}
