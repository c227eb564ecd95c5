package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/store"
)

// The demo's past: five weeks of weekly check-ins in each cohort, the members'
// replies to them and a session with attendance taken, written with the
// workspace's clock set back to when each happened. So the demo's home screen
// has something to say: a mastermind where one member writes half the replies
// and half the members went quiet, members who said nothing for weeks, cohorts
// without a written purpose. The copies are recorded as sent and never go
// anywhere: the demo has no mail account, and nothing is left in its outbox
// but one announcement scheduled for the coming days.

// demoSent is the server answer recorded on the demo's copies.
const demoSent = "Demo: recorded as sent, nothing was sent"

// said are the members' replies, picked in turn.
var said = []string{
	"Sent the proposal to two prospects. One said yes! The other wants to talk again next month.",
	"Honestly a slow week. I did the pricing page, but I keep rewriting the headline.",
	"Finished the workshop outline. Would love feedback on the second half from anyone who runs groups.",
	"I blocked two mornings for deep work and it changed everything. Trying three next week.",
	"Struggled to find time this week, the day job ate everything. Small step: I emailed one past client.",
	"Ran the pilot session with four people. Two asked to sign up for the full programme.",
	"Wrote 2,000 words of the guide. It is rough but it exists.",
	"Took Ana's advice and raised my rate by 20 %. Nobody blinked.",
	"Recorded the first video. Hated watching it, published it anyway.",
	"Had my first discovery call from the newsletter. Nervous, but it went well.",
	"Answering last week's question: I say no to anything that does not fit my three priorities.",
	"Not much to report, but I read everyone's updates and they keep me going.",
}

// week is what happened in one cohort in one week: who replied (by their row
// in the cohort's members), how many times each.
type week map[int]int

// pasts are the five weeks of each demo cohort, oldest first, in cohort order.
var pasts = [][]week{
	// Spring Mastermind, 10 members: the first writes half the replies of the
	// last four weeks; rows 6 and 7 stopped writing, 8 and 9 never started.
	{{0: 1, 1: 1, 6: 1, 7: 1}, {0: 2, 6: 1}, {0: 2, 2: 1}, {0: 2, 3: 1, 5: 1}, {0: 2, 2: 1, 3: 1, 4: 1}},
	// Writers' Circle, 18 members: lively; rows 16 and 17 quiet since joining.
	{{0: 1, 1: 1, 2: 1}, {3: 1, 4: 1, 5: 1, 6: 1}, {7: 1, 8: 1, 9: 1}, {0: 1, 10: 1, 11: 1, 12: 1},
		{1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 13: 1, 14: 1, 15: 1}},
	// Leadership Lab, 6 members.
	{{0: 1}, {1: 1, 2: 1}, {0: 1, 3: 1}, {1: 1, 4: 1}, {2: 1, 5: 1}},
}

// history writes the demo's past for the cohorts made (in cohorts order) with
// their members' ids, as of now, then puts the clock back.
func history(ctx context.Context, db *store.DB, made []app.Cohort, members [][]int64, now time.Time) error {
	clock := db.Now
	defer func() { db.Now = clock }()
	at := func(t time.Time) { db.Now = func() time.Time { return t } }
	ids := compose.NewIDs(compose.From{Name: "Demo Coach", Email: "coach@example.com"})
	n := 0
	for ci, c := range made {
		weeks := pasts[ci]
		for w, replies := range weeks {
			sent := now.AddDate(0, 0, -7*(len(weeks)-w)).Add(2 * time.Hour)
			at(sent)
			p, err := db.CreatePost(ctx, app.PostInput{CohortID: c.ID, Subject: fmt.Sprintf("Week %d check-in: what moved?", w+1),
				Body: "Hello {{first_name}},\n\nWhat moved for you this week, and what is in the way? A line or two is plenty."})
			if err != nil {
				return err
			}
			if _, err := db.QueuePost(ctx, p.ID, ids); err != nil {
				return err
			}
			if err := recordSent(ctx, db, sent); err != nil {
				return err
			}
			for row := range members[ci] {
				for k := range replies[row] {
					at(sent.Add(time.Duration(5+row*3+k*26) * time.Hour))
					n++
					if _, err := db.ImportMail(ctx, app.IncomingMail{Kind: app.MailReply, ClientID: members[ci][row], PostID: p.ID,
						MessageID: fmt.Sprintf("demo-reply-%d@example.com", n), Hash: fmt.Sprintf("demo-reply-%d", n),
						FromEmail: "member@example.com", Subject: "Re: " + p.Subject, Text: said[n%len(said)],
						Trust: app.TrustPlausible, MatchReason: "Demo reply"}); err != nil {
						return err
					}
				}
			}
			// The coach read all but the last week's replies.
			if w < len(weeks)-1 {
				if err := markRead(ctx, db, p.ID); err != nil {
					return err
				}
			}
		}
	}
	// Leadership Lab's weekly call, running for three weeks, with attendance
	// of its first occurrence taken.
	lab := made[2]
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		london = time.UTC
	}
	y, m, d := now.In(london).Date()
	first := time.Date(y, m, d-20, 17, 0, 0, 0, london)
	at(first.AddDate(0, 0, -7))
	s, err := db.CreateSession(ctx, app.SessionInput{CohortID: lab.ID, Title: "Leadership Lab call", Start: first, Minutes: 60,
		TimeZone: "Europe/London", EveryWeeks: 1}, fmt.Sprintf("demo-session-%d@example.com", first.Unix()), sessionMail, ids)
	if err != nil {
		return err
	}
	if err := recordSent(ctx, db, first.AddDate(0, 0, -7)); err != nil {
		return err
	}
	at(first.Add(2 * time.Hour))
	if err := db.SetAttendance(ctx, s.ID, members[2][:4], true); err != nil {
		return err
	}
	// Next week's check-in, scheduled.
	at(now)
	next := time.Date(y, m, d+2, 9, 0, 0, 0, london)
	p, err := db.CreatePost(ctx, app.PostInput{CohortID: made[0].ID, Subject: "Week 6 check-in: what moved?", Body: "Hello {{first_name}},\n\nSame question as every week: what moved?", SendAt: &next})
	if err != nil {
		return err
	}
	_, err = db.QueuePost(ctx, p.ID, ids)
	return err
}

// sessionMail is the demo session's invitation: recorded, never sent.
func sessionMail(s app.Session, to []app.SessionAttendee) (app.SessionMail, error) {
	return app.SessionMail{Subject: "Invitation: " + s.Title, Body: "Join us for " + s.Title + "."}, nil
}

// recordSent marks every copy due by t as sent, as the outbox would have: one
// transaction a copy (each marks the next as being sent).
func recordSent(ctx context.Context, db *store.DB, t time.Time) error {
	job, err := db.NextDue(ctx, t, 0)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if err := db.MarkSending(ctx, job.Item.ID); err != nil {
		return err
	}
	for {
		next, err := db.NextDue(ctx, t, 0)
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return err
		}
		if _, err := db.MarkSentAndSending(ctx, job.Item.ID, demoSent, next.Item.ID, false); err != nil {
			return err
		}
		if next.Item.ID == 0 {
			return nil
		}
		job = next
	}
}

func markRead(ctx context.Context, db *store.DB, postID int64) error {
	rs, err := db.Replies(ctx, postID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := db.MarkReplyRead(ctx, r.ID, true); err != nil {
			return err
		}
	}
	return nil
}
