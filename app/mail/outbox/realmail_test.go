package outbox

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestAnnouncementThroughPostfixIntoDovecot sends an announcement to three
// members through real Postfix (submission, STARTTLS and AUTH) into real Dovecot,
// and reads each member's copy back over IMAPS: the headers, both parts and the
// encoding of non-ASCII names and subjects, as a member's mail client sees them.
func TestAnnouncementThroughPostfixIntoDovecot(t *testing.T) {
	srv := realmail.Start(t)
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Cercle d'été"})
	names := []string{"Zoë Ångström", "田中 太郎", "Ada Lovelace"}
	var ids []int64
	for i, n := range names {
		c, err := db.CreateClient(ctx, app.ClientInput{Name: n, Email: realmail.Members[i]})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	db.AddMembers(ctx, cohort.ID, ids, "")
	subject := "Semaine 1 — 目標 ✨ {{first_name}}"
	post := queue(t, db, cohort.ID, subject, "Bonjour **{{first_name}}**,\n\nQuel est ton objectif ? 🎯\n\n- un\n- deux\n")

	coach := compose.From{Name: "Coach Carter-Müller", Email: realmail.Coach, PlusAddressing: true}
	dial := func(ctx context.Context) (Conn, error) {
		c, err := submit.Dial(ctx, submit.Config{Host: srv.Host, Port: srv.SubmissionPort, Security: app.SecuritySTARTTLS,
			User: realmail.Coach, Password: realmail.Password, TLS: srv.TLSConfig(), Timeout: 20 * time.Second})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	if err := New(db, dial, Config{From: coach}, nil).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	items, _ := db.Outbox(ctx, app.OutboxFilter{PostID: post.ID})
	for i, it := range items {
		if it.State != app.OutboxSent || !strings.Contains(it.LastAnswer, "queued as") {
			t.Fatalf("got %+v, want sent with Postfix's queue id in the answer", it)
		}
		raw := fetchByMessageID(t, srv, it.Email, it.MessageID)
		r, err := mail.CreateReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		h := r.Header
		first := strings.Fields(items[i].Name)[0]
		if got, _ := h.Subject(); got != "Semaine 1 — 目標 ✨ "+first {
			t.Errorf("got subject %q, want it decoded with %s's first name", got, first)
		}
		fromList, _ := h.AddressList("From")
		toList, _ := h.AddressList("To")
		if len(fromList) != 1 || fromList[0].Name != coach.Name || len(toList) != 1 || toList[0].Name != it.Name || toList[0].Address != it.Email {
			t.Errorf("got From %v To %v, want the coach's name and only %s <%s>", fromList, toList, it.Name, it.Email)
		}
		replyTo, _ := h.AddressList("Reply-To")
		if tok, ok := replyaddr.Token(replyTo[0].Address); !ok || !strings.HasPrefix(replyTo[0].Address, "coach+rt-"+tok) {
			t.Errorf("got Reply-To %v, want coach+rt-TOKEN", replyTo)
		}
		// The member's own unsubscribe token, never the reply token.
		if lu := h.Get("List-Unsubscribe"); !strings.HasPrefix(lu, "<mailto:"+realmail.Coach+"?subject=unsubscribe%20") ||
			strings.Contains(lu, replyTo[0].Address[len("coach+rt-"):len("coach+rt-")+16]) {
			t.Errorf("got List-Unsubscribe %q, want a mailto link with the member's unsubscribe token", lu)
		}
		// The envelope sender, as Dovecot wrote it in Return-Path, is this
		// copy's own bounce address (VERP).
		if rp := h.Get("Return-Path"); !strings.HasPrefix(rp, "<coach+rt-b-") {
			t.Errorf("got Return-Path %q, want the copy's bounce address coach+rt-b-TOKEN", rp)
		}
		thread, _ := h.MsgIDList("References")
		inReply, _ := h.MsgIDList("In-Reply-To")
		if len(thread) != 1 || len(inReply) != 1 || thread[0] != inReply[0] {
			t.Errorf("got References %v In-Reply-To %v, want the cohort's thread", thread, inReply)
		}
		if got := h.Get("Delivered-To"); got != it.Email {
			t.Errorf("got Delivered-To %q, want %s", got, it.Email)
		}
		parts := map[string]string{}
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if ih, ok := p.Header.(*mail.InlineHeader); ok {
				ct, _, _ := ih.ContentType()
				b, _ := io.ReadAll(p.Body)
				parts[ct] = string(b)
			}
		}
		if !strings.Contains(parts["text/plain"], "Bonjour *"+first+"*,") || !strings.Contains(parts["text/plain"], "🎯") {
			t.Errorf("got text part %q, want the greeting and the emoji decoded", parts["text/plain"])
		}
		if !strings.Contains(parts["text/html"], "<strong>"+first+"</strong>") {
			t.Errorf("got HTML part without the bold first name %q", first)
		}
	}
}

// fetchByMessageID logs in as user over IMAPS and waits for the message.
func fetchByMessageID(t *testing.T, srv *realmail.Servers, user, messageID string) []byte {
	t.Helper()
	c, err := imapclient.DialTLS(srv.Addr(srv.IMAPSPort), &imapclient.Options{TLSConfig: srv.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, realmail.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			t.Fatal(err)
		}
		found, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}}}, nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if uids := found.AllUIDs(); len(uids) == 1 {
			section := &imap.FetchItemBodySection{Peek: true}
			msgs, err := c.Fetch(imap.UIDSetNum(uids[0]), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}).Collect()
			if err != nil || len(msgs) != 1 {
				t.Fatalf("fetch: %v", err)
			}
			return msgs[0].FindBodySection(section)
		}
	}
	t.Fatalf("%s never reached %s's INBOX", messageID, user)
	return nil
}
