package app

import "time"

// Cohort kinds: the shapes of group a coach runs.
const (
	KindMastermind     = "mastermind"
	KindGroupCoaching  = "group_coaching"
	KindMicroCommunity = "micro_community"
	KindCourseCohort   = "course_cohort"
	KindPractice       = "community_of_practice"
	KindOneToOne       = "one_to_one"
	KindOther          = "other"
)

// CohortKinds lists the valid kinds in the order the window offers them.
var CohortKinds = []string{KindMastermind, KindGroupCoaching, KindMicroCommunity,
	KindCourseCohort, KindPractice, KindOneToOne, KindOther}

// Membership roles.
const (
	RoleMember = "member"
	RoleCoHost = "co_host"
)

// Cohort is a group the coach runs. Dates are calendar days ("2026-01-31") with no
// time zone: a cohort starts on a day, wherever the coach is.
type Cohort struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	Purpose    string     `json:"purpose"`
	StartDate  string     `json:"startDate"`
	EndDate    string     `json:"endDate"`
	Capacity   int        `json:"capacity"` // 0 for no limit
	Members    int        `json:"members"`  // current members (co-hosts included)
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	ArchivedAt *time.Time `json:"archivedAt"`
	Warnings   []string   `json:"warnings"` // gentle advice from the field, never a block
	// ReplySharing is the least trust a member's reply needs to be shown to the
	// other members without the coach's approval: SharePlausible or ShareVerified.
	ReplySharing string `json:"replySharing"`
}

// CohortInput is what the coach can set on a cohort.
type CohortInput struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Purpose   string `json:"purpose"`
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
	Capacity  int    `json:"capacity"`
}

// Member is one line of a cohort's roster. A member who left keeps their line with
// LeftAt set, so the cohort's history stays whole.
type Member struct {
	ClientID int64      `json:"clientId"`
	Name     string     `json:"name"`
	Email    string     `json:"email"`
	Status   string     `json:"status"`
	Role     string     `json:"role"`
	JoinedAt time.Time  `json:"joinedAt"`
	LeftAt   *time.Time `json:"leftAt"`
	Delivery string     `json:"delivery"` // DeliveryIndividual, DeliveryDigest or DeliveryNone
}

// CohortWarnings returns the field's advice for a cohort of this kind and size:
// masterminds work best with 8 to 16 peers, micro-communities stay under 30, and
// no cohort should pass its own capacity. The coach may ignore every one of them.
func CohortWarnings(kind string, members, capacity int) []string {
	var w []string
	switch kind {
	case KindMastermind:
		if members > 0 && members < 8 {
			w = append(w, "Masterminds work best with 8 to 16 members; this one has fewer than 8.")
		}
		if members > 16 {
			w = append(w, "Masterminds work best with 8 to 16 members; this one has more than 16.")
		}
	case KindMicroCommunity:
		if members >= 30 {
			w = append(w, "Micro-communities work best under 30 members.")
		}
	}
	if capacity > 0 && members > capacity {
		w = append(w, "This cohort has more members than its capacity.")
	}
	return w
}

// KindAdvice is the field's advice for each kind of cohort, in a sentence the
// welcome and the cohort form show beside the kind.
var KindAdvice = map[string]string{
	KindMastermind:     "Peers who help each other: works best with 8 to 16 members who meet regularly.",
	KindGroupCoaching:  "You coach a group through a theme: keep it small enough that everyone gets heard.",
	KindMicroCommunity: "A small, lasting community: stays close under 30 members.",
	KindCourseCohort:   "A course taken together: lessons on a schedule, members start on the same day.",
	KindPractice:       "People who share a craft and learn from each other, with you as host.",
	KindOneToOne:       "A private client: the same announcements and replies, for one.",
	KindOther:          "Any other group: no advice, your call.",
}
