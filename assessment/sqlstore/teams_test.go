package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/storetest"
)

// openTeam opens the team round of a fresh result of f's store, its first participant under
// the token hash "exec".
func openTeam(t *testing.T, f *wsFixture) (*assessment.Assessment, *assessment.Team) {
	t.Helper()
	a := storetest.Submit(t, f.q, f.db, "Nordlys A/S", "DK", "retail", true, 2)
	r, first := f.q.NewTeamRound(a)
	team, created, err := f.db.OpenTeamRound(context.Background(), a, &r, &first, "exec")
	if err != nil || !created {
		t.Fatalf("OpenTeamRound = %v, created %v", err, created)
	}
	return a, team
}

// TestDeleteResultLeavesNoTeamRows: deleting a result leaves no row of its team round, its
// participants, their answers and drafts; deleting the result of a round a consultant took
// over leaves no team link. What the deletion means is the conformance suite's (storetest).
func TestDeleteResultLeavesNoTeamRows(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	count := func(q string) int { return queryInt(t, f.path, q) }
	rowsBefore := count("SELECT count(*) FROM participants")

	a, team := openTeam(t, f)
	if err := f.db.SaveDraftAnswer(ctx, team.Round.Code, "exec", 1, assessment.FieldAsIs, 4); err != nil {
		t.Fatal(err)
	}
	links, err := f.db.AddInvitations(ctx, team.Round.ID, "Ole\nIda")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.JoinByInvitation(ctx, links[0].Token, "ole", &assessment.Participant{}); err != nil {
		t.Fatal(err)
	}
	done := assessment.Participant{Ratings: storetest.Flat(4, 5)}
	if err := f.db.SaveParticipant(ctx, team.Round.Code, "ole", true, &done); err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeleteAssessment(ctx, a.Token); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{
		"SELECT count(*) FROM team_invitations":                                                              0,
		"SELECT count(*) FROM rounds WHERE workspace_id IS NULL":                                             0,
		"SELECT count(*) FROM team_rounds":                                                                   0,
		"SELECT count(*) FROM participants":                                                                  rowsBefore,
		"SELECT count(*) FROM participant_answers WHERE participant_id NOT IN (SELECT id FROM participants)": 0,
		"SELECT count(*) FROM participant_drafts WHERE participant_id NOT IN (SELECT id FROM participants)":  0,
	} {
		if got := count(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}

	a, team = openTeam(t, f)
	c, _ := f.q.NewClient(team.Company, false)
	if _, err := f.db.ImportTeamRound(ctx, f.a.ID, team.Token, &c, "Leadership team"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeleteAssessment(ctx, a.Token); err != nil {
		t.Fatal(err)
	}
	if got := count("SELECT count(*) FROM team_rounds"); got != 0 {
		t.Errorf("team links left = %d, want 0", got)
	}
}

// TestMigrationTeamRoundsKeepsRounds: migration 0007 rebuilds the rounds table, which other
// tables reference. Run again over a database with a workshop's data (its record removed, as
// if it had not run), it keeps every round and every row that references one: with foreign
// keys on, dropping the old table would have deleted them all by cascade.
func TestMigrationTeamRoundsKeepsRounds(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	for tok, r := range map[string]assessment.Ratings{"a": storetest.Flat(2, 4), "b": storetest.Flat(4, 4)} {
		if err := storetest.Answer(t, f.db, f.round, tok, false, r); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := f.q.NewBattle(13, "Business case", "CFO", "", "")
	if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); err != nil {
		t.Fatal(err)
	}
	n, _ := f.q.NewNote(5, "Sales and service disagree.")
	if err := f.db.SaveNote(ctx, f.a.ID, f.round.ID, &n); err != nil {
		t.Fatal(err)
	}
	tables := []string{"rounds", "participants", "participant_answers", "participant_drafts", "battles", "battle_events", "round_notes"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = queryInt(t, f.path, "SELECT count(*) FROM "+tb)
	}
	f.db.Close()

	raw, err := sql.Open("sqlite", f.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{"DROP TABLE team_rounds", "DELETE FROM schema_migrations WHERE version = 7"} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := sqlstore.Open(f.path)
	if err != nil {
		t.Fatalf("reopening runs 0007 again: %v", err)
	}
	defer db.Close()
	for _, tb := range tables {
		if got := queryInt(t, f.path, "SELECT count(*) FROM "+tb); got != before[tb] || got == 0 {
			t.Errorf("%s: %d rows after the migration, %d before", tb, got, before[tb])
		}
	}
	if got := queryInt(t, f.path, "SELECT count(*) FROM schema_migrations WHERE version = 7"); got != 1 {
		t.Errorf("migration 7 recorded %d times", got)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	// The rebuilt table keeps its foreign key to clients and gains the CHECK that a round has
	// both a workspace and a client, or neither.
	raw, _ = sql.Open("sqlite", f.path+"?_pragma=foreign_keys(1)")
	defer raw.Close()
	if _, err := raw.Exec("INSERT INTO rounds (workspace_id, client_id, title, lang, questionnaire_version, code, short_code, opened_at) VALUES (?, 999, 't', 'en', 'v', 'c', 's', 'x')", f.a.ID); err == nil {
		t.Error("a round of a missing client was stored: the foreign key to clients is gone")
	}
	if _, err := raw.Exec("INSERT INTO rounds (workspace_id, client_id, title, lang, questionnaire_version, code, short_code, opened_at) VALUES (?, NULL, 't', 'en', 'v', 'c2', 's2', 'x')", f.a.ID); err == nil {
		t.Error("a round with a workspace but no client was stored: the CHECK is missing")
	}
}
