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
	// Revealed shows the room's result (never individual answers) on the projector and to the
	// participants who answered.
	Revealed bool
	OpenedAt time.Time
	// ClosedAt is zero while the round is open; a closed round is frozen.
	ClosedAt time.Time
	// Deadline is when the optional countdown for answering ends; zero when there is none.
	Deadline time.Time
	// Revision grows with every change a live view shows: a participant joining, answering or
	// leaving, the round being revealed, hidden, closed or re-opened, a battle or a note.
	Revision int64
	// Published is the copy of the finished answers the round's result shows (publication.go).
	Published Publication
}

// Round statuses, as pages and the API show them.
const (
	RoundOpen     = "open"     // answering; nothing of the room's result is shown
	RoundRevealed = "revealed" // still open, and the room's result is on the projector
	RoundClosed   = "closed"   // frozen; with consent its result represents the client
)

// Open reports whether participants may still answer or change their answers.
func (r *Round) Open() bool { return r.ClosedAt.IsZero() }

// Status is open, revealed or closed.
func (r *Round) Status() string {
	switch {
	case !r.Open():
		return RoundClosed
	case r.Revealed:
		return RoundRevealed
	}
	return RoundOpen
}

// CountdownLeft returns how long the countdown still runs at now, and false when the round
// has none or it has ended.
func (r *Round) CountdownLeft(now time.Time) (time.Duration, bool) {
	if r.Deadline.IsZero() || !r.Deadline.After(now) || !r.Open() {
		return 0, false
	}
	return r.Deadline.Sub(now), true
}

// MaxCountdownMinutes bounds a countdown: a workshop answers the 21 items in 5-15 minutes.
const MaxCountdownMinutes = 60

// NewDeadline returns the end of a countdown of minutes starting at now.
func NewDeadline(now time.Time, minutes int) (time.Time, error) {
	if minutes < 1 || minutes > MaxCountdownMinutes {
		return time.Time{}, Invalid([]FieldError{{Field: "minutes", Rule: RuleRange,
			Args: Args{"Value": strconv.Itoa(minutes), "Min": 1, "Max": MaxCountdownMinutes}}})
	}
	return now.Add(time.Duration(minutes) * time.Minute), nil
}

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

// Participant is one person in a round: from joining, through answering (a draft saved as
// they tap), to finishing (a complete, validated set of answers). Name and role are optional
// and never shown next to answers; Label is the anonymous name of their row in per-person
// views.
type Participant struct {
	ID      int64
	RoundID int64
	// Label is "P" and a number drawn at random when the participant joined (NewLabel), so
	// the order of labels tells nothing about who joined or finished first.
	Label string
	Name  string
	Role  string
	// Ratings holds the finished answers, in number order; nil until the participant
	// finishes.
	Ratings Ratings
	// Draft holds the answers given so far, MissingScore where none is given yet. A list of a
	// round's participants leaves it nil for those who finished, whose Ratings count.
	Draft      Ratings
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt time.Time
}

// Participant statuses.
const (
	ParticipantJoined    = "joined"    // opened the round, no answer yet
	ParticipantAnswering = "answering" // some answers given, not finished
	ParticipantFinished  = "finished"  // a complete set of answers submitted
)

// Finished reports whether p has submitted a complete set of answers.
func (p *Participant) Finished() bool { return !p.FinishedAt.IsZero() }

// Answered counts the competencies p has answered both AS-IS and TO-BE for: all of them once
// finished, else those of the draft.
func (p *Participant) Answered() int {
	if p.Finished() {
		return len(p.Ratings)
	}
	n := 0
	for _, r := range p.Draft {
		if !math.IsNaN(r.AsIs) && !math.IsNaN(r.ToBe) {
			n++
		}
	}
	return n
}

// Status is joined, answering or finished.
func (p *Participant) Status() string {
	switch {
	case p.Finished():
		return ParticipantFinished
	case p.Answered() > 0 || p.draftStarted():
		return ParticipantAnswering
	}
	return ParticipantJoined
}

func (p *Participant) draftStarted() bool {
	for _, r := range p.Draft {
		if !math.IsNaN(r.AsIs) || !math.IsNaN(r.ToBe) {
			return true
		}
	}
	return false
}

// Progress counts a round's participants by status: what the room sees tick up.
type Progress struct {
	Joined    int
	Answering int
	Finished  int
}

// ProgressOf counts participants by status. Joined counts everyone who joined, whatever they
// have done since.
func ProgressOf(ps []Participant) Progress {
	pr := Progress{Joined: len(ps)}
	for i := range ps {
		switch ps[i].Status() {
		case ParticipantFinished:
			pr.Finished++
		case ParticipantAnswering:
			pr.Answering++
		}
	}
	return pr
}

// FinishedRatings returns the answers of the participants who finished, the only ones an
// aggregate counts.
func FinishedRatings(ps []Participant) []Ratings {
	var out []Ratings
	for i := range ps {
		if ps[i].Finished() {
			out = append(out, ps[i].Ratings)
		}
	}
	return out
}

// ShowsDetail reports whether a round with finished participants may show views of single
// participants: heatmaps, the lowest and highest score, how many chose each point. Below
// MinParticipantsForDetail anyone in the room could tell who answered what.
func (q *Questionnaire) ShowsDetail(finished int) bool { return finished >= q.MinParticipantsForDetail }

// DefaultMinParticipantsForDetail is MinParticipantsForDetail when questions.yaml leaves it
// out.
const DefaultMinParticipantsForDetail = 3

// labelSpan is how many numbers labels are drawn from at least: with a few dozen people,
// "P" and a number up to 99 is short to read off a projector and far from any order.
const labelSpan = 99

// NewLabel returns the anonymous label of a new participant: "P" and a number not in taken,
// drawn with intn (a source of random numbers 0 ≤ x < n). Numbers come from 1-99, or from a
// range twice the size of the room when it is larger, so labels never follow the order of
// joining.
func NewLabel(taken []string, intn func(n int) int) string {
	used := make(map[string]bool, len(taken))
	for _, t := range taken {
		used[t] = true
	}
	span := max(labelSpan, 2*len(taken)+1)
	for {
		l := "P" + strconv.Itoa(1+intn(span))
		if !used[l] {
			return l
		}
	}
}

// LabelNumber returns the number of a label ("P17" → 17) for sorting rows by label, or 0.
func LabelNumber(label string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(label, "P"))
	return n
}

// NewParticipantName validates the optional name and role a participant gives when joining.
func NewParticipantName(name, role string) (string, string, error) {
	name, problems := CleanText("participant.name", name, MaxName)
	role, p := CleanText("respondent.role", role, MaxRole)
	problems = append(problems, p...)
	if len(problems) > 0 {
		return "", "", Invalid(problems)
	}
	return name, role, nil
}

// DraftAnswer validates one tapped answer of a draft: a competency, a field (as_is or to_be)
// and a whole number on the scale.
func (q *Questionnaire) DraftAnswer(competency int, field string, value float64) error {
	if _, ok := q.Competency(competency); !ok {
		return Invalid([]FieldError{{Competency: competency, Field: FieldCompetency, Rule: RuleUnknown, Args: Args{"Max": len(q.Competencies)}}})
	}
	if field != FieldAsIs && field != FieldToBe {
		return Invalid([]FieldError{Choice("field", field, []string{FieldAsIs, FieldToBe})})
	}
	if fe, ok := q.checkScore(competency, field, value); !ok {
		return Invalid([]FieldError{fe})
	}
	return nil
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
	// AsIsCounts and ToBeCounts count how many participants chose each point of the scale
	// (index 0 is the scale's minimum). They say how many, never who.
	AsIsCounts []int
	ToBeCounts []int
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
			AsIsCounts: q.counts(asIs), ToBeCounts: q.counts(toBe),
			DisagreeAsIs: a.Range() >= threshold, DisagreeToBe: b.Range() >= threshold,
		}
		agg.Mean[i] = Rating{AsIs: a.Mean, ToBe: b.Mean}
	}
	agg.Result = q.Score(agg.Mean)
	return agg
}

// counts returns how many of xs are each point of the scale.
func (q *Questionnaire) counts(xs []float64) []int {
	out := make([]int, q.Scale.Max-q.Scale.Min+1)
	for _, x := range xs {
		if i := int(x) - q.Scale.Min; i >= 0 && i < len(out) && float64(int(x)) == x {
			out[i]++
		}
	}
	return out
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

// MaxNote limits a note, in characters: a few sentences of what the room said.
const MaxNote = 2000

// Note is what the room said about one competency, written down by the consultant while it
// discussed a disagreement. A round has at most one note per competency.
type Note struct {
	RoundID    int64
	Competency int
	Text       string
	UpdatedAt  time.Time
}

// NewNote validates a note. An empty text deletes the note.
func (q *Questionnaire) NewNote(competency int, text string) (Note, error) {
	var problems []FieldError
	if _, ok := q.Competency(competency); !ok {
		problems = append(problems, FieldError{Field: "competency", Rule: RuleChoice,
			Args: Args{"Value": strconv.Itoa(competency), "Allowed": fmt.Sprintf("1-%d", len(q.Competencies))}})
	}
	text, p := CleanMultiline("note", text, MaxNote)
	problems = append(problems, p...)
	if len(problems) > 0 {
		return Note{}, Invalid(problems)
	}
	return Note{Competency: competency, Text: text}, nil
}

// CheckBattleCount returns ECONFLICT when a round that already has existing battles cannot
// take another.
func CheckBattleCount(existing int) error {
	if existing >= MaxBattles {
		return NewError(ECONFLICT, MsgBattlesMax, Args{"Max": MaxBattles})
	}
	return nil
}
