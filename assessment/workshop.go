package assessment

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Round is one workshop of a client's leadership team: everyone answers the 21 items on
// their own phone through the round's link while the consultant watches the aggregate.
type Round struct {
	ID          int64
	WorkspaceID int64
	ClientID    int64
	Title       string
	// Lang is the language the participants' form opens in.
	Lang string
	// QuestionnaireVersion is the instrument the round was opened with.
	QuestionnaireVersion string
	// Code is the unguessable part of the participant link (at least 128 bits). It lets
	// someone answer; it never shows anyone's individual answers.
	Code string
	// ShortCode is a short code a participant can type at /j while the round is open.
	ShortCode string
	// Revealed shows the aggregate (never individual answers) to the participants.
	Revealed bool
	OpenedAt time.Time
	// ClosedAt is zero while the round is open; a closed round is frozen.
	ClosedAt time.Time
	// Revision grows with every stored or changed participant.
	Revision int64
}

// Open reports whether participants may still answer or change their answers.
func (r *Round) Open() bool { return r.ClosedAt.IsZero() }

// MaxRoundTitle limits a round's title, in characters.
const MaxRoundTitle = 200

// NewRound validates a round's title and language. An empty title is required; the
// language must be one the questionnaire is written in.
func (q *Questionnaire) NewRound(title, lang string) (Round, error) {
	title, problems := CleanText("title", title, MaxRoundTitle)
	if title == "" && len(problems) == 0 {
		problems = append(problems, Required("title"))
	}
	if !q.HasLanguage(lang) {
		problems = append(problems, Choice("lang", lang, q.Languages))
	}
	if len(problems) > 0 {
		return Round{}, Invalid(problems)
	}
	return Round{Title: title, Lang: lang, QuestionnaireVersion: q.Version}, nil
}

// ShortCodeAlphabet is Crockford's base32: digits and capitals without I, L, O and U, so a
// code read off a projector cannot be mistyped as a look-alike.
const ShortCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// ShortCodeLength is the number of characters of a short code (40 bits).
const ShortCodeLength = 8

// NormalizeShortCode turns what a participant typed into a short code: case, spaces and
// dashes are ignored and the look-alikes I, L and O read as 1, 1 and 0. It reports false when
// the result cannot be a short code.
func NormalizeShortCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'I', 'L':
			r = '1'
		case 'O':
			r = '0'
		}
		if !strings.ContainsRune(ShortCodeAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != ShortCodeLength {
		return "", false
	}
	return b.String(), true
}

// Participant is one person's answers in a round. Name and role are optional.
type Participant struct {
	ID        int64
	RoundID   int64
	Name      string
	Role      string
	Ratings   Ratings
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewParticipant validates a participant's optional name and role and the 21 answers.
func (q *Questionnaire) NewParticipant(name, role string, answers []Answer) (Participant, error) {
	name, problems := CleanText("participant.name", name, MaxName)
	role, p := CleanText("respondent.role", role, MaxRole)
	problems = append(problems, p...)
	ratings, err := q.ValidateAnswers(answers)
	problems = append(problems, FieldErrors(err)...)
	if len(problems) > 0 {
		return Participant{}, Invalid(problems)
	}
	return Participant{Name: name, Role: role, Ratings: ratings}, nil
}

// Stat describes the participants' scores for one competency on one scale: mean, lowest,
// highest and the population standard deviation (the room is the whole population).
type Stat struct {
	Mean float64
	Min  float64
	Max  float64
	SD   float64
}

// Range is the spread between the highest and the lowest score.
func (s Stat) Range() float64 { return s.Max - s.Min }

func newStat(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	s := Stat{Min: xs[0], Max: xs[0]}
	var sum float64
	for _, x := range xs {
		sum += x
		s.Min = min(s.Min, x)
		s.Max = max(s.Max, x)
	}
	s.Mean = sum / float64(len(xs))
	var sq float64
	for _, x := range xs {
		sq += (x - s.Mean) * (x - s.Mean)
	}
	s.SD = math.Sqrt(sq / float64(len(xs)))
	return s
}

// CompetencyAggregate is the room's view of one competency.
type CompetencyAggregate struct {
	Number int
	AsIs   Stat
	ToBe   Stat
	// Gap is the mean TO-BE minus the mean AS-IS.
	Gap float64
	// DisagreeAsIs and DisagreeToBe flag a spread (max − min) of at least the
	// questionnaire's disagreement_range: the room does not agree on today, or on the ambition.
	DisagreeAsIs bool
	DisagreeToBe bool
}

// Aggregate is a round's company-level result: the mean of its participants, scored like a
// single respondent, plus the spread of every competency.
type Aggregate struct {
	Participants int
	// Competencies is in number order; empty when nobody has answered.
	Competencies []CompetencyAggregate
	// Mean holds the participants' mean rating of every competency: the company's ratings.
	Mean Ratings
	// Result scores Mean; meaningful only when Participants > 0.
	Result Result
}

// Aggregate computes the company-level result of a round from its participants' ratings
// (each complete, in number order).
func (q *Questionnaire) Aggregate(participants []Ratings) Aggregate {
	agg := Aggregate{Participants: len(participants)}
	if len(participants) == 0 {
		return agg
	}
	n := len(q.Competencies)
	agg.Competencies = make([]CompetencyAggregate, n)
	agg.Mean = make(Ratings, n)
	asIs := make([]float64, len(participants))
	toBe := make([]float64, len(participants))
	threshold := float64(q.DisagreementRange)
	for i := range n {
		for j, r := range participants {
			asIs[j], toBe[j] = r[i].AsIs, r[i].ToBe
		}
		a, b := newStat(asIs), newStat(toBe)
		agg.Competencies[i] = CompetencyAggregate{
			Number: i + 1, AsIs: a, ToBe: b, Gap: b.Mean - a.Mean,
			DisagreeAsIs: a.Range() >= threshold, DisagreeToBe: b.Range() >= threshold,
		}
		agg.Mean[i] = Rating{AsIs: a.Mean, ToBe: b.Mean}
	}
	agg.Result = q.Score(agg.Mean)
	return agg
}

// Disagreements returns the numbers of the competencies flagged for AS-IS and for TO-BE.
func (a *Aggregate) Disagreements() (asIs, toBe []int) {
	for _, c := range a.Competencies {
		if c.DisagreeAsIs {
			asIs = append(asIs, c.Number)
		}
		if c.DisagreeToBe {
			toBe = append(toBe, c.Number)
		}
	}
	return asIs, toBe
}

// Delta is how one score moved from an earlier round to a later one.
type Delta struct {
	Before Score
	After  Score
	// AsIs, ToBe and Gap are After minus Before.
	AsIs float64
	ToBe float64
	Gap  float64
}

func newDelta(before, after Score) Delta {
	return Delta{Before: before, After: after, AsIs: after.AsIs - before.AsIs, ToBe: after.ToBe - before.ToBe, Gap: after.Gap - before.Gap}
}

// CompetencyDelta is the movement of one competency.
type CompetencyDelta struct {
	Number int
	Delta
}

// GroupDelta is the movement of one category or theme.
type GroupDelta struct {
	Key string
	Delta
}

// Comparison compares two results of the same client, Before the earlier.
type Comparison struct {
	Overall      Delta
	Categories   []GroupDelta
	Competencies []CompetencyDelta
	// Improved lists the competencies whose AS-IS rose, largest rise first; Slipped those
	// whose AS-IS fell, largest fall first. Ties go by number.
	Improved []int
	Slipped  []int
}

// compareEpsilon ignores differences that are only floating-point noise in a mean.
const compareEpsilon = 1e-9

// Compare returns how after differs from before, competency by competency.
func Compare(before, after Result) Comparison {
	c := Comparison{Overall: newDelta(before.Overall, after.Overall)}
	for i := range after.Categories {
		c.Categories = append(c.Categories, GroupDelta{Key: after.Categories[i].Key, Delta: newDelta(before.Categories[i].Score, after.Categories[i].Score)})
	}
	for i := range after.Competencies {
		d := CompetencyDelta{Number: after.Competencies[i].Number, Delta: newDelta(before.Competencies[i].Score, after.Competencies[i].Score)}
		c.Competencies = append(c.Competencies, d)
		switch {
		case d.AsIs > compareEpsilon:
			c.Improved = append(c.Improved, d.Number)
		case d.AsIs < -compareEpsilon:
			c.Slipped = append(c.Slipped, d.Number)
		}
	}
	by := func(list []int, sign float64) {
		sort.SliceStable(list, func(i, j int) bool {
			a, b := c.Competencies[list[i]-1].AsIs*sign, c.Competencies[list[j]-1].AsIs*sign
			if math.Abs(a-b) > compareEpsilon {
				return a > b
			}
			return list[i] < list[j]
		})
	}
	by(c.Improved, 1)
	by(c.Slipped, -1)
	return c
}

// Must Win Battle statuses.
const (
	BattlePlanned    = "planned"
	BattleInProgress = "in_progress"
	BattleDone       = "done"
)

// BattleStatuses lists the statuses in the order a battle moves through them.
var BattleStatuses = []string{BattlePlanned, BattleInProgress, BattleDone}

// MaxBattles is the most Must Win Battles a round may record: the model asks for 1-5.
const MaxBattles = 5

// Limits on a battle's texts, in characters.
const (
	MaxBattleTitle = 200
	MaxBattleOwner = 100
)

// Battle is a Must Win Battle: an initiative the room agreed on, tied to a competency.
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
		status = BattlePlanned
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
