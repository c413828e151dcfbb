package store

import (
	"context"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Clients keeps a workspace's clients.
type Clients interface {
	CreateClient(ctx context.Context, wsID int64, c *assessment.Client) error
	Client(ctx context.Context, wsID, id int64) (*assessment.Client, error)
	Clients(ctx context.Context, wsID int64, archived bool) ([]assessment.Client, error)
	// UpdateClient stores c and brings its pool entry in line (assessment.ClientEntry).
	UpdateClient(ctx context.Context, q *assessment.Questionnaire, wsID int64, c *assessment.Client) error
	SetClientArchived(ctx context.Context, wsID, id int64, archived bool) error
	DeleteClient(ctx context.Context, wsID, id int64) error
	Portfolio(ctx context.Context, wsID int64) ([]assessment.PortfolioEntry, error)
}

// Rounds keeps workshop rounds, their participants and Must Win Battles.
type Rounds interface {
	CreateRound(ctx context.Context, wsID, clientID int64, r *assessment.Round) error
	Round(ctx context.Context, wsID, id int64) (*assessment.Round, error)
	RoundByCode(ctx context.Context, code string) (*assessment.Round, error)
	OpenRoundByShortCode(ctx context.Context, short string) (*assessment.Round, error)
	Rounds(ctx context.Context, wsID, clientID int64) ([]assessment.Round, error)
	SetRoundRevealed(ctx context.Context, wsID, id int64, revealed bool) error
	// CloseRound freezes a round and brings its client's pool entry in line.
	CloseRound(ctx context.Context, q *assessment.Questionnaire, wsID, id int64) (*assessment.Round, error)
	// ReopenRound opens a closed round again; it leaves the pool until closed again.
	ReopenRound(ctx context.Context, q *assessment.Questionnaire, wsID, id int64) (*assessment.Round, error)
	// SetRoundDeadline starts (or, with a zero time, stops) the countdown for answering.
	SetRoundDeadline(ctx context.Context, wsID, id int64, deadline time.Time) error
	// WatchRounds calls changed with a round's new revision after every committed change of
	// it — on PostgreSQL those of every instance on the database — and lost when changes may
	// have gone unheard (every round may have changed), until stop. The live streams
	// (events.go) follow rounds through it.
	WatchRounds(changed func(round, revision int64), lost func()) (stop func())
}

// Participants keeps a round's participants from joining to finishing.
type Participants interface {
	// JoinRound adds a participant who has not answered yet, with a label drawn at random.
	JoinRound(ctx context.Context, code, tokenHash string, p *assessment.Participant) error
	// SaveDraftAnswer stores one tapped answer of a participant.
	SaveDraftAnswer(ctx context.Context, code, tokenHash string, competency int, field string, value int) error
	// SaveParticipant stores a complete set of answers and marks the participant finished.
	SaveParticipant(ctx context.Context, code, tokenHash string, replace bool, p *assessment.Participant) error
	// SaveParticipantOnce is SaveParticipant unless once's key was used before: then it
	// stores nothing and returns the first response. The key and resp are stored in the
	// answers' transaction.
	SaveParticipantOnce(ctx context.Context, code, tokenHash string, replace bool, p *assessment.Participant, once *assessment.Once, resp assessment.OnceResponse) (*assessment.OnceResponse, error)
	Participant(ctx context.Context, roundID int64, tokenHash string) (*assessment.Participant, error)
	RoundParticipants(ctx context.Context, wsID, roundID int64) ([]assessment.Participant, error)
	// RemoveParticipant takes a participant out of an open round; a closed one is ECONFLICT.
	RemoveParticipant(ctx context.Context, wsID, roundID, pid int64) error
	// PublishRound stores the next publication of an open round if it still has the one
	// before (compare and set), and reports whether it did.
	PublishRound(ctx context.Context, roundID int64, next assessment.Publication) (bool, error)
	// RoundPublication returns the publication a round has stored.
	RoundPublication(ctx context.Context, roundID int64) (assessment.Publication, error)
}

// Battles keeps a round's Must Win Battles and the consultant's notes.
type Battles interface {
	AddBattle(ctx context.Context, wsID, roundID int64, b *assessment.Battle) error
	UpdateBattle(ctx context.Context, wsID int64, b *assessment.Battle) error
	// UpdateBattleIf is UpdateBattle when check, called in the same transaction with the
	// battle as stored, returns nil (an If-Match that still matches).
	UpdateBattleIf(ctx context.Context, wsID int64, b *assessment.Battle, check func(current *assessment.Battle) error) error
	DeleteBattle(ctx context.Context, wsID, roundID, id int64) error
	Battles(ctx context.Context, wsID, roundID int64) ([]assessment.Battle, error)
	Battle(ctx context.Context, wsID, id int64) (*assessment.Battle, error)
	SaveNote(ctx context.Context, wsID, roundID int64, n *assessment.Note) error
	Notes(ctx context.Context, wsID, roundID int64) ([]assessment.Note, error)
}
