package sending_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/store"
)

// BenchmarkPostSendProcess is BenchmarkSend1000Postfix (app/mail/outbox) as the
// coach meets it: an announcement of about 400 words, personalised with each
// member's first name, queued to 1,000 members with `roundtable post create`
// (untimed), then `roundtable outbox send` as a process from its start to its
// exit, to real Postfix over submission (STARTTLS + AUTH). In the same run, one
// raw SMTP session sends 1,000 copies of the first member's message, composed
// beforehand: what the server alone costs. Issue 12's goal is a ratio of at
// most 1.1. The binary is $ROUNDTABLE_BENCH_BIN (scripts/bench/run.sh builds it).
func BenchmarkPostSendProcess(b *testing.B) {
	const members = 1000
	roundtable, srv, from := processBench(b)
	template := postSendTemplate(b, members)
	setAccount(roundtable, template, srv, from)
	body := filepath.Join(b.TempDir(), "announcement.md")
	if err := os.WriteFile(body, []byte(announcement()), 0o600); err != nil {
		b.Fatal(err)
	}

	delivered := uint32(0)
	var processTime, rawTime time.Duration
	for b.Loop() {
		b.StopTimer()
		ws := filepath.Join(b.TempDir(), "w.db")
		copyFile(b, template, ws)
		roundtable(ws, "", "post", "create", "--cohort", "Big circle", "--subject", "This week: the one question", "--body", body)

		raw := firstQueued(b, ws, from)
		msgs := make([]rawMessage, members)
		for i := range msgs {
			msgs[i] = rawMessage{plusAddressed(i), raw}
		}
		start := time.Now()
		sendRaw(b, srv, from, msgs)
		rawTime += time.Since(start)
		delivered += members
		waitDelivered(b, srv, delivered)

		b.StartTimer()
		start = time.Now()
		out := roundtable(ws, "", "outbox", "send", "--json")
		processTime += time.Since(start)
		b.StopTimer()
		var res struct {
			Sent int `json:"sent"`
		}
		if err := json.Unmarshal(out, &res); err != nil || res.Sent != members {
			b.Fatalf("outbox send said %s (%v); want %d sent", out, err, members)
		}
		delivered += members
		waitDelivered(b, srv, delivered)
		b.StartTimer()
	}
	reportAgainstRaw(b, processTime, rawTime)
}

// postSendTemplate is a workspace with members clients in the cohort "Big
// circle", closed cleanly.
func postSendTemplate(b *testing.B, members int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "template.db")
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	bigCircle(b, db, members)
	return path
}

// firstQueued composes the first message the outbox of the workspace at ws
// would send, as the worker does, from a copy (the queue stays untouched).
func firstQueued(b *testing.B, ws string, from compose.From) []byte {
	b.Helper()
	db := openCopy(b, ws)
	defer db.Close()
	job, err := db.NextDue(context.Background(), time.Now().Add(time.Hour), 0)
	if err != nil {
		b.Fatal(err)
	}
	raw, _, err := compose.Message(from, job, nil)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// announcement is about 400 words of Markdown with the member's first name.
func announcement() string {
	var sb strings.Builder
	sb.WriteString("Hi {{first_name}},\n\nThis week we look at **one question** and stay with it.\n\n")
	for i := range 6 {
		fmt.Fprintf(&sb, "## Part %d\n\nPick the decision you have put off longest. Write down what you would "+
			"need to know to make it today, and who could tell you. Then ask them, before Friday, and "+
			"notice what changes once you have asked. Most of the time the answer is smaller than the "+
			"waiting was, and the waiting cost more than the answer.\n\n- one thing you learned\n- one "+
			"thing you will try\n- [the worksheet](https://example.test/worksheet/%d)\n\n", i+1, i+1)
	}
	sb.WriteString("Reply to this mail with what you found; the group sees it in Friday's digest.\n\nSam\n")
	return sb.String()
}
