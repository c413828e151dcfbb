package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

var teamTests = []test{
	{"team round", testTeamRound},
	{"import a team round", testImportTeamRound},
	{"deleting the result deletes its team round", testDeleteResultDeletesTeamRound},
	{"personal links of a team round", testTeamInvitations},
}

// joinTeamAs makes a personal link for label in team's round, joins it under tokenHash and,
// with ratings, finishes.
func joinTeamAs(t *testing.T, f *wsFixture, team *assessment.Team, label, tokenHash string, ratings assessment.Ratings) assessment.Invitation {
	t.Helper()
	ctx := context.Background()
	is, err := f.db.AddInvitations(ctx, team.Round.ID, label)
	if err != nil || len(is) != 1 {
		t.Fatalf("AddInvitations(%q) = %+v, %v", label, is, err)
	}
	if _, err := f.db.JoinByInvitation(ctx, is[0].Token, tokenHash, &assessment.Participant{}); err != nil {
		t.Fatalf("JoinByInvitation(%s) = %v", label, err)
	}
	if ratings != nil {
		if err := f.db.SaveParticipant(ctx, team.Round.Code, tokenHash, true, &assessment.Participant{Ratings: ratings}); err != nil {
			t.Fatalf("SaveParticipant(%s) = %v", label, err)
		}
	}
	return is[0]
}

// openTeam opens the team round of a fresh result of f's store, its first participant under
// the token hash "exec".
func openTeam(t *testing.T, f *wsFixture) (*assessment.Assessment, *assessment.Team) {
	t.Helper()
	a := Submit(t, f.q, f.db, "Nordlys A/S", "DK", "retail", true, 2)
	r, first := f.q.NewTeamRound(a)
	team, created, err := f.db.OpenTeamRound(context.Background(), a, &r, &first, "exec")
	if err != nil || !created {
		t.Fatalf("OpenTeamRound = %v, created %v", err, created)
	}
	return a, team
}

// testTeamRound: a team round is a round without a workspace that the workshop's own
// storage runs: people join by its code, tap drafts and finish; the result's answers are its
// first participant; a second opening returns the same round; no workspace query finds it.
func testTeamRound(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	a, team := openTeam(t, f)
	r := team.Round
	if !r.IsTeam() || len(team.Token) != assessment.TeamTokenLength || team.Token == a.Token || len(r.ShortCode) != assessment.ShortCodeLength || !r.Open() || team.Moved() {
		t.Fatalf("team = %+v, want an open team round with a token of its own and a short code", team)
	}
	if team.Company.Name != "Nordlys A/S" || team.AssessmentID != a.ID {
		t.Errorf("team company %q of result %d, want Nordlys A/S of %d", team.Company.Name, team.AssessmentID, a.ID)
	}
	ps, err := f.db.TeamParticipants(ctx, r.ID)
	if err != nil || len(ps) != 1 || !ps[0].Finished() || ps[0].Ratings[0].AsIs != 2 || ps[0].Label == "" {
		t.Fatalf("participants after opening = %+v, %v; want the result's answers, finished, labelled", ps, err)
	}
	again, created, err := f.db.OpenTeamRound(ctx, a, &assessment.Round{Lang: "en"}, &assessment.Participant{Ratings: a.Ratings}, "exec2")
	if err != nil || created || again.Token != team.Token || again.Round.ID != r.ID {
		t.Errorf("opening again = %+v, created %v, %v; want the same round", again, created, err)
	}

	// The workshop's machinery, unchanged once joined by a personal link: tap, finish.
	if got, err := f.db.OpenRoundByShortCode(ctx, r.ShortCode); err != nil || got.ID != r.ID {
		t.Errorf("OpenRoundByShortCode = %v, %v", got, err)
	}
	joinTeamAs(t, f, team, "Ida", "ida", nil)
	if err := f.db.SaveDraftAnswer(ctx, r.Code, "ida", 1, assessment.FieldAsIs, 4); err != nil {
		t.Fatal(err)
	}
	joinTeamAs(t, f, team, "Ole", "ole", Flat(4, 5))
	ps, _ = f.db.TeamParticipants(ctx, r.ID)
	if got := assessment.ProgressOf(ps); got != (assessment.Progress{Joined: 3, Answering: 1, Finished: 2}) {
		t.Errorf("progress = %+v, want 3 joined, 1 answering, 2 finished", got)
	}

	if err := f.db.SetTeamRevealed(ctx, r.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.db.Team(ctx, team.Token); !got.Round.Revealed || got.Round.Revision <= r.Revision {
		t.Errorf("after reveal: revealed %v, revision %d (was %d)", got.Round.Revealed, got.Round.Revision, r.Revision)
	}

	// No workspace sees it: not by id, not in a client's list, not its participants.
	for _, ws := range []int64{f.a.ID, f.b.ID, 0} {
		if _, err := f.db.Round(ctx, ws, r.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("Round(ws %d, team round) = %v, want not found", ws, err)
		}
		if _, err := f.db.RoundParticipants(ctx, ws, r.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("RoundParticipants(ws %d, team round) = %v, want not found", ws, err)
		}
	}
	if rs, _ := f.db.Rounds(ctx, f.a.ID, f.client.ID); len(rs) != 1 {
		t.Errorf("the client's rounds = %d, want its own 1", len(rs))
	}
	// …and it is not a team round's business to read a workspace's round.
	if _, err := f.db.TeamParticipants(ctx, f.round.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("TeamParticipants(a workshop round) = %v, want not found", err)
	}
	if _, err := f.db.Team(ctx, "AAAAAAAAAAAAAAAAAAAAAA"); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Team(unknown) = %v, want not found", err)
	}
}

// testImportTeamRound: a consultant takes a team round into their workspace with a new
// client; the round moves with every participant, its result is hidden again, and it can be
// taken over once.
func testImportTeamRound(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	_, team := openTeam(t, f)
	kim := joinTeamAs(t, f, team, "Kim", "kim", nil)
	joinTeamAs(t, f, team, "Ole", "ole", Flat(4, 5))
	if err := f.db.SetTeamRevealed(ctx, team.Round.ID, true); err != nil {
		t.Fatal(err)
	}
	c, err := f.q.NewClient(team.Company, false)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.db.ImportTeamRound(ctx, f.a.ID, team.Token, &c, "Leadership team")
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != team.Round.ID || r.WorkspaceID != f.a.ID || r.ClientID != c.ID || c.ID == 0 || r.Title != "Leadership team" || r.Revealed || r.Code != team.Round.Code {
		t.Errorf("imported round = %+v (client %d), want the same round, code and all, in workspace %d, hidden", r, c.ID, f.a.ID)
	}
	if got, err := f.db.Client(ctx, f.a.ID, c.ID); err != nil || got.Profile.Name != "Nordlys A/S" || got.Profile.Industry != "retail" {
		t.Errorf("new client = %+v, %v", got, err)
	}
	ps, err := f.db.RoundParticipants(ctx, f.a.ID, r.ID)
	if err != nil || len(ps) != 3 {
		t.Errorf("the consultant sees %d participants, %v; want all 3", len(ps), err)
	}
	// Those who joined keep their place; the round is a workshop now, and its code admits
	// the room as any workshop's does. The holder no longer lists its links.
	if err := f.db.SaveDraftAnswer(ctx, r.Code, "kim", 2, assessment.FieldToBe, 5); err != nil {
		t.Errorf("Kim answering after the move = %v", err)
	}
	if err := f.db.JoinRound(ctx, r.Code, "room", &assessment.Participant{}); err != nil {
		t.Errorf("joining the moved round by its code = %v, want it admitted", err)
	}
	if _, err := f.db.Invitations(ctx, r.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Invitations of a moved round = %v, want not found", err)
	}
	if _, err := f.db.RemoveInvitation(ctx, r.ID, kim.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("RemoveInvitation in a moved round = %v, want not found", err)
	}
	moved, err := f.db.Team(ctx, team.Token)
	if err != nil || !moved.Moved() {
		t.Fatalf("the team link after the import = %+v, %v; want it to say the round moved", moved, err)
	}
	if _, err := f.db.TeamParticipants(ctx, r.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("TeamParticipants of a moved round = %v, want not found", err)
	}
	if err := f.db.SetTeamRevealed(ctx, r.ID, true); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("revealing a moved round through the team = %v, want not found", err)
	}
	c2, _ := f.q.NewClient(team.Company, false)
	if _, err := f.db.ImportTeamRound(ctx, f.b.ID, team.Token, &c2, "Again"); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("importing twice = %v, want a conflict", err)
	}
	if cs, _ := f.db.Clients(ctx, f.b.ID, false); len(cs) != 0 {
		t.Errorf("the refused import left %d clients in workspace B", len(cs))
	}
	if _, err := f.db.Round(ctx, f.b.ID, r.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("workspace B reads the round: %v", err)
	}
}

// testDeleteResultDeletesTeamRound: deleting a result deletes its team round with every
// participant and answer; a round a consultant took over stays theirs, without its link.
// (That no row of the team round is left is a storage detail each engine checks itself.)
func testDeleteResultDeletesTeamRound(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)

	a, team := openTeam(t, f)
	ole := joinTeamAs(t, f, team, "Ole", "ole", Flat(4, 5))
	if err := f.db.DeleteAssessment(ctx, a.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Team(ctx, team.Token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("team link after deleting the result = %v, want not found", err)
	}
	gone := map[string]error{}
	_, gone["TeamOfAssessment"] = f.db.TeamOfAssessment(ctx, a.ID)
	_, gone["TeamOfRound"] = f.db.TeamOfRound(ctx, team.Round.ID)
	_, gone["TeamParticipants"] = f.db.TeamParticipants(ctx, team.Round.ID)
	_, gone["RoundByCode"] = f.db.RoundByCode(ctx, team.Round.Code)
	_, gone["Participant(exec)"] = f.db.Participant(ctx, team.Round.ID, "exec")
	_, gone["Participant(ole)"] = f.db.Participant(ctx, team.Round.ID, "ole")
	_, _, gone["Invitation(ole)"] = f.db.Invitation(ctx, ole.Token)
	for name, err := range gone {
		if assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("%s after deleting the result = %v, want not found", name, err)
		}
	}
	// The workspace's own round and its participants are untouched.
	if err := f.answer(t, "h1", false, Flat(2, 4)); err != nil {
		t.Errorf("answering the workspace's round after the deletion = %v", err)
	}

	a, team = openTeam(t, f)
	c, _ := f.q.NewClient(team.Company, false)
	r, err := f.db.ImportTeamRound(ctx, f.a.ID, team.Token, &c, "Leadership team")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeleteAssessment(ctx, a.Token); err != nil {
		t.Fatal(err)
	}
	if ps, err := f.db.RoundParticipants(ctx, f.a.ID, r.ID); err != nil || len(ps) != 1 {
		t.Errorf("the moved round after its result was deleted: %d participants, %v; want it kept", len(ps), err)
	}
	// Its link is gone: the team token and the round's team find nothing.
	if _, err := f.db.Team(ctx, team.Token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("team link of the moved round after its result was deleted = %v, want not found", err)
	}
	if _, err := f.db.TeamOfRound(ctx, r.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("TeamOfRound(moved round) after its result was deleted = %v, want not found", err)
	}
}

// testTeamInvitations: a team round admits only by personal link, each link one device once,
// within the holder's cap; the holder lists, withdraws and removes, but never a colleague who
// finished. Every refusal leaves nothing stored.
func testTeamInvitations(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	_, team := openTeam(t, f)
	r := team.Round
	count := func() int {
		t.Helper()
		ps, err := f.db.TeamParticipants(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}

	// The shared code admits nobody new: neither joining nor answering straight away.
	if err := f.db.JoinRound(ctx, r.Code, "stranger", &assessment.Participant{}); assessment.ErrorCode(err) != assessment.EFORBIDDEN {
		t.Errorf("JoinRound(team code) = %v, want forbidden", err)
	}
	if err := f.db.SaveParticipant(ctx, r.Code, "stranger", false, &assessment.Participant{Ratings: Flat(3, 3)}); assessment.ErrorCode(err) != assessment.EFORBIDDEN {
		t.Errorf("SaveParticipant(team code, new) = %v, want forbidden", err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d participants after refused joins, want the holder alone", n)
	}

	is, err := f.db.AddInvitations(ctx, r.ID, "Ida Hansen\r\n\n  Ole  \n")
	if err != nil || len(is) != 2 || is[0].Label != "Ida Hansen" || is[1].Label != "Ole" || len(is[0].Token) != assessment.InvitationTokenLength || is[0].Token == is[1].Token {
		t.Fatalf("AddInvitations = %+v, %v; want Ida Hansen and Ole with tokens of their own", is, err)
	}
	ida, ole := is[0], is[1]
	for _, list := range []string{"Kim\nida hansen", "Kim\n" + strings.Repeat("x", assessment.MaxInvitationLabel+1), "\n \n"} {
		if _, err := f.db.AddInvitations(ctx, r.ID, list); assessment.ErrorCode(err) != assessment.EINVALID {
			t.Errorf("AddInvitations(%.20q) = %v, want invalid", list, err)
		}
	}
	if got, _ := f.db.Invitations(ctx, r.ID); len(got) != 2 {
		t.Errorf("%d links after refused lists, want 2: a list is stored whole or not at all", len(got))
	}

	// One device once.
	got, err := f.db.JoinByInvitation(ctx, ida.Token, "ida-phone", &assessment.Participant{Name: "Ida"})
	if err != nil || got.ID != r.ID {
		t.Fatalf("JoinByInvitation(Ida) = %v, %v", got, err)
	}
	_, err = f.db.JoinByInvitation(ctx, ida.Token, "ida-laptop", &assessment.Participant{})
	if e, ok := assessment.AsError(err); !ok || e.Key != assessment.MsgInvitationUsed {
		t.Errorf("Ida's link on a second device = %v, want it refused as used", err)
	}
	if _, _, err := f.db.Invitation(ctx, "AAAAAAAAAAAAAAAAAAAAAA"); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Invitation(unknown) = %v, want not found", err)
	}
	if err := f.db.SaveParticipant(ctx, r.Code, "ida-phone", true, &assessment.Participant{Ratings: Flat(2, 5)}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2 {
		t.Errorf("%d participants, want the holder and Ida", n)
	}
	links, _ := f.db.Invitations(ctx, r.ID)
	if st := []string{links[0].Status(), links[1].Status()}; st[0] != assessment.InvitationFinished || st[1] != assessment.InvitationUnused {
		t.Errorf("statuses = %v, want Ida finished, Ole unused", st)
	}
	if _, err := f.db.RemoveInvitation(ctx, r.ID, ida.ID); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("removing Ida, who finished = %v, want a conflict", err)
	}

	// The cap: one place, taken by Ida; Ole is refused until it is lifted.
	if err := f.db.SetTeamCap(ctx, r.ID, 1); err != nil {
		t.Fatal(err)
	}
	_, err = f.db.JoinByInvitation(ctx, ole.Token, "ole", &assessment.Participant{})
	if e, ok := assessment.AsError(err); !ok || e.Key != assessment.MsgTeamFull {
		t.Errorf("Ole with the round full = %v, want refused as full", err)
	}
	for _, c := range []int{-1, assessment.MaxInvitations + 1} {
		if err := f.db.SetTeamCap(ctx, r.ID, c); assessment.ErrorCode(err) != assessment.EINVALID {
			t.Errorf("SetTeamCap(%d) = %v, want invalid", c, err)
		}
	}
	if err := f.db.SetTeamCap(ctx, r.ID, 0); err != nil {
		t.Fatal(err)
	}
	if tm, _ := f.db.Team(ctx, team.Token); tm.Cap != 0 {
		t.Errorf("cap = %d, want 0 (one place per link)", tm.Cap)
	}
	if _, err := f.db.JoinByInvitation(ctx, ole.Token, "ole", &assessment.Participant{}); err != nil {
		t.Fatalf("Ole after the cap was lifted = %v", err)
	}
	if err := f.db.SetTeamCap(ctx, r.ID, 1); assessment.ErrorCode(err) != assessment.EINVALID {
		t.Errorf("a cap below the 2 who joined = %v, want invalid", err)
	}

	// Ole, who has not finished, is removed with his link; the link admits nobody since, and
	// his name is free for a new one.
	if _, err := f.db.RemoveInvitation(ctx, r.ID, ole.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Participant(ctx, r.ID, "ole"); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Ole after his removal = %v, want not found", err)
	}
	if _, err := f.db.JoinByInvitation(ctx, ole.Token, "ole-again", &assessment.Participant{}); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Ole's withdrawn link = %v, want not found", err)
	}
	if is, err := f.db.AddInvitations(ctx, r.ID, "Ole"); err != nil || len(is) != 1 || is[0].Token == ole.Token {
		t.Errorf("a new link for Ole = %+v, %v", is, err)
	}
	if n := count(); n != 2 {
		t.Errorf("%d participants at the end, want the holder and Ida", n)
	}
	// Nothing of this reaches a workshop round.
	if _, err := f.db.Invitations(ctx, f.round.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Invitations(a workshop round) = %v, want not found", err)
	}
}
