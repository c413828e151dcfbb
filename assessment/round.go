package assessment

import (
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
