package assessment

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Must Win Battle statuses.
const (
	BattleNotStarted = "not_started"
	BattleInProgress = "in_progress"
	BattleDone       = "done"
	BattleDropped    = "dropped"
)

// BattleStatuses lists the statuses in the order a battle moves through them.
var BattleStatuses = []string{BattleNotStarted, BattleInProgress, BattleDone, BattleDropped}

// MaxBattles is the most Must Win Battles a round may record: the model asks for 1-5.
const MaxBattles = 5

// Limits on a battle's texts, in characters.
const (
	MaxBattleTitle = 200
	MaxBattleOwner = 100
)

// Battle is a Must Win Battle: an initiative the room agreed on, tied to a competency. A
// battle still open when a client's next round starts is carried into it (CarryOver): the
// copy has the same Lineage, so its status history runs on.
type Battle struct {
	ID         int64
	RoundID    int64
	Competency int
	Title      string
	Owner      string
	// Due is a date as YYYY-MM-DD, or empty.
	Due       string
	Status    string
	CreatedAt time.Time
	// Lineage is the ID of the battle as first recorded, the same for every round it was
	// carried into.
	Lineage int64
	// History lists the statuses the battle has had, oldest first, across rounds.
	History []BattleEvent
}

// BattleEvent is a status a battle was given, when, and in which round.
type BattleEvent struct {
	Status  string
	At      time.Time
	RoundID int64
}

// Open reports whether the battle is still being fought: neither done nor dropped.
func (b *Battle) Open() bool { return b.Status == BattleNotStarted || b.Status == BattleInProgress }

// CarryOver returns the battles of a client's previous round that its next round starts
// with: the open ones, as new battles of that round keeping their lineage.
func CarryOver(previous []Battle) []Battle {
	var out []Battle
	for _, b := range previous {
		if !b.Open() {
			continue
		}
		c := b
		c.ID, c.RoundID, c.History = 0, 0, nil
		if c.Lineage == 0 {
			c.Lineage = b.ID
		}
		out = append(out, c)
	}
	if len(out) > MaxBattles {
		out = out[:MaxBattles]
	}
	return out
}

// NewBattle validates a Must Win Battle's fields.
func (q *Questionnaire) NewBattle(competency int, title, owner, due, status string) (Battle, error) {
	var problems []FieldError
	if _, ok := q.Competency(competency); !ok {
		problems = append(problems, FieldError{Field: "competency", Rule: RuleChoice,
			Args: Args{"Value": strconv.Itoa(competency), "Allowed": fmt.Sprintf("1-%d", len(q.Competencies))}})
	}
	title, p := CleanText("title", title, MaxBattleTitle)
	problems = append(problems, p...)
	if title == "" && len(p) == 0 {
		problems = append(problems, Required("title"))
	}
	owner, p = CleanText("owner", owner, MaxBattleOwner)
	problems = append(problems, p...)
	due = strings.TrimSpace(due)
	if due != "" {
		if _, err := time.Parse(time.DateOnly, due); err != nil {
			problems = append(problems, FieldError{Field: "due", Rule: RuleDate, Args: Args{"Value": strconv.Quote(due)}})
		}
	}
	if status == "" {
		status = BattleNotStarted
	}
	if !slices.Contains(BattleStatuses, status) {
		problems = append(problems, Choice("status", status, BattleStatuses))
	}
	if len(problems) > 0 {
		return Battle{}, Invalid(problems)
	}
	return Battle{Competency: competency, Title: title, Owner: owner, Due: due, Status: status}, nil
}

// CheckBattleCount returns ECONFLICT when a round that already has existing battles cannot
// take another.
func CheckBattleCount(existing int) error {
	if existing >= MaxBattles {
		return NewError(ECONFLICT, MsgBattlesMax, Args{"Max": MaxBattles})
	}
	return nil
}
