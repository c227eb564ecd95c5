package cli

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app/internal/smtptest"
)

// TestBackupWhileSending takes `backup create` while `outbox send` sends an
// announcement to 300 members, restores the backup into a new workspace and
// compares it with the workspace once sending ended: every copy the backup
// says was sent is, row for row, the same in the workspace; the ones still
// waiting in the backup were sent later, to the same member with the same
// Message-ID; at most one was in flight.
func TestBackupWhileSending(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 300 messages")
	}
	const members = 300
	srv := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{Delay: 5 * time.Millisecond}})
	ws, _ := queuedToCohort(t, members, srv)
	sent := make(chan string, 1)
	go func() {
		code, _, errs := run(t, ws, "outbox", "send")
		sent <- fmt.Sprintf("exit %d %s", code, errs)
	}()
	for deadline := time.Now().Add(20 * time.Second); len(srv.Messages()) < 20; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("sending did not start within 20 s")
		}
	}
	code, out, errs := run(t, ws, "backup", "create", t.TempDir(), "--json")
	if code != 0 {
		t.Fatalf("got exit %d (%s), want a backup while sending", code, errs)
	}
	if got := <-sent; got != "exit 0 " {
		t.Fatalf("outbox send: got %s, want exit 0", got)
	}
	restored, _ := restoreInto(t, out)

	type row struct{ postID, clientID, email, messageID, state, sentAt, attempts string }
	read := func(path string) map[int64]row {
		db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rs, err := db.Query("SELECT id, post_id, client_id, email, message_id, state, coalesce(sent_at, ''), attempts FROM outbox")
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		out := map[int64]row{}
		for rs.Next() {
			var id int64
			var r row
			if err := rs.Scan(&id, &r.postID, &r.clientID, &r.email, &r.messageID, &r.state, &r.sentAt, &r.attempts); err != nil {
				t.Fatal(err)
			}
			out[id] = r
		}
		return out
	}
	then, now := read(restored), read(ws)
	if len(then) != members || len(now) != members {
		t.Fatalf("got %d rows in the backup and %d in the workspace, want %d in each", len(then), len(now), members)
	}
	states := map[string]int{}
	for id, b := range then {
		states[b.state]++
		w := now[id]
		if w.state != "sent" {
			t.Fatalf("copy %d: got %q in the workspace after sending, want sent", id, w.state)
		}
		if b.state == "sent" && b != w {
			t.Errorf("copy %d: got %+v in the backup, want %+v as in the workspace", id, b, w)
		}
		if b.state != "sent" && (b.email != w.email || b.messageID != w.messageID || b.sentAt != "") {
			t.Errorf("copy %d: got %+v in the backup, want the workspace's copy %+v before it was sent", id, b, w)
		}
	}
	if states["sent"] < 19 || states["sent"] == members || states["sending"] > 1 {
		t.Fatalf("got states %v in the backup, want it taken mid-way (at least 19 sent, some not, at most one in flight)", states)
	}
	t.Logf("the backup holds %v", states)
}

// restoreInto restores the backup `backup create --json` reported in out into
// a new workspace, as the coach would on a new laptop, and returns the
// workspace's path and the backup's.
func restoreInto(t *testing.T, out string) (restored, backup string) {
	t.Helper()
	var created struct {
		Backup struct{ Path string } `json:"backup"`
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.Backup.Path == "" {
		t.Fatalf("backup create said %q (%v), want the copy's path", out, err)
	}
	restored = filepath.Join(t.TempDir(), "restored.db")
	if code, _, errs := run(t, restored, "backup", "restore", created.Backup.Path, "--yes"); code != 0 {
		t.Fatal(errs)
	}
	return restored, created.Backup.Path
}
