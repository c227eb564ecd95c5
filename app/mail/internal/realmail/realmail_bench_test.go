package realmail

import (
	"bytes"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// BenchmarkStart times starting both servers until all four ports answer; stopping is
// reported apart as stop-s/op.
func BenchmarkStart(b *testing.B) {
	var stopping time.Duration
	for b.Loop() {
		s := start(b)
		b.StopTimer()
		t0 := time.Now()
		s.stop(b)
		stopping += time.Since(t0)
		b.StartTimer()
	}
	b.ReportMetric(stopping.Seconds()/float64(b.N), "stop-s/op")
}

// BenchmarkSubmit100 sends 100 messages over one submission session (STARTTLS, AUTH
// PLAIN), as the outbox does, and reports how fast Postfix accepts them and how fast
// they reach the mailbox.
func BenchmarkSubmit100(b *testing.B) {
	const perSession = 100
	s := Start(b)
	msg, _ := newMessage(Coach, []string{Members[2]}, subject)
	began := time.Now()
	sent := 0
	for b.Loop() {
		c, err := smtp.DialStartTLS(s.Addr(s.SubmissionPort), s.TLSConfig())
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Auth(sasl.NewPlainClient("", Coach, Password)); err != nil {
			b.Fatal(err)
		}
		for range perSession {
			if err := c.SendMail(Coach, []string{Members[2]}, bytes.NewReader(msg)); err != nil {
				b.Fatal(err)
			}
		}
		if err := c.Quit(); err != nil {
			b.Fatal(err)
		}
		sent += perSession
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "accepted-msgs/s")

	c := dialIMAPS(b, s, Members[2])
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
		if err != nil {
			b.Fatal(err)
		}
		if int(*st.NumMessages) >= sent {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("delivered %d of %d messages within 2 minutes", *st.NumMessages, sent)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.ReportMetric(float64(sent)/time.Since(began).Seconds(), "delivered-msgs/s")
}

// BenchmarkFillMaildir10000 writes 10,000 messages straight into a Maildir, the way
// import benchmarks load a big INBOX, and reports how long Dovecot's first SELECT of it
// takes (it indexes the new files then).
func BenchmarkFillMaildir10000(b *testing.B) {
	const count = 10_000
	s := Start(b)
	var selecting time.Duration
	for i := 0; b.Loop(); i++ {
		user := fmt.Sprintf("bulk%d@example.test", i)
		b.StopTimer()
		s.AddUser(b, user, Password)
		b.StartTimer()
		if got := s.FillMaildir(b, user, generated(count)); got != count {
			b.Fatalf("FillMaildir wrote %d, want %d", got, count)
		}
		b.StopTimer()
		c := dialIMAPS(b, s, user)
		t0 := time.Now()
		sel, err := c.Select("INBOX", nil).Wait()
		if err != nil {
			b.Fatal(err)
		}
		selecting += time.Since(t0)
		if sel.NumMessages != count {
			b.Fatalf("INBOX messages: got %d, want %d", sel.NumMessages, count)
		}
		c.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(count*b.N)/b.Elapsed().Seconds(), "written-msgs/s")
	b.ReportMetric(selecting.Seconds()/float64(b.N), "first-select-s/op")
}

// generated yields n small distinct replies, each about 600 bytes.
func generated(n int) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for i := range n {
			msg, _ := newMessage(Members[i%len(Members)], []string{Coach}, fmt.Sprintf("Re: Semaine %d", i))
			if !yield(msg) {
				return
			}
		}
	}
}
