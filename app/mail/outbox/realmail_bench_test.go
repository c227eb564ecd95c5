package outbox

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/mail/submit"
)

// BenchmarkSend1000Postfix sends one announcement to 1,000 members through the
// outbox worker (rendering and the ledger, one durable commit per message) to
// real Postfix over submission (STARTTLS + AUTH), and in the same run the same
// number of pre-built messages over one raw session: what the server alone costs.
// It reports both rates and their ratio, the figure docs/benchmarks.md keeps.
// Postfix's delivery of each batch into Dovecot is waited out before the next
// timing, so neither run pays for the other's deliveries.
func BenchmarkSend1000Postfix(b *testing.B) {
	const n = 1000
	srv := realmail.Start(b)
	from := compose.From{Name: "Coach", Email: realmail.Coach, PlusAddressing: true}
	dial := func(ctx context.Context) (Conn, error) {
		c, err := submit.Dial(ctx, submit.Config{Host: srv.Host, Port: srv.SubmissionPort, Security: app.SecuritySTARTTLS,
			User: realmail.Coach, Password: realmail.Password, TLS: srv.TLSConfig(), Timeout: 30 * time.Second})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	// Plus-addressing spreads 1,000 distinct members over the five mailboxes.
	to := func(i int) string {
		m := realmail.Members[i%len(realmail.Members)]
		return fmt.Sprintf("%s+%d%s", m[:len(m)-len("@example.test")], i, "@example.test")
	}
	delivered := 0
	var workerTime, rawTime time.Duration
	for b.Loop() {
		b.StopTimer()
		db := benchWorkspaceTo(b, n, to)
		job, _ := db.NextDue(context.Background(), time.Now().Add(time.Hour), 0)
		raw, _, _ := compose.Message(from, job, nil)

		start := time.Now()
		c, err := dial(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			if _, err := c.SendWhen(from.Email, to(i), raw, nil); err != nil {
				b.Fatal(err)
			}
		}
		c.Close()
		rawTime += time.Since(start)
		delivered += n
		waitDelivered(b, srv, delivered)

		b.StartTimer()
		start = time.Now()
		if err := New(db, dial, Config{From: from}, nil).Drain(context.Background()); err != nil {
			b.Fatal(err)
		}
		workerTime += time.Since(start)
		b.StopTimer()
		delivered += n
		waitDelivered(b, srv, delivered)
		b.StartTimer()
	}
	runs := float64(b.N)
	b.ReportMetric(n*runs/workerTime.Seconds(), "msgs/s")
	b.ReportMetric(n*runs/rawTime.Seconds(), "raw-msgs/s")
	b.ReportMetric(workerTime.Seconds()/rawTime.Seconds(), "ratio")
}

// waitDelivered waits until the members' mailboxes hold want messages in all.
func waitDelivered(b *testing.B, srv *realmail.Servers, want int) {
	b.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		got := 0
		for _, m := range realmail.Members {
			c, err := imapclient.DialTLS(srv.Addr(srv.IMAPSPort), &imapclient.Options{TLSConfig: srv.TLSConfig()})
			if err != nil {
				b.Fatal(err)
			}
			if err := c.Login(m, realmail.Password).Wait(); err != nil {
				b.Fatal(err)
			}
			st, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
			c.Close()
			if err != nil {
				b.Fatal(err)
			}
			got += int(*st.NumMessages)
		}
		if got >= want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("got %d of %d messages delivered within 5 minutes", got, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
