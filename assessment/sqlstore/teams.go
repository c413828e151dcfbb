package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores team rounds (assessment/team.go): rounds without a workspace, opened from
// a five-minute test's result, with the facts of their team link in team_rounds. Everything
// else about them — participants, drafts, answers, the revision live views poll — is the
// workshop's own storage (rounds.go, participants.go).

var errNoTeam = assessment.NewError(assessment.ENOTFOUND, assessment.MsgTeamNotFound, nil)

// OpenTeamRound opens the team round of result a: the round r and first, a's answers as its
// first participant, finished, under firstTokenHash (both from
// assessment.Questionnaire.NewTeamRound), with a fresh team link, link code and short code.
// A result has one team round: when a already has one, that one is returned and created is
// false. A result deleted meanwhile is ENOTFOUND.
func (db *DB) OpenTeamRound(ctx context.Context, a *assessment.Assessment, r *assessment.Round, first *assessment.Participant, firstTokenHash string) (team *assessment.Team, created bool, err error) {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, fmt.Errorf("open team round: %w", err)
	}
	defer tx.Rollback()
	switch t, err := teamTx(ctx, tx, "assessment_id = ?", a.ID); {
	case err == nil:
		return t, false, nil
	case !errors.Is(err, errNoTeam):
		return nil, false, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM assessments WHERE id = ?", a.ID).Scan(&n); err != nil {
		return nil, false, fmt.Errorf("open team round: %w", err)
	}
	if n == 0 {
		return nil, false, errNoAssessment
	}
	short, err := freeShortCode(ctx, tx)
	if err != nil {
		return nil, false, fmt.Errorf("open team round: %w", err)
	}
	code := newLinkCode()
	id, err := tx.insertID(ctx, `INSERT INTO rounds (workspace_id, client_id, title, lang, questionnaire_version, code, short_code, revealed, opened_at, closed_at)
		VALUES (NULL, NULL, ?, ?, ?, ?, ?, 0, ?, '')`, r.Title, r.Lang, r.QuestionnaireVersion, code, short, formatTime(now))
	if err != nil {
		return nil, false, fmt.Errorf("open team round: %w", err)
	}
	token := newToken()
	if _, err := tx.ExecContext(ctx, "INSERT INTO team_rounds (round_id, token, assessment_id, created_at) VALUES (?, ?, ?, ?)",
		id, token, a.ID, formatTime(now)); err != nil {
		return nil, false, fmt.Errorf("open team round: %w", err)
	}
	r.ID, r.Code, r.ShortCode, r.OpenedAt = id, code, short, now
	if err := db.insertParticipantTx(ctx, tx, r, firstTokenHash, first); err != nil {
		return nil, false, fmt.Errorf("open team round: first participant: %w", err)
	}
	if err := finishTx(ctx, tx, first, now); err != nil {
		return nil, false, fmt.Errorf("open team round: first participant: %w", err)
	}
	first.FinishedAt = now
	if err := bumpRevisionTx(ctx, tx, id); err != nil {
		return nil, false, fmt.Errorf("open team round: %w", err)
	}
	if team, err = teamTx(ctx, tx, "round_id = ?", id); err != nil {
		return nil, false, err
	}
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("open team round: %w", err)
	}
	return team, true, nil
}

// Team returns the team round whose team link carries token, moved or not.
func (db *DB) Team(ctx context.Context, token string) (*assessment.Team, error) {
	if token == "" {
		return nil, errNoTeam
	}
	return db.readTeam(ctx, "token = ?", token)
}

// TeamOfAssessment returns the team round opened from result assessmentID.
func (db *DB) TeamOfAssessment(ctx context.Context, assessmentID int64) (*assessment.Team, error) {
	return db.readTeam(ctx, "assessment_id = ?", assessmentID)
}

// TeamOfRound returns the team round that round roundID is, or was before it moved.
func (db *DB) TeamOfRound(ctx context.Context, roundID int64) (*assessment.Team, error) {
	return db.readTeam(ctx, "round_id = ?", roundID)
}

func (db *DB) readTeam(ctx context.Context, where string, arg any) (*assessment.Team, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find team round: %w", err)
	}
	defer tx.Rollback()
	return teamTx(ctx, tx, where, arg)
}

// teamTx reads the team round where selects (a condition on team_rounds), with its round
// and the company profile of its result.
func teamTx(ctx context.Context, tx *Tx, where string, arg any) (*assessment.Team, error) {
	var t assessment.Team
	var roundID int64
	var created, moved string
	err := tx.QueryRowContext(ctx, `SELECT t.round_id, t.token, t.assessment_id, t.created_at, t.moved_at, t.cap,
		a.company_name, a.company_industry, a.company_size, a.company_country, a.company_nps_years
		FROM team_rounds t JOIN assessments a ON a.id = t.assessment_id WHERE t.`+where, arg).Scan(
		&roundID, &t.Token, &t.AssessmentID, &created, &moved, &t.Cap,
		&t.Company.Name, &t.Company.Industry, &t.Company.Size, &t.Company.Country, &t.Company.NPSYears)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoTeam
	}
	if err != nil {
		return nil, fmt.Errorf("find team round: %w", err)
	}
	var err1, err2 error
	t.CreatedAt, err1 = parseTime(created)
	t.MovedAt, err2 = parseTime(moved)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("find team round %d: %w", roundID, err)
	}
	r, err := findRound(ctx, tx, "id = ?", roundID)
	if err != nil {
		return nil, err
	}
	t.Round = *r
	return &t, nil
}

// teamRound is the condition that selects round id only while it is a team round: once a
// consultant has taken it over, nothing of the team link reaches it.
const teamRound = "id = ? AND workspace_id IS NULL"

// TeamParticipants returns every participant of team round roundID, as RoundParticipants
// does for a workspace's round. A round that moved into a workspace is ENOTFOUND.
func (db *DB) TeamParticipants(ctx context.Context, roundID int64) ([]assessment.Participant, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("list participants: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, teamRound, roundID); err != nil {
		return nil, err
	}
	ps, err := participantsTx(ctx, tx, roundID)
	if err != nil {
		return nil, fmt.Errorf("list participants: %w", err)
	}
	return ps, nil
}

// SetTeamRevealed shows the team's result to the participants who answered, or hides it.
func (db *DB) SetTeamRevealed(ctx context.Context, roundID int64, revealed bool) error {
	_, err := db.changeRound(ctx, "reveal team round", setRevealed(ctx, revealed), teamRound, roundID)
	return err
}

// ImportTeamRound takes the team round whose team link carries token into workspace wsID as
// a round of c, a new client (validated by assessment.Questionnaire.NewClient), titled
// title, in one transaction: the round moves with its participants and answers (it is not
// copied, so nobody's link or cookie changes), its result is hidden again (the consultant
// decides what a room sees), and the team link only says that it moved. A round that moved
// already is ECONFLICT. It sets c's ID and returns the round.
func (db *DB) ImportTeamRound(ctx context.Context, wsID int64, token string, c *assessment.Client, title string) (*assessment.Round, error) {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("import team round: %w", err)
	}
	defer tx.Rollback()
	team, err := teamTx(ctx, tx, "token = ?", token)
	if err != nil {
		return nil, err
	}
	if err := team.CheckImport(); err != nil {
		return nil, err
	}
	clientID, err := insertClientTx(ctx, tx, wsID, c, now)
	if err != nil {
		return nil, fmt.Errorf("import team round: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET workspace_id = ?, client_id = ?, title = ?, revealed = 0, revision = revision + 1 WHERE "+teamRound,
		wsID, clientID, title, team.Round.ID); err != nil {
		return nil, fmt.Errorf("import team round: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE team_rounds SET moved_at = ? WHERE round_id = ?", formatTime(now), team.Round.ID); err != nil {
		return nil, fmt.Errorf("import team round: %w", err)
	}
	r, err := findRound(ctx, tx, "id = ? AND workspace_id = ?", team.Round.ID, wsID)
	if err != nil {
		return nil, fmt.Errorf("import team round: %w", err)
	}
	// The team page and the phones of the round hear that it moved.
	if err := tx.roundChanged(ctx, roundChange{Round: r.ID, Revision: r.Revision}); err != nil {
		return nil, fmt.Errorf("import team round: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("import team round: %w", err)
	}
	c.ID, c.WorkspaceID, c.CreatedAt, c.UpdatedAt, c.Archived = clientID, wsID, now, now, false
	return r, nil
}

// deleteTeamOfTx deletes, inside tx, the team round opened from result assessmentID with
// every participant and answer of it, unless a consultant has taken it over: that round is
// the client's now, and only its team link goes.
func deleteTeamOfTx(ctx context.Context, tx *Tx, assessmentID int64) error {
	var roundID int64
	var team bool
	err := tx.QueryRowContext(ctx, `SELECT t.round_id, r.workspace_id IS NULL FROM team_rounds t JOIN rounds r ON r.id = t.round_id
		WHERE t.assessment_id = ?`, assessmentID).Scan(&roundID, &team)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	// Children first, explicitly, so that a connection without foreign keys leaves nothing.
	stmts := []string{"DELETE FROM team_invitations WHERE round_id = ?", "DELETE FROM team_rounds WHERE round_id = ?"}
	if team {
		participants := "SELECT id FROM participants WHERE round_id = ?"
		stmts = append(stmts,
			"DELETE FROM participant_drafts WHERE participant_id IN ("+participants+")",
			"DELETE FROM participant_answers WHERE participant_id IN ("+participants+")",
			"DELETE FROM participants WHERE round_id = ?",
			"DELETE FROM rounds WHERE "+teamRound)
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt, roundID); err != nil {
			return err
		}
	}
	return nil
}

// The personal links of team rounds (assessment/invitation.go).

var errNoInvitation = assessment.NewError(assessment.ENOTFOUND, assessment.MsgInvitationNotFound, nil)

// invitationsTx returns the personal links of team round roundID in the order they were made,
// with whether each one's participant has finished.
func invitationsTx(ctx context.Context, tx rowsQueryer, where string, args ...any) ([]assessment.Invitation, error) {
	rows, err := tx.QueryContext(ctx, `SELECT i.id, i.round_id, i.token, i.label, i.created_at, i.used_at, COALESCE(i.participant_id, 0),
		COALESCE(p.finished_at, '') FROM team_invitations i LEFT JOIN participants p ON p.id = i.participant_id
		WHERE `+where+" ORDER BY i.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list personal links: %w", err)
	}
	defer rows.Close()
	var out []assessment.Invitation
	for rows.Next() {
		var i assessment.Invitation
		var created, used, finished string
		if err := rows.Scan(&i.ID, &i.RoundID, &i.Token, &i.Label, &created, &used, &i.ParticipantID, &finished); err != nil {
			return nil, fmt.Errorf("list personal links: %w", err)
		}
		var err1, err2 error
		i.CreatedAt, err1 = parseTime(created)
		i.UsedAt, err2 = parseTime(used)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("personal link %d: %w", i.ID, err)
		}
		i.Finished = finished != ""
		out = append(out, i)
	}
	return out, rows.Err()
}

// Invitations returns the personal links of team round roundID, oldest first. A round that
// moved into a workspace is ENOTFOUND.
func (db *DB) Invitations(ctx context.Context, roundID int64) ([]assessment.Invitation, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("list personal links: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, teamRound, roundID); err != nil {
		return nil, err
	}
	return invitationsTx(ctx, tx, "i.round_id = ?", roundID)
}

// Invitation returns the personal link whose token is token, with its round; an unknown or
// withdrawn one is ENOTFOUND.
func (db *DB) Invitation(ctx context.Context, token string) (*assessment.Invitation, *assessment.Round, error) {
	if token == "" {
		return nil, nil, errNoInvitation
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("find personal link: %w", err)
	}
	defer tx.Rollback()
	return invitationTx(ctx, tx, token)
}

func invitationTx(ctx context.Context, tx *Tx, token string) (*assessment.Invitation, *assessment.Round, error) {
	is, err := invitationsTx(ctx, tx, "i.token = ?", token)
	if err != nil {
		return nil, nil, err
	}
	if len(is) == 0 {
		return nil, nil, errNoInvitation
	}
	r, err := findRound(ctx, tx, "id = ?", is[0].RoundID)
	if err != nil {
		return nil, nil, err
	}
	return &is[0], r, nil
}

// AddInvitations makes a personal link for each line of the holder's list of colleagues
// (assessment.ParseInvitationLabels, checked here against the links the round has, in the
// same transaction), all or none, and returns the new links. A round that moved is
// ENOTFOUND.
func (db *DB) AddInvitations(ctx context.Context, roundID int64, list string) ([]assessment.Invitation, error) {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("add personal links: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, teamRound, roundID); err != nil {
		return nil, err
	}
	existing, err := invitationsTx(ctx, tx, "i.round_id = ?", roundID)
	if err != nil {
		return nil, err
	}
	labels, err := assessment.ParseInvitationLabels(list, existing)
	if err != nil {
		return nil, err
	}
	out := make([]assessment.Invitation, 0, len(labels))
	for _, label := range labels {
		i := assessment.Invitation{RoundID: roundID, Token: newToken(), Label: label, CreatedAt: now}
		if i.ID, err = tx.insertID(ctx, "INSERT INTO team_invitations (round_id, token, label, created_at) VALUES (?, ?, ?, ?)",
			roundID, i.Token, i.Label, formatTime(now)); err != nil {
			return nil, fmt.Errorf("add personal links: %w", err)
		}
		out = append(out, i)
	}
	if err := bumpRevisionTx(ctx, tx, roundID); err != nil {
		return nil, fmt.Errorf("add personal links: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("add personal links: %w", err)
	}
	return out, nil
}

// RemoveInvitation withdraws personal link id of team round roundID: the link goes, and with
// it a colleague who joined and has not finished, with their draft; the link then admits
// nobody, and the holder may make a new one under the same name. A colleague who finished stays (ECONFLICT,
// assessment.Invitation.CheckRemove). It returns the link as it was.
func (db *DB) RemoveInvitation(ctx context.Context, roundID, id int64) (*assessment.Invitation, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("remove personal link: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, teamRound, roundID); err != nil {
		return nil, err
	}
	is, err := invitationsTx(ctx, tx, "i.round_id = ? AND i.id = ?", roundID, id)
	if err != nil {
		return nil, err
	}
	if len(is) == 0 {
		return nil, errNoInvitation
	}
	i := is[0]
	if err := i.CheckRemove(); err != nil {
		return nil, err
	}
	var stmts []string
	if i.ParticipantID != 0 {
		stmts = []string{"DELETE FROM participant_drafts WHERE participant_id = ?", "DELETE FROM participant_answers WHERE participant_id = ?",
			"DELETE FROM participants WHERE id = ?"}
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt, i.ParticipantID); err != nil {
			return nil, fmt.Errorf("remove personal link: %w", err)
		}
	}
	// The link goes too: an unknown token admits nobody, and the name is free for a new link.
	if _, err := tx.ExecContext(ctx, "DELETE FROM team_invitations WHERE id = ?", i.ID); err != nil {
		return nil, fmt.Errorf("remove personal link: %w", err)
	}
	if err := bumpRevisionTx(ctx, tx, roundID); err != nil {
		return nil, fmt.Errorf("remove personal link: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("remove personal link: %w", err)
	}
	return &i, nil
}

// JoinByInvitation admits a new device through the personal link whose token is token: a new
// participant p (validated by assessment.NewParticipantName) under tokenHash, and the link
// used by it, in one transaction. A link already used is ECONFLICT (MsgInvitationUsed), so is
// a full round (MsgTeamFull) and a closed one; an unknown link ENOTFOUND. It returns the round.
func (db *DB) JoinByInvitation(ctx context.Context, token, tokenHash string, p *assessment.Participant) (*assessment.Round, error) {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("join by personal link: %w", err)
	}
	defer tx.Rollback()
	i, r, err := invitationTx(ctx, tx, token)
	if err != nil {
		return nil, err
	}
	if !r.Open() {
		return nil, errRoundClosed
	}
	team, err := teamTx(ctx, tx, "round_id = ?", r.ID)
	if err != nil {
		return nil, err
	}
	links, err := invitationsTx(ctx, tx, "i.round_id = ?", r.ID)
	if err != nil {
		return nil, err
	}
	if err := i.CheckUse(team.PlacesOf(links)); err != nil {
		return nil, err
	}
	if err := db.insertParticipantTx(ctx, tx, r, tokenHash, p); err != nil {
		return nil, fmt.Errorf("join by personal link: %w", err)
	}
	// The condition on used_at makes the link's use single even if two devices race.
	res, err := tx.ExecContext(ctx, "UPDATE team_invitations SET used_at = ?, participant_id = ? WHERE id = ? AND used_at = ''",
		formatTime(now), p.ID, i.ID)
	if err != nil {
		return nil, fmt.Errorf("join by personal link: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, assessment.NewError(assessment.ECONFLICT, assessment.MsgInvitationUsed, nil)
	}
	if err := bumpRevisionTx(ctx, tx, r.ID); err != nil {
		return nil, fmt.Errorf("join by personal link: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("join by personal link: %w", err)
	}
	return r, nil
}

// SetTeamCap sets the most colleagues team round roundID lets join (0: one place per personal
// link), checked by assessment.CheckCap against the places taken, in the same transaction.
func (db *DB) SetTeamCap(ctx context.Context, roundID int64, cap int) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set team cap: %w", err)
	}
	defer tx.Rollback()
	team, err := teamTx(ctx, tx, "round_id = ?", roundID)
	if err != nil {
		return err
	}
	if team.Moved() {
		return errNoRound
	}
	links, err := invitationsTx(ctx, tx, "i.round_id = ?", roundID)
	if err != nil {
		return err
	}
	if err := assessment.CheckCap(cap, team.PlacesOf(links).Taken); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE team_rounds SET cap = ? WHERE round_id = ?", cap, roundID); err != nil {
		return fmt.Errorf("set team cap: %w", err)
	}
	if err := bumpRevisionTx(ctx, tx, roundID); err != nil {
		return fmt.Errorf("set team cap: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set team cap: %w", err)
	}
	return nil
}
