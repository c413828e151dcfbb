package web

import (
	"context"
	"net/http/httptest"
	"regexp"

	"github.com/loyalty-cx/loyalty/assessment"
)

// wsWorld is workspace A's objects: a client with a round that has a participant and a
// Must Win Battle.
type wsWorld struct {
	client *assessment.Client
	round  *assessment.Round
	battle *assessment.Battle
	// sam is the round's one participant, finished.
	sam *assessment.Participant
	// member is Carl, workspace A's consultant.
	member *assessment.User
}

func (e *env) world(name string) wsWorld {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.q.NewClient(assessment.Company{Name: name, Industry: "retail", Country: "DK"}, true)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.CreateClient(ctx, e.a.ID, &c); err != nil {
		e.t.Fatal(err)
	}
	r, _ := e.q.NewRound("Kick-off "+name, "en")
	if err := e.db.CreateRound(ctx, e.a.ID, c.ID, &r); err != nil {
		e.t.Fatal(err)
	}
	p, _ := e.q.NewParticipant("Secret Sam", "CFO", uniform(2, 4).with(1, 1, 5).domain())
	if err := e.db.SaveParticipant(ctx, r.Code, "tok-"+name, false, &p); err != nil {
		e.t.Fatal(err)
	}
	b, _ := e.q.NewBattle(13, "Battle of "+name, "Owner", "", "")
	if err := e.db.AddBattle(ctx, e.a.ID, r.ID, &b); err != nil {
		e.t.Fatal(err)
	}
	carl, _, err := e.db.UserByEmail(ctx, "carl@alpha.example")
	if err != nil {
		e.t.Fatal(err)
	}
	return wsWorld{client: &c, round: &r, battle: &b, sam: &p, member: carl}
}

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// twins gives w's round two more finished participants who answered as Secret Sam did: the
// room's means stay Sam's, and with three finished the round has a result at all (no figure
// is computed from fewer than min_participants_for_detail).
func (e *env) twins(w wsWorld) {
	e.t.Helper()
	for _, name := range []string{"Twin One", "Twin Two"} {
		p, _ := e.q.NewParticipant(name, "", uniform(2, 4).with(1, 1, 5).domain())
		if err := e.db.SaveParticipant(context.Background(), w.round.Code, "tok-"+name+w.round.Code, false, &p); err != nil {
			e.t.Fatal(err)
		}
	}
}
