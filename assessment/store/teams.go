package store

import (
	"context"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Teams keeps team rounds: rounds without a workspace that an executive opens from a
// result for the leadership team (assessment/team.go). Their participants are stored by
// Participants, like any round's.
type Teams interface {
	// OpenTeamRound opens the team round of result a, with first (a's answers) as its first,
	// finished participant under firstTokenHash; a result that has one gets it back, created
	// false.
	OpenTeamRound(ctx context.Context, a *assessment.Assessment, r *assessment.Round, first *assessment.Participant, firstTokenHash string) (team *assessment.Team, created bool, err error)
	// Team returns the team round of a team link, moved into a workspace or not.
	Team(ctx context.Context, token string) (*assessment.Team, error)
	TeamOfAssessment(ctx context.Context, assessmentID int64) (*assessment.Team, error)
	TeamOfRound(ctx context.Context, roundID int64) (*assessment.Team, error)
	// TeamParticipants lists a team round's participants; a round that moved is ENOTFOUND.
	TeamParticipants(ctx context.Context, roundID int64) ([]assessment.Participant, error)
	SetTeamRevealed(ctx context.Context, roundID int64, revealed bool) error
	// ImportTeamRound moves a team round into workspace wsID as a round of the new client c;
	// a round that moved already is ECONFLICT.
	ImportTeamRound(ctx context.Context, wsID int64, token string, c *assessment.Client, title string) (*assessment.Round, error)
}

// Invitations keeps the personal links of team rounds (assessment/invitation.go): the
// only way into a team round.
type Invitations interface {
	// AddInvitations makes a link for each name of the holder's list (one a line), all or
	// none; a round that moved is ENOTFOUND.
	AddInvitations(ctx context.Context, roundID int64, list string) ([]assessment.Invitation, error)
	// Invitations lists a team round's links, oldest first; a round that moved is ENOTFOUND.
	Invitations(ctx context.Context, roundID int64) ([]assessment.Invitation, error)
	// Invitation returns the link of a token with its round; unknown or withdrawn: ENOTFOUND.
	Invitation(ctx context.Context, token string) (*assessment.Invitation, *assessment.Round, error)
	// RemoveInvitation withdraws a link and removes its colleague if they joined; one who
	// finished is ECONFLICT.
	RemoveInvitation(ctx context.Context, roundID, id int64) (*assessment.Invitation, error)
	// JoinByInvitation admits a new device through a link, once; used or full: ECONFLICT.
	JoinByInvitation(ctx context.Context, token, tokenHash string, p *assessment.Participant) (*assessment.Round, error)
	// SetTeamCap sets the most colleagues who may join (0: one per link).
	SetTeamCap(ctx context.Context, roundID int64, cap int) error
}
