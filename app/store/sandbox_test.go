package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

func mustSandboxMessage(tb testing.TB, db *DB, mailbox, raw string, received time.Time) int64 {
	tb.Helper()
	id, err := db.AppendSandboxMessage(context.Background(), mailbox, []byte(raw), received)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func TestSandboxMessages(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CET", 3600))

	t.Run("OK", func(t *testing.T) {
		db := openTest(t)
		first := mustSandboxMessage(t, db, "ana@example.com", "Subject: one\r\n\r\nhi\r\n", t0)
		mustSandboxMessage(t, db, "ben@example.com", "Subject: other\r\n\r\n", t0.Add(time.Minute))
		second := mustSandboxMessage(t, db, "ana@example.com", "Subject: two\r\n\r\nhi again\r\n", t0.Add(2*time.Minute))

		msgs, err := db.SandboxMessages(ctx, "ana@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 {
			t.Fatalf("got %d messages, want 2", len(msgs))
		}
		if msgs[0].ID != first || msgs[1].ID != second {
			t.Fatalf("got ids %d, %d, want %d, %d (oldest first)", msgs[0].ID, msgs[1].ID, first, second)
		}
		if got, want := msgs[1].Raw, "Subject: two\r\n\r\nhi again\r\n"; got != want {
			t.Fatalf("got raw %q, want %q", got, want)
		}
		if got, want := msgs[0].Received, t0.UTC(); !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("got received %v, want %v in UTC", got, want)
		}
		if got, want := msgs[1].Size, len(msgs[1].Raw); got != want {
			t.Fatalf("got size %d, want %d", got, want)
		}
	})

	t.Run("AddressIgnoresCase", func(t *testing.T) {
		db := openTest(t)
		mustSandboxMessage(t, db, "Ana@Example.com", "Subject: one\r\n\r\n", t0)
		msgs, err := db.SandboxMessages(ctx, "ana@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 {
			t.Fatalf("got %d messages, want 1", len(msgs))
		}
	})

	t.Run("EmptyMailboxIsEmptyList", func(t *testing.T) {
		db := openTest(t)
		msgs, err := db.SandboxMessages(ctx, "nobody@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if msgs == nil || len(msgs) != 0 {
			t.Fatalf("got %#v, want an empty list", msgs)
		}
	})

	t.Run("BytesKeptExactly", func(t *testing.T) {
		db := openTest(t)
		raw := "Subject: =?ISO-8859-1?Q?caf=E9?=\r\n\r\ncaf\xe9 \x00\xff\r\n.\r\n"
		mustSandboxMessage(t, db, "ana@example.com", raw, t0)
		msgs, err := db.SandboxMessages(ctx, "ana@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if msgs[0].Raw != raw {
			t.Fatalf("got raw %q, want %q", msgs[0].Raw, raw)
		}
	})

	t.Run("ErrNoMailbox", func(t *testing.T) {
		db := openTest(t)
		_, err := db.AppendSandboxMessage(ctx, "  ", []byte("x"), t0)
		wantCode(t, err, app.EINVALID)
	})

	t.Run("KeptAcrossReopen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workspace.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		mustSandboxMessage(t, db, "coach@sandbox.invalid", "Subject: reply\r\n\r\n", t0)
		db.Close()
		db, err = Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		msgs, err := db.SandboxMessages(ctx, "coach@sandbox.invalid")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 {
			t.Fatalf("got %d messages, want 1", len(msgs))
		}
	})
}

func TestSandboxMailboxes(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

	t.Run("OK", func(t *testing.T) {
		db := openTest(t)
		mustSandboxMessage(t, db, "ben@example.com", "a", t0)
		mustSandboxMessage(t, db, "ana@example.com", "b", t0.Add(time.Minute))
		mustSandboxMessage(t, db, "ben@example.com", "c", t0.Add(2*time.Minute))

		boxes, err := db.SandboxMailboxes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(boxes) != 2 {
			t.Fatalf("got %d mailboxes, want 2", len(boxes))
		}
		ana, ben := boxes[0], boxes[1]
		if ana.Address != "ana@example.com" || ana.Messages != 1 {
			t.Fatalf("got %+v, want ana@example.com with 1 message", ana)
		}
		if ben.Address != "ben@example.com" || ben.Messages != 2 {
			t.Fatalf("got %+v, want ben@example.com with 2 messages", ben)
		}
		if ben.LastReceived == nil || !ben.LastReceived.Equal(t0.Add(2*time.Minute)) {
			t.Fatalf("got last received %v, want %v", ben.LastReceived, t0.Add(2*time.Minute))
		}
	})

	t.Run("NoneYet", func(t *testing.T) {
		db := openTest(t)
		boxes, err := db.SandboxMailboxes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if boxes == nil || len(boxes) != 0 {
			t.Fatalf("got %#v, want an empty list", boxes)
		}
	})
}

func BenchmarkAppendSandboxMessage(b *testing.B) {
	db := openTest(b)
	raw := make([]byte, 4<<10)
	for i := range raw {
		raw[i] = 'a' + byte(i%26)
	}
	now := time.Now()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := db.AppendSandboxMessage(context.Background(), "ana@example.com", raw, now); err != nil {
			b.Fatal(err)
		}
	}
}
