package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

var ctx = context.Background()

// world is a cohort of two who got one post, and their three replies: one
// with a name and subject beyond ASCII, one with lines an mbox reader could
// take for the start of a message (the last one a whole mbox "From " line,
// date and all, which even a careful reader such as mutt splits on).
func world(t *testing.T) (*store.DB, []app.IncomingMail) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var ids []int64
	for _, in := range []app.ClientInput{{Name: "Chloé Dûbois", Email: "chloe@example.com"}, {Name: "Ben", Email: "ben@example.com"}, {Name: "Gone", Email: "gone@example.com"}} {
		c, err := db.CreateClient(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if err := db.ArchiveClients(ctx, ids[2:], true); err != nil {
		t.Fatal(err)
	}
	h, err := db.CreateCohort(ctx, app.CohortInput{Name: "Spring Circle", Kind: app.KindMastermind})
	if err != nil {
		t.Fatal(err)
	}
	db.AddMembers(ctx, h.ID, ids[:2], app.RoleMember)
	p, err := db.CreatePost(ctx, app.PostInput{CohortID: h.ID, Subject: "Week 1: your goal", Body: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if p, err = db.QueuePost(ctx, p.ID, func() app.MessageIdentity {
		n++
		return app.MessageIdentity{MessageID: fmt.Sprintf("rt.%d@coach.example", n), Token: fmt.Sprintf("tok%011d", n), BounceToken: fmt.Sprintf("b%d", n)}
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 9, 15, 0, 0, time.UTC)
	mails := []app.IncomingMail{
		{MessageID: "r1@mail.example", FromName: "Chloé Dûbois", FromEmail: "chloe@example.com", ClientID: ids[0],
			Subject: "Re: Week 1: your goal — déjà vu", Text: "My goal: finish the book.\nÀ bientôt!", Quoted: "> Hello"},
		{MessageID: "r2@mail.example", FromName: "Ben", FromEmail: "ben@example.com", ClientID: ids[1],
			Subject: "Re: Week 1: your goal", Text: "From now on I write daily.\n>From the top, too.\nFrom here.\nFrom chloe@example.com Fri Nov 20 09:15:00 2026\nis how her mail began.", Quoted: ""},
		{MessageID: "r3@mail.example", FromName: "Ben", FromEmail: "ben@example.com", ClientID: ids[1],
			Subject: "Re: Week 1: your goal", Text: strings.Repeat("A long line that quoted-printable has to fold. ", 5), Quoted: "On Friday the coach wrote:\n> Hello"},
	}
	for i := range mails {
		m := &mails[i]
		m.Account, m.Folder, m.UIDValidity, m.UID, m.Hash = "a", "INBOX", 1, uint32(i+1), m.MessageID
		m.Kind, m.PostID, m.MatchReason, m.Trust = app.MailReply, p.ID, app.MatchToken, app.TrustVerified
		m.SentAt = at.Add(time.Duration(i) * time.Hour)
		if ok, err := db.ImportMail(ctx, *m); err != nil || !ok {
			t.Fatalf("got %v %v, want reply %d imported", ok, err, i)
		}
	}
	return db, mails
}

// TestMboxReadByPython writes a cohort's conversation as mbox and reads it back
// with Python's mailbox module, as another mail tool would: every reply is one
// message, with its sender, subject, date, Message-ID, In-Reply-To the member's
// copy of the post, and the body exactly as stored.
func TestMboxReadByPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed to read the mbox back (scripts/setup.sh installs it)")
	}
	db, mails := world(t)
	file := filepath.Join(t.TempDir(), "circle.mbox")
	var n int
	err = WriteFile(file, func(w io.Writer) (err error) {
		n, err = Mbox(ctx, db, "spring circle", w)
		return err
	})
	if err != nil || n != 3 {
		t.Fatalf("got %d messages (%v), want 3", n, err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Fatalf("got mode %v, want 0600", st.Mode().Perm())
	}
	script := `
import sys, json, mailbox, email.policy, email.parser
box = mailbox.mbox(sys.argv[1], factory=lambda f: email.parser.BytesParser(policy=email.policy.default).parse(f), create=False)
out = []
for m in box:
    out.append({"from": m["from"].addresses[0].display_name, "email": m["from"].addresses[0].addr_spec,
        "subject": str(m["subject"]), "date": m["date"].datetime.isoformat(), "messageId": m["message-id"],
        "inReplyTo": m["in-reply-to"], "body": m.get_content()})
print(json.dumps(out))
`
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(python, "-c", script, file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python could not read the mbox: %v\n%s", err, stderr.String())
	}
	var got []struct{ From, Email, Subject, Date, MessageID, InReplyTo, Body string }
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("got %q: %v", stdout.String(), err)
	}
	if len(got) != len(mails) {
		t.Fatalf("got %d messages, want %d", len(got), len(mails))
	}
	for i, m := range mails {
		g := got[i]
		body := m.Text
		if m.Quoted != "" {
			body += "\n\n" + m.Quoted
		}
		want := []string{m.FromName, m.FromEmail, m.Subject, m.SentAt.Format("2006-01-02T15:04:05+00:00"), "<" + m.MessageID + ">", body + "\n"}
		have := []string{g.From, g.Email, g.Subject, g.Date, g.MessageID, g.Body}
		for k := range want {
			if have[k] != want[k] {
				t.Errorf("message %d: got %q, want %q", i+1, have[k], want[k])
			}
		}
		if !strings.HasPrefix(g.InReplyTo, "<rt.") || !strings.HasSuffix(g.InReplyTo, "@coach.example>") {
			t.Errorf("message %d: got In-Reply-To %q, want the member's copy of the post", i+1, g.InReplyTo)
		}
	}
	if got[1].InReplyTo != got[2].InReplyTo || got[0].InReplyTo == got[1].InReplyTo {
		t.Errorf("got In-Reply-To %q, %q, %q, want each member's own copy", got[0].InReplyTo, got[1].InReplyTo, got[2].InReplyTo)
	}
}

func TestEverything(t *testing.T) {
	db, mails := world(t)
	file := filepath.Join(t.TempDir(), "all.json")
	err := WriteFile(file, func(w io.Writer) error {
		ex, err := Everything(ctx, db, time.Now())
		if err != nil {
			return err
		}
		return json.NewEncoder(w).Encode(ex)
	})
	if err != nil {
		t.Fatal(err)
	}
	var ex app.Export
	b, _ := os.ReadFile(file)
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Clients) != 3 || ex.Clients[2].Email != "gone@example.com" || ex.Clients[2].ArchivedAt == nil {
		t.Fatalf("got %+v, want the 2 current clients and the archived one", ex.Clients)
	}
	if len(ex.Cohorts) != 1 || len(ex.Cohorts[0].Roster) != 2 || len(ex.Cohorts[0].Conversations) != 1 {
		t.Fatalf("got %+v, want the cohort with its roster and its conversation", ex.Cohorts)
	}
	if ex.Lessons == nil || ex.Cohorts[0].Curriculum.Entries == nil || ex.Cohorts[0].Progress.Members == nil {
		t.Fatalf("got lessons %v, curriculum %+v, progress %+v; want them present, empty", ex.Lessons, ex.Cohorts[0].Curriculum, ex.Cohorts[0].Progress)
	}
	rs := ex.Cohorts[0].Conversations[0].Replies
	if len(rs) != 3 || rs[0].Text != mails[0].Text || rs[1].Text != mails[1].Text {
		t.Fatalf("got %+v, want the three replies with their text", rs)
	}
}

func TestMboxUnknownCohort(t *testing.T) {
	db, _ := world(t)
	dir := t.TempDir()
	err := WriteFile(filepath.Join(dir, "x.mbox"), func(w io.Writer) error {
		_, err := Mbox(ctx, db, "Autumn", w)
		return err
	})
	if app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("got %v, want the unknown cohort named", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("got %v, want no file written", entries)
	}
}
