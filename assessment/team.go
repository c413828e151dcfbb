package assessment

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"time"
)

// A team round (issue 10 §4) brings in the leadership team of an executive who took the
// five-minute test, without any account: from the result page the executive opens a round,
// colleagues join it by personal links (invitation.go) and answer on their phones, and the
// executive follows the team's result on a private page. It is a workshop Round with no
// workspace and no client, and it runs on the workshop's machinery unchanged: joining,
// drafts saved on every tap, anonymous labels, the state phones poll, the room's view.
//
// What differs are the rules of who sees what, because no consultant judges the room:
//
//   - the executive's own answers (the result the round was opened from) are its first
//     participant;
//   - the team's aggregate is shown to no one, not even as means, until
//     MinParticipantsForDetail have finished (TeamShowsResult), and views of single
//     participants (heatmaps, lowest and highest scores per person) never;
//   - a team round never enters the benchmark pool: the pool holds one entry per company,
//     from a consenting test or a consultant's closed round, and a team round is neither.
//
// A consultant may take a team round into their workspace as a client round (ImportTeam):
// the round moves, with its participants and answers, and from then on it is theirs. The
// executive's team link then says where it went and shows nothing more.

// TeamTokenLength is the length of a team link's token: 128 random bits as URL-safe base64,
// the same as a result's token.
const TeamTokenLength = 22

// Team is a team round as its executive sees it through the team link.
type Team struct {
	Round Round
	// Token is the secret of the executive's team link, /t/{Token}. It shows the team's
	// result (never anyone's own answers) and nothing else: not the result it came from.
	Token string
	// AssessmentID is the row id of the result the round was opened from.
	AssessmentID int64
	// Company is that result's company profile, which names the round.
	Company   Company
	CreatedAt time.Time
	// MovedAt is when a consultant took the round into a workspace; zero while it is the
	// team's own.
	MovedAt time.Time
	// Cap is the most colleagues the holder lets join by personal link; 0 means one place
	// per personal link (Team.PlacesOf).
	Cap int
}

// Moved reports whether a consultant has taken the round into a workspace.
func (t *Team) Moved() bool { return !t.MovedAt.IsZero() }

// IsTeam reports whether r is a team round that no consultant has taken over: a round
// without a workspace.
func (r *Round) IsTeam() bool { return r.WorkspaceID == 0 }

// NewTeamRound returns the team round to open from the result a, and a's answers as its
// first participant, finished. The participant has a's role but no name: the result never
// had one. The round is in the language the test was taken in; it has no title (pages name
// it in the reader's language).
func (q *Questionnaire) NewTeamRound(a *Assessment) (Round, Participant) {
	return Round{Lang: a.Lang, QuestionnaireVersion: q.Version},
		Participant{Role: a.Role, Ratings: append(Ratings(nil), a.Ratings...)}
}

// TeamShowsResult reports whether a team round with finished participants may show its
// aggregate at all. A workshop shows the room's means from the first answer, because a
// consultant decides what the room sees; a team round has nobody to decide, and with two
// answers the executive, knowing their own, could read the other one off the mean.
func (q *Questionnaire) TeamShowsResult(finished int) bool { return q.ShowsDetail(finished) }

// CheckImport returns ECONFLICT for a team round that has already moved into a workspace: a
// round can be taken over once.
func (t *Team) CheckImport() error {
	if t.Moved() {
		return NewError(ECONFLICT, MsgTeamMoved, nil)
	}
	return nil
}

// ParseTeamLink reads the token of a team link as a consultant pastes it: the whole link
// (https://host/t/TOKEN, with or without a query or a trailing slash), its path (/t/TOKEN)
// or the token alone. It reports false when what was given cannot be a team link.
func ParseTeamLink(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && (u.Scheme != "" || strings.HasPrefix(s, "/")) {
		s = strings.TrimSuffix(u.Path, "/")
		i := strings.LastIndex(s, "/t/")
		if i < 0 {
			return "", false
		}
		s = s[i+len("/t/"):]
	}
	if len(s) != TeamTokenLength {
		return "", false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "", false
		}
	}
	return s, true
}

// FieldTeamLink names the team link a consultant pastes, in a FieldError.
const FieldTeamLink = "team.link"

// TeamTopicsMax is how many competencies a team result puts forward as the ones to talk about
// first. Flagging every competency whose answers lie far apart flagged all 21, twice, for a
// team of four: a list that long says nothing about where to start.
const TeamTopicsMax = 4

// Topic is a competency a team should talk about first, because its members' answers lie
// furthest apart.
type Topic struct {
	Number int
	// Field is where the answers lie further apart: FieldAsIs (how things are today) or
	// FieldToBe (the ambition).
	Field string
	// SD is the standard deviation of the answers on that side.
	SD float64
	// Gap is the team's mean TO-BE minus its mean AS-IS.
	Gap float64
}

// TalkFirst returns at most n competencies to talk about first, ordered by how far apart
// the answers lie (the larger standard deviation of AS-IS and TO-BE), then by the larger gap,
// then by number. Only competencies flagged as a disagreement (a range of at least the
// questionnaire's disagreement_range) qualify, so a team that agrees gets none.
func (a *Aggregate) TalkFirst(n int) []Topic {
	var out []Topic
	for _, c := range a.Competencies {
		if !c.DisagreeAsIs && !c.DisagreeToBe {
			continue
		}
		t := Topic{Number: c.Number, Field: FieldAsIs, SD: c.AsIs.SD, Gap: c.Gap}
		if c.ToBe.SD > c.AsIs.SD {
			t.Field, t.SD = FieldToBe, c.ToBe.SD
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(x, y Topic) int {
		if c := cmp.Compare(y.SD, x.SD); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Gap, x.Gap); c != 0 {
			return c
		}
		return cmp.Compare(x.Number, y.Number)
	})
	return out[:min(n, len(out))]
}
