package home

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// The health signals are what the field knows makes a group thrive or fail,
// put as suggestions: each says what was seen, why it matters in a sentence,
// and which members it concerns. None of them ever stops anything.

const (
	// HoggingWindow and HoggingShare: one member writing more than 40 % of a
	// cohort's replies over the last four weeks.
	HoggingWindow = 28 * day
	HoggingShare  = 0.40
	// hoggingMinReplies and signalMinMembers keep the signals from reading a
	// pattern into a handful of replies or a group of two.
	hoggingMinReplies = 5
	signalMinMembers  = 3
	// SilentWindow: members silent for two weeks; the signal fires when more
	// than a third of the members are.
	SilentWindow = 14 * day
	// fallingMinCheckIns: check-ins "falling" from fewer than 3 a week is noise.
	fallingMinCheckIns = 3
)

// sizeWhy says why a cohort's size matters, for the kinds whose range the app
// advises on (app.CohortWarnings); capacityWhy for a cohort past the capacity
// the coach set.
var sizeWhy = map[string]string{
	app.KindMastermind:     "Below 8 a couple of absences leave too few peers to learn from; above 16 not everyone gets heard in a round.",
	app.KindMicroCommunity: "Past about 30 members people stop knowing each other, and a small community turns into an audience.",
}

const capacityWhy = "You set the capacity for a reason: past it, each member gets less of your attention."

func signals(c app.HomeCohort, ms []*app.HomeMember, acts []app.Activity, now time.Time) []app.HealthSignal {
	out := []app.HealthSignal{}
	if strings.TrimSpace(c.Purpose) == "" {
		out = append(out, app.HealthSignal{Kind: app.SignalNoPurpose, Message: "No purpose written yet.",
			Why:     "Members judge whether the group is worth their time against its purpose; a group without a written one drifts and quietly loses people.",
			Members: []app.MemberRef{}})
	}
	current := 0 // as the cohort's page counts them, co-hosts included
	for _, m := range ms {
		if m.LeftAt == nil {
			current++
		}
	}
	for _, w := range app.CohortWarnings(c.Kind, current, c.Capacity) {
		why := sizeWhy[c.Kind]
		if strings.Contains(w, "capacity") || why == "" {
			why = capacityWhy
		}
		out = append(out, app.HealthSignal{Kind: app.SignalSize, Message: w, Why: why, Members: []app.MemberRef{}})
	}
	members := counted(ms, now)
	if s, ok := hogging(c.ID, members, acts, now); ok {
		out = append(out, s)
	}
	if s, ok := silent(c.ID, members, acts, now); ok {
		out = append(out, s)
	}
	return out
}

// hogging finds one member writing more than HoggingShare of the cohort's
// replies over the last four weeks.
func hogging(cohortID int64, members []*app.HomeMember, acts []app.Activity, now time.Time) (app.HealthSignal, bool) {
	if len(members) < signalMinMembers {
		return app.HealthSignal{}, false
	}
	names := nameOf(members)
	from := now.Add(-HoggingWindow)
	by := map[int64]int{}
	total := 0
	for _, a := range acts {
		if a.CohortID != cohortID || a.Kind != app.ActivityReply || a.At.Before(from) || a.At.After(now) || names[a.ClientID] == "" {
			continue
		}
		by[a.ClientID]++
		total++
	}
	if total < hoggingMinReplies {
		return app.HealthSignal{}, false
	}
	var top int64
	for id, n := range by {
		if n > by[top] || n == by[top] && id < top {
			top = id
		}
	}
	if float64(by[top]) <= HoggingShare*float64(total) {
		return app.HealthSignal{}, false
	}
	return app.HealthSignal{Kind: app.SignalHogging,
		Message: fmt.Sprintf("%s wrote %d of the %d replies (%d %%) in the last 4 weeks.", names[top], by[top], total, by[top]*100/total),
		Why:     "When one voice fills the room the others hold back; a word in private, or a question to the quieter members, rebalances it.",
		Members: []app.MemberRef{{ClientID: top, Name: names[top]}}}, true
}

// silent finds more than a third of the members saying nothing for two weeks.
// Members who joined less than two weeks ago are not counted either way.
func silent(cohortID int64, members []*app.HomeMember, acts []app.Activity, now time.Time) (app.HealthSignal, bool) {
	from := now.Add(-SilentWindow)
	spoke := map[int64]bool{}
	for _, a := range acts {
		if a.CohortID == cohortID && a.Kind != app.ActivityAttended && !a.At.Before(from) && !a.At.After(now) {
			spoke[a.ClientID] = true
		}
	}
	eligible := 0
	var quiet []app.MemberRef
	for _, m := range members {
		if m.JoinedAt.After(from) {
			continue
		}
		eligible++
		if !spoke[m.ClientID] {
			quiet = append(quiet, app.MemberRef{ClientID: m.ClientID, Name: m.Name})
		}
	}
	if eligible < signalMinMembers || len(quiet)*3 <= eligible {
		return app.HealthSignal{}, false
	}
	sort.SliceStable(quiet, func(i, j int) bool { return quiet[i].Name < quiet[j].Name })
	return app.HealthSignal{Kind: app.SignalSilent,
		Message: fmt.Sprintf("%d of %d members have not replied for 2 weeks.", len(quiet), eligible),
		Why:     "Silence spreads: when many are quiet the rest stop writing too, and a personal note now costs less than winning them back later.",
		Members: quiet}, true
}

func nameOf(ms []*app.HomeMember) map[int64]string {
	out := make(map[int64]string, len(ms))
	for _, m := range ms {
		out[m.ClientID] = m.Name
		if m.Name == "" {
			out[m.ClientID] = m.Email
		}
	}
	return out
}

// checkInsFalling finds a cohort with lessons whose check-ins per member fell
// two weeks running, over its last three whole weeks (this week is not over):
// the members concerned checked in the first of them and not the last.
func checkInsFalling(weeks []app.WeekEngagement, starts []time.Time, cohortID int64, members []*app.HomeMember, acts []app.Activity, now time.Time) (app.HealthSignal, bool) {
	n := len(weeks)
	if n < 4 {
		return app.HealthSignal{}, false
	}
	a, b, c := weeks[n-4], weeks[n-3], weeks[n-2]
	rate := func(w app.WeekEngagement) float64 {
		if w.Members == 0 {
			return 0
		}
		return float64(w.CheckIns) / float64(w.Members)
	}
	if a.CheckIns < fallingMinCheckIns || !(rate(a) > rate(b) && rate(b) > rate(c)) {
		return app.HealthSignal{}, false
	}
	names := nameOf(members)
	first, last := map[int64]bool{}, map[int64]bool{}
	for _, x := range acts {
		if x.CohortID != cohortID || x.Kind != app.ActivityCheckIn {
			continue
		}
		switch weekOf(starts, x.At, now) {
		case n - 4:
			first[x.ClientID] = true
		case n - 2:
			last[x.ClientID] = true
		}
	}
	refs := []app.MemberRef{}
	for _, m := range members {
		if first[m.ClientID] && !last[m.ClientID] {
			refs = append(refs, app.MemberRef{ClientID: m.ClientID, Name: names[m.ClientID]})
		}
	}
	return app.HealthSignal{Kind: app.SignalCheckInsFalling,
		Message: fmt.Sprintf("Check-ins fell two weeks running: %d, %d, then %d last week.", a.CheckIns, b.CheckIns, c.CheckIns),
		Why:     "Members who stop checking in are usually falling behind the lessons, and few catch up without a word from you.",
		Members: refs}, true
}
