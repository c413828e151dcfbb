package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var battleTests = []test{
	{"at most five battles", testBattlesLimit},
	{"battles carry over with their history", testBattlesCarryOverWithHistory},
	{"notes and deadline", testNotesAndDeadline},
	{"a conditional battle update sees the battle as stored", testUpdateBattleIf},
}

// testBattlesCarryOverWithHistory carries the open battles of a round into the client's next
// round and keeps their status history across both.
func testBattlesCarryOverWithHistory(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	add := func(comp int, title, status string) assessment.Battle {
		b, err := f.q.NewBattle(comp, title, "Owner", "2026-06-30", status)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	open := add(13, "Business case", assessment.BattleNotStarted)
	add(19, "Calculate", assessment.BattleDone)
	open.Status = assessment.BattleInProgress
	open.RoundID = f.round.ID
	if err := f.db.UpdateBattle(ctx, f.a.ID, &open); err != nil {
		t.Fatal(err)
	}
	next, _ := f.q.NewRound("Follow-up", "en")
	if err := f.db.CreateRound(ctx, f.a.ID, f.client.ID, &next); err != nil {
		t.Fatal(err)
	}
	bs, err := f.db.Battles(ctx, f.a.ID, next.ID)
	if err != nil || len(bs) != 1 {
		t.Fatalf("battles of the next round = %+v, %v; want the open one", bs, err)
	}
	b := bs[0]
	if b.Title != "Business case" || b.Lineage != open.ID || b.ID == open.ID || b.Status != assessment.BattleInProgress {
		t.Errorf("carried battle = %+v, want Business case, lineage %d, a new id, in progress", b, open.ID)
	}
	// It is finished in the next round: the history holds all three statuses, oldest first.
	b.Status = assessment.BattleDone
	if err := f.db.UpdateBattle(ctx, f.a.ID, &b); err != nil {
		t.Fatal(err)
	}
	got, _ := f.db.Battle(ctx, f.a.ID, b.ID)
	var statuses []string
	for _, ev := range got.History {
		statuses = append(statuses, ev.Status)
	}
	if want := "not_started in_progress done"; joinWords(statuses) != want {
		t.Errorf("history = %q, want %q", joinWords(statuses), want)
	}
	if got.History[2].RoundID != next.ID || got.History[0].RoundID != f.round.ID {
		t.Errorf("history rounds = %d … %d, want %d … %d", got.History[0].RoundID, got.History[2].RoundID, f.round.ID, next.ID)
	}
	if _, err := f.db.Battle(ctx, f.b.ID, b.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Battle from another workspace = %v, want not found", err)
	}
}

func joinWords(ws []string) string {
	out := ""
	for i, w := range ws {
		if i > 0 {
			out += " "
		}
		out += w
	}
	return out
}

func testNotesAndDeadline(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	n, _ := f.q.NewNote(5, "Sales and service see it differently.")
	if err := f.db.SaveNote(ctx, f.a.ID, f.round.ID, &n); err != nil {
		t.Fatal(err)
	}
	n2, _ := f.q.NewNote(5, "Agreed: service is right.")
	if err := f.db.SaveNote(ctx, f.a.ID, f.round.ID, &n2); err != nil {
		t.Fatal(err)
	}
	notes, err := f.db.Notes(ctx, f.a.ID, f.round.ID)
	if err != nil || len(notes) != 1 || notes[0].Text != "Agreed: service is right." {
		t.Errorf("Notes = %+v, %v; want the one updated note", notes, err)
	}
	if ns, _ := f.db.Notes(ctx, f.b.ID, f.round.ID); len(ns) != 0 {
		t.Errorf("Notes from another workspace = %v, want none", ns)
	}
	empty, _ := f.q.NewNote(5, "  ")
	if err := f.db.SaveNote(ctx, f.a.ID, f.round.ID, &empty); err != nil {
		t.Fatal(err)
	}
	if ns, _ := f.db.Notes(ctx, f.a.ID, f.round.ID); len(ns) != 0 {
		t.Errorf("Notes after an empty note = %v, want none", ns)
	}

	deadline := time.Date(2026, 3, 2, 10, 5, 0, 0, time.UTC)
	if err := f.db.SetRoundDeadline(ctx, f.a.ID, f.round.ID, deadline); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.db.Round(ctx, f.a.ID, f.round.ID); !r.Deadline.Equal(deadline) {
		t.Errorf("Deadline = %v, want %v", r.Deadline, deadline)
	}
	if r, _ := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); !r.Deadline.IsZero() {
		t.Errorf("a closed round keeps its countdown %v", r.Deadline)
	}
}

func testBattlesLimit(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	for i := 1; i <= assessment.MaxBattles; i++ {
		b, _ := f.q.NewBattle(i, "Initiative", "Owner", "2026-12-31", "")
		if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); err != nil {
			t.Fatalf("battle %d: %v", i, err)
		}
	}
	b, _ := f.q.NewBattle(6, "One too many", "", "", "")
	if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("sixth battle = %v, want conflict", err)
	}
	bs, err := f.db.Battles(ctx, f.a.ID, f.round.ID)
	if err != nil || len(bs) != 5 || bs[0].Competency != 1 || bs[0].Due != "2026-12-31" {
		t.Fatalf("Battles = %+v, %v", bs, err)
	}
	bs[0].Status = assessment.BattleDone
	if err := f.db.UpdateBattle(ctx, f.a.ID, &bs[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeleteBattle(ctx, f.a.ID, f.round.ID, bs[1].ID); err != nil {
		t.Fatal(err)
	}
	bs, _ = f.db.Battles(ctx, f.a.ID, f.round.ID)
	if len(bs) != 4 || bs[0].Status != assessment.BattleDone {
		t.Errorf("after update and delete = %+v", bs)
	}
}

// testUpdateBattleIf changes a battle on a condition: the check sees the battle as stored
// (another writer's change included), and its error leaves the battle as it was.
func testUpdateBattleIf(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	b, _ := f.q.NewBattle(4, "Onboarding", "Ann", "", "")
	if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); err != nil {
		t.Fatal(err)
	}
	b.RoundID = f.round.ID
	other := b
	other.Owner = "Bob"
	if err := f.db.UpdateBattle(ctx, f.a.ID, &other); err != nil {
		t.Fatal(err)
	}
	refused := assessment.NewError(assessment.ESTALE, assessment.MsgStale, nil)
	var seen string
	mine := b
	mine.Owner = "Cid"
	err := f.db.UpdateBattleIf(ctx, f.a.ID, &mine, func(cur *assessment.Battle) error {
		seen = cur.Owner
		return refused
	})
	if assessment.ErrorCode(err) != assessment.ESTALE || seen != "Bob" {
		t.Errorf("UpdateBattleIf(refused) = %v, check saw owner %q; want the check's error, Bob", err, seen)
	}
	if got, _ := f.db.Battle(ctx, f.a.ID, b.ID); got.Owner != "Bob" {
		t.Errorf("owner after a refused update = %q, want Bob", got.Owner)
	}
	if err := f.db.UpdateBattleIf(ctx, f.a.ID, &mine, func(*assessment.Battle) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.db.Battle(ctx, f.a.ID, b.ID); got.Owner != "Cid" {
		t.Errorf("owner after an accepted update = %q, want Cid", got.Owner)
	}
}
