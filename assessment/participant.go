package assessment

import (
	"math"
	"strconv"
	"strings"
	"time"
)

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
