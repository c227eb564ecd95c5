package inbox_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/store"
)

// provider is the coach's mail provider in these tests, as its
// Authentication-Results fields name it.
const provider = "mx.coach-provider.example"

// withVerdict puts the provider's Authentication-Results on top of a message, as
// the provider does on delivery: dmarc=result for the domain of from.
func withVerdict(raw []byte, result, from string) []byte {
	_, domain, _ := strings.Cut(from, "@")
	return append([]byte(fmt.Sprintf("Authentication-Results: %s;\r\n\tspf=pass smtp.mailfrom=%s;\r\n\tdmarc=%s (p=REJECT) header.from=%s\r\n",
		provider, domain, result, domain)), raw...)
}

// withHeader puts one more header field on top of a message.
func withHeader(raw []byte, field string) []byte {
	return append([]byte(field+"\r\n"), raw...)
}

// recipients returns who gets a copy of a new post: what the coach checks after
// any change to a member's mail.
func (w *world) recipients(t *testing.T, subject string) map[string]bool {
	t.Helper()
	p := w.sendPost(t, subject)
	items, err := w.db.Outbox(context.Background(), app.OutboxFilter{PostID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, it := range items {
		if it.State == app.OutboxQueued {
			got[it.Email] = true
		}
	}
	return got
}

func TestTrust_ProviderVerdictDecidesTheLevel(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana, ben, cleo := w.members[0], w.members[1], w.members[2]
	w.srv.deliver(t, "INBOX", withVerdict(w.mail(t, "gmail_reply.eml", ana, "v1"), "pass", ana.Email))
	w.srv.deliver(t, "INBOX", withVerdict(w.mail(t, "outlook_reply.eml", ben, "n1"), "none", ben.Email))
	// Cleo's address, but the provider says DMARC failed: a forgery.
	w.srv.deliver(t, "INBOX", withVerdict(w.mail(t, "apple_reply.eml", cleo, "f1"), "fail", cleo.Email))
	sum := w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	if sum.Imported != 2 || sum.Unmatched != 1 {
		t.Fatalf("got %+v, want 2 in the thread and the forgery held", sum)
	}
	got := map[string]app.Reply{}
	for _, r := range w.replies(t) {
		got[r.Email] = r
	}
	if r := got[ana.Email]; r.Trust != app.TrustVerified || !r.Shared || !strings.Contains(r.TrustReason, "DMARC passed") {
		t.Errorf("got Ana's reply %s shared %v (%s), want verified and shared", r.Trust, r.Shared, r.TrustReason)
	}
	if r := got[ben.Email]; r.Trust != app.TrustPlausible || !r.Shared {
		t.Errorf("got Ben's reply %s shared %v, want plausible and shared", r.Trust, r.Shared)
	}
	if _, ok := got[cleo.Email]; ok {
		t.Error("got the forged reply in Cleo's name in the thread, want it held")
	}
	un, _ := w.db.Unmatched(context.Background())
	if len(un) != 1 || un[0].Trust != app.TrustUnverified || !strings.Contains(un[0].Reason, "DMARC failed") {
		t.Fatalf("got %+v waiting, want the forgery held with the provider's reason", un)
	}

	// "Verified only": Ben's plausible reply is no longer shown to the others.
	if err := w.db.SetReplySharing(context.Background(), w.cohort.ID, app.ShareVerified); err != nil {
		t.Fatal(err)
	}
	for _, r := range w.replies(t) {
		if want := r.Email == ana.Email; r.Shared != want {
			t.Errorf("verified only: got %s's reply shared %v, want %v", r.Email, r.Shared, want)
		}
	}
	// The coach approves Ben's reply: shown whatever the setting.
	if err := w.db.ApproveReply(context.Background(), got[ben.Email].ID, true); err != nil {
		t.Fatal(err)
	}
	for _, r := range w.replies(t) {
		if !r.Shared {
			t.Errorf("got %s's reply not shared after approval", r.Email)
		}
	}
}

// A sender writes a passing verdict into their own message. Only the provider's
// field (topmost, its name) counts: with the provider's failing field on top the
// reply is held; with no provider field at all the forged one is ignored.
func TestTrust_ForgedAuthenticationResultsIgnored(t *testing.T) {
	w := newWorld(t, capsRev1)
	ana, ben := w.members[0], w.members[1]
	forged := fmt.Sprintf("Authentication-Results: %s; dmarc=pass header.from=example.net", provider)
	// Under the provider's own failing verdict.
	w.srv.deliver(t, "INBOX", withVerdict(withHeader(w.mail(t, "gmail_reply.eml", ana, "x1"), forged), "fail", ana.Email))
	// Under nothing of the provider's: a spoofed authserv-id on top of that.
	w.srv.deliver(t, "INBOX", withHeader(withHeader(w.mail(t, "outlook_reply.eml", ben, "x2"), forged),
		"Authentication-Results: mx.attacker.example; dmarc=pass header.from=example.net"))
	w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	rs := w.replies(t)
	if len(rs) != 1 || rs[0].Email != ben.Email || rs[0].Trust != app.TrustPlausible {
		t.Fatalf("got %+v, want only Ben's reply, plausible (the forged verdicts ignored)", rs)
	}
	un, _ := w.db.Unmatched(context.Background())
	if len(un) != 1 || un[0].FromEmail != ana.Email {
		t.Fatalf("got %+v waiting, want Ana's forgery held", un)
	}
}

// A forwarded copy answered by someone else: Dana (a client, but not in the
// cohort) replies to Ana's reply address. It is held as unverified, never filed
// as Ana's, and says why.
func TestTrust_ForwardedCopyRepliedBySomeoneElse(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana := w.members[0]
	dana, err := w.db.CreateClient(context.Background(), app.ClientInput{Name: "Dana Ruiz", Email: "dana@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	w.sent[dana.ID] = w.sent[ana.ID] // Dana answers Ana's copy
	w.srv.deliver(t, "INBOX", withVerdict(w.mail(t, "gmail_reply.eml", dana, "fw1"), "pass", dana.Email))
	w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	if rs := w.replies(t); len(rs) != 0 {
		t.Fatalf("got %+v in the thread, want nothing filed as Ana's", rs)
	}
	un, _ := w.db.Unmatched(context.Background())
	if len(un) != 1 || un[0].Trust != app.TrustUnverified || !strings.Contains(un[0].Reason, "given to "+ana.Name) {
		t.Fatalf("got %+v, want Dana's mail held, saying the address was Ana's", un)
	}
}

// A member citing another member's copy (In-Reply-To Ben's message): threaded
// under the post as a guess, and not shown to the others until approved.
func TestTrust_CitingAnotherMembersCopyIsAGuess(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana, ben := w.members[0], w.members[1]
	raw := w.mail(t, "outlook_reply.eml", ana, "c1")
	raw = []byte(strings.ReplaceAll(string(raw), w.sent[ana.ID].messageID, w.sent[ben.ID].messageID))
	w.srv.deliver(t, "INBOX", withVerdict(raw, "pass", ana.Email))
	w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	rs := w.replies(t)
	if len(rs) != 1 || rs[0].ClientID != ana.ID || !rs[0].Guess || rs[0].Shared || rs[0].MatchReason != app.MatchOtherCopy {
		t.Fatalf("got %+v, want Ana's reply as a guess, not shared", rs)
	}
}

// A forged bounce ("from MAILER-DAEMON", naming Ben, citing nothing of ours) is
// only suspected: Ben still receives the next post until the coach confirms.
// A real one (citing Ben's copy) stops mail at once.
func TestTrust_ForgedBounceIsOnlySuspected(t *testing.T) {
	w := newWorld(t, capsRev1)
	ana, ben := w.members[0], w.members[1]
	raw := string(w.mail(t, "bounce_dsn.eml", ben, "fb1"))
	raw = strings.ReplaceAll(raw, w.sent[ben.ID].messageID, "someone-else@elsewhere.example")
	w.srv.deliver(t, "INBOX", []byte(raw))
	sum := w.mustSync(t, inbox.Options{Account: "a"})
	if sum.Bounces != 1 {
		t.Fatalf("got %+v, want the report kept", sum)
	}
	ctx := context.Background()
	st, _ := w.db.ClientMailStatus(ctx, ben.ID)
	if st.Bouncing || st.SuspectedBounce == nil || !strings.Contains(st.SuspectedBounce.Text, "User unknown") {
		t.Fatalf("got %+v, want a suspected bounce with the report's text, not bouncing", st)
	}
	if got := w.recipients(t, "Week 4"); !got[ben.Email] {
		t.Fatalf("got recipients %v, want Ben still mailed", got)
	}
	if err := w.db.DismissSuspectedBounce(ctx, st.SuspectedBounce.ID); err != nil {
		t.Fatal(err)
	}
	if st, _ = w.db.ClientMailStatus(ctx, ben.ID); st.SuspectedBounce != nil || st.Bouncing || len(st.History) != 1 {
		t.Fatalf("got %+v after dismissing, want nothing pending and the decision in the history", st)
	}

	// The real one cites Ana's copy of "Week 4".
	w.srv.deliver(t, "INBOX", w.mail(t, "bounce_dsn.eml", ana, "rb1"))
	w.mustSync(t, inbox.Options{Account: "a"})
	if st, _ = w.db.ClientMailStatus(ctx, ana.ID); !st.Bouncing || st.SuspectedBounce != nil {
		t.Fatalf("got %+v, want Ana bouncing", st)
	}
	if got := w.recipients(t, "Week 5"); got[ana.Email] || !got[ben.Email] {
		t.Fatalf("got recipients %v, want Ana skipped and Ben mailed", got)
	}
}

// A suspected bounce confirmed by the coach stops mail.
func TestTrust_SuspectedBounceConfirmed(t *testing.T) {
	w := newWorld(t, capsRev1)
	ben := w.members[1]
	raw := strings.ReplaceAll(string(w.mail(t, "bounce_dsn.eml", ben, "fb1")), w.sent[ben.ID].messageID, "x@elsewhere.example")
	w.srv.deliver(t, "INBOX", []byte(raw))
	w.mustSync(t, inbox.Options{Account: "a"})
	ctx := context.Background()
	st, _ := w.db.ClientMailStatus(ctx, ben.ID)
	if st.SuspectedBounce == nil {
		t.Fatal("got no suspected bounce")
	}
	if err := w.db.ConfirmSuspectedBounce(ctx, st.SuspectedBounce.ID); err != nil {
		t.Fatal(err)
	}
	if got := w.recipients(t, "Week 4"); got[ben.Email] {
		t.Fatalf("got recipients %v, want Ben skipped after the coach confirmed", got)
	}
}

// An unsubscribe request that is not proven (no verdict, or not the member's
// address) asks the member to confirm by email; the coach sees it pending and
// the member is still mailed. Their reply to the question unsubscribes them;
// the coach can undo it.
func TestTrust_ForgedUnsubscribeAsksTheMember(t *testing.T) {
	w := newWorld(t, capsRev2)
	cleo := w.members[2]
	ctx := context.Background()
	stranger := app.Client{Name: "Prankster", Email: "prank@example.org"}
	w.sent[0] = w.sent[cleo.ID]
	raw := strings.ReplaceAll(string(w.mail(t, "unsubscribe.eml", cleo, "u1")), "From: Cleo Park <"+cleo.Email+">", "From: Prankster <"+stranger.Email+">")
	w.srv.deliver(t, "INBOX", withVerdict([]byte(raw), "pass", stranger.Email))
	w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	st, _ := w.db.ClientMailStatus(ctx, cleo.ID)
	if st.Unsubscribed || !st.UnsubscribePending {
		t.Fatalf("got %+v, want Cleo pending, not unsubscribed", st)
	}
	// The question went to Cleo, and she is still mailed.
	items, _ := w.db.Outbox(ctx, app.OutboxFilter{})
	var question *app.OutboxItem
	for i := range items {
		if items[i].Subject == store.UnsubscribeConfirmSubject {
			question = &items[i]
		}
	}
	if question == nil || question.Email != cleo.Email {
		t.Fatalf("got outbox %+v, want a confirmation question to Cleo", items)
	}
	if got := w.recipients(t, "Week 4"); !got[cleo.Email] {
		t.Fatalf("got recipients %v, want Cleo still mailed", got)
	}

	// Cleo answers the question from her own address.
	w.sent[cleo.ID] = sentCopy{messageID: question.MessageID} // answered by its Message-ID
	w.srv.deliver(t, "INBOX", w.mail(t, "apple_reply.eml", cleo, "c1"))
	w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	if st, _ = w.db.ClientMailStatus(ctx, cleo.ID); !st.Unsubscribed || st.UnsubscribePending {
		t.Fatalf("got %+v, want Cleo unsubscribed after confirming", st)
	}
	if got := w.recipients(t, "Week 5"); got[cleo.Email] {
		t.Fatalf("got recipients %v, want Cleo skipped", got)
	}
	if len(st.History) != 2 || st.History[0].Kind != "unsubscribed" || !strings.Contains(st.History[1].Note, stranger.Email) {
		t.Fatalf("got history %+v, want the request (naming the prankster) and the confirmation", st.History)
	}
	if err := w.db.Resubscribe(ctx, cleo.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := w.recipients(t, "Week 6"); !got[cleo.Email] {
		t.Fatalf("got recipients %v, want Cleo mailed again after the coach undid it", got)
	}
}

// An out-of-office sent to Ana's reply address from someone else's address
// does not mark Ana away.
func TestTrust_AutoReplyFromSomeoneElse(t *testing.T) {
	w := newWorld(t, capsRev1)
	ana, ben := w.members[0], w.members[1]
	w.sent[ben.ID] = w.sent[ana.ID]
	w.srv.deliver(t, "INBOX", w.mail(t, "auto_reply.eml", ben, "o1"))
	w.mustSync(t, inbox.Options{Account: "a"})
	for _, c := range []app.Client{ana, ben} {
		if st, _ := w.db.ClientMailStatus(context.Background(), c.ID); st.Away {
			t.Errorf("got %s away, want nobody marked away", c.Name)
		}
	}
}

// A client's own mail to the coach that answers nothing Roundtable sent is
// never downloaded or stored, unless the coach keeps their 1:1 mail.
func TestPrivacy_ClientsOtherMailNotStored(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana := w.members[0]
	raw := strings.Replace(string(w.mail(t, "personal.eml", ana, "p1")), "From: Old Friend <friend@example.org>", "From: Ana Lima <"+ana.Email+">", 1)
	w.srv.deliver(t, "INBOX", []byte(raw))
	sum := w.mustSync(t, inbox.Options{Account: "a"})
	if sum.Skipped != 1 || strings.Contains(w.srv.sent(), "PRIVATE-p1") {
		t.Fatalf("got %+v, and the body on the wire: %v; want it skipped from its header alone", sum, strings.Contains(w.srv.sent(), "PRIVATE-p1"))
	}
	if seen, _ := w.db.InboxSeen(context.Background(), "p1@example.org", "x"); seen {
		t.Fatal("the coach's 1:1 mail with a client was stored")
	}

	kept := newWorld(t, capsRev2)
	raw = strings.Replace(string(kept.mail(t, "personal.eml", kept.members[0], "p2")), "From: Old Friend <friend@example.org>", "From: Ana Lima <"+kept.members[0].Email+">", 1)
	kept.srv.deliver(t, "INBOX", []byte(raw))
	sum = kept.mustSync(t, inbox.Options{Account: "a", KeepPersonal: true})
	if seen, _ := kept.db.InboxSeen(context.Background(), "p2@example.org", "x"); !seen || sum.Imported != 0 || sum.Unmatched != 0 || sum.Personal != 1 {
		t.Fatalf("got %+v; want the 1:1 mail kept (not as a reply), and counted, when the coach asked", sum)
	}
}

// replyText is a plain reply from a member to their copy of the post, with the
// words given and the announcement quoted under it, as a mail client writes it.
func (w *world) replyText(who app.Client, mid, words string) []byte {
	s := w.sent[who.ID]
	return []byte("From: " + who.Name + " <" + who.Email + ">\r\nTo: coach+rt-" + s.token + "@example.com\r\n" +
		"Subject: Re: " + w.post.Subject + "\r\nMessage-ID: <" + mid + "@example.net>\r\nIn-Reply-To: <" + s.messageID + ">\r\n" +
		"Date: Wed, 2 Dec 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + words +
		"\r\n\r\nOn Mon, 30 Nov 2026 at 10:00, Sam Coach <coach@example.com> wrote:\r\n> This week: pick one habit.\r\n")
}

// Members change how they get mail with one word, in their language; the
// change is confirmed by email and kept in their history. "private" keeps a
// reply between the member and the coach.
func TestCommandsAndPrivateReplies(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana, ben, cleo := w.members[0], w.members[1], w.members[2]
	ctx := context.Background()
	w.srv.deliver(t, "INBOX", w.replyText(ana, "c1", "Résumé, merci"))
	w.srv.deliver(t, "INBOX", w.replyText(ben, "c2", "pause"))
	w.srv.deliver(t, "INBOX", w.replyText(cleo, "c3", "Privé : je galère un peu cette semaine."))
	w.mustSync(t, inbox.Options{Account: "a"})

	roster, _ := w.db.Roster(ctx, w.cohort.ID, false)
	modes := map[int64]string{}
	for _, m := range roster {
		modes[m.ClientID] = m.Delivery
	}
	if modes[ana.ID] != app.DeliveryDigest || modes[ben.ID] != app.DeliveryNone || modes[cleo.ID] != app.DeliveryIndividual {
		t.Fatalf("got delivery %v, want Ana digest, Ben paused, Cleo unchanged", modes)
	}
	items, _ := w.db.Outbox(ctx, app.OutboxFilter{})
	confirmed := map[string]string{}
	for _, it := range items {
		if it.Subject != w.post.Subject {
			confirmed[it.Email] = it.Subject
		}
	}
	if !strings.Contains(confirmed[ana.Email], "digest") || !strings.Contains(confirmed[ben.Email], "paused") || confirmed[cleo.Email] != "" {
		t.Fatalf("got confirmations %v, want one to Ana and one to Ben", confirmed)
	}
	if st, _ := w.db.ClientMailStatus(ctx, ana.ID); len(st.History) != 1 || st.History[0].Kind != "delivery changed" {
		t.Fatalf("got history %+v, want the change recorded", st.History)
	}
	rs := w.replies(t)
	if len(rs) != 1 || rs[0].ClientID != cleo.ID || rs[0].Shared || rs[0].Text != "je galère un peu cette semaine." {
		t.Fatalf("got %+v, want only Cleo's reply, private and without the word", rs)
	}
	// The next post skips Ben (paused) and Ana (digest only).
	if got := w.recipients(t, "Week 4"); len(got) != 1 || !got[cleo.Email] {
		t.Fatalf("got recipients %v, want only Cleo", got)
	}
}
