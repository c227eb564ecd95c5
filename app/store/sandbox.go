package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// AppendSandboxMessage keeps one message that the sandbox mail server delivered
// into mailbox, and returns its id. The sandbox writes here before it shows the
// message over IMAP, so a delivery it acknowledged survives a crash.
func (db *DB) AppendSandboxMessage(ctx context.Context, mailbox string, raw []byte, received time.Time) (int64, error) {
	mailbox = strings.TrimSpace(mailbox)
	if mailbox == "" {
		return 0, app.Errorf(app.EINVALID, "A sandbox message needs a mailbox address")
	}
	if raw == nil {
		raw = []byte{} // NOT NULL: an empty message is still a message
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.exec(`INSERT INTO sandbox_messages (mailbox, raw, received_at) VALUES (?, ?, ?)`,
		mailbox, raw, received.UTC().Format(timeFormat))
	if err != nil {
		return 0, dbError(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, dbError(err)
	}
	return id, commit(tx)
}

// SandboxMessages lists what the sandbox delivered into mailbox, oldest first:
// the order in which the sandbox numbers them over IMAP. A mailbox that never
// received anything is an empty list, as an empty inbox is.
func (db *DB) SandboxMessages(ctx context.Context, mailbox string) ([]app.SandboxMessage, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(`SELECT id, mailbox, raw, received_at FROM sandbox_messages
		WHERE mailbox = ? ORDER BY id`, strings.TrimSpace(mailbox))
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	msgs := []app.SandboxMessage{}
	for rows.Next() {
		var (
			m        app.SandboxMessage
			raw      []byte
			received string
		)
		if err := rows.Scan(&m.ID, &m.Mailbox, &raw, &received); err != nil {
			return nil, dbError(err)
		}
		m.Raw = string(raw)
		m.Size = len(raw)
		m.Received = parseTime(received)
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(err)
	}
	return msgs, nil
}

// SandboxMailboxes lists every sandbox mailbox that holds mail, by address, with
// how many messages it holds and when the last one came.
func (db *DB) SandboxMailboxes(ctx context.Context) ([]app.SandboxMailbox, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(`SELECT mailbox, count(*), max(received_at) FROM sandbox_messages
		GROUP BY mailbox ORDER BY mailbox`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	boxes := []app.SandboxMailbox{}
	for rows.Next() {
		var (
			b    app.SandboxMailbox
			last sql.NullString
		)
		if err := rows.Scan(&b.Address, &b.Messages, &last); err != nil {
			return nil, dbError(err)
		}
		b.LastReceived = parseTimePtr(last)
		boxes = append(boxes, b)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(err)
	}
	return boxes, nil
}
