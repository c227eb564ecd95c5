package app

import "time"

// SandboxMailbox is one address that the built-in sandbox mail server has
// delivered to: a member's inbox, or the coach's. The coach opens it to see
// exactly what that person received.
type SandboxMailbox struct {
	Address      string     `json:"address"`      // lower case, without +detail
	Messages     int        `json:"messages"`     // how many were delivered
	LastReceived *time.Time `json:"lastReceived"` // nil while the mailbox is empty
}

// SandboxMessage is one message as the sandbox delivered it: the raw bytes as
// they went over SMTP, with the delivery headers (Return-Path, Delivered-To,
// Received) in front, as a real mail server would keep them. The store fills
// ID, Mailbox, Received and Raw; the sandbox reads From, To, Subject and Date
// from the headers, decoded for display, so the window needs no MIME parser.
type SandboxMessage struct {
	ID       int64     `json:"id"`
	Mailbox  string    `json:"mailbox"`
	Received time.Time `json:"received"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Subject  string    `json:"subject"`
	Date     string    `json:"date"` // the Date header as written by the sender
	Size     int       `json:"size"` // bytes of Raw
	Raw      string    `json:"raw"`
}
