package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"

	"github.com/loyalty-cx/loyalty/assessment"
)

// wsScores is a participant's answers: AS-IS and TO-BE per competency 1-21.
type wsScores [21][2]int

func wsUniform(asIs, toBe int) wsScores {
	var s wsScores
	for i := range s {
		s[i] = [2]int{asIs, toBe}
	}
	return s
}

func (s wsScores) with(n, asIs, toBe int) wsScores {
	s[n-1] = [2]int{asIs, toBe}
	return s
}

func (s wsScores) form() url.Values {
	v := url.Values{}
	for i, x := range s {
		v.Set(fmt.Sprintf("c%d_as_is", i+1), fmt.Sprint(x[0]))
		v.Set(fmt.Sprintf("c%d_to_be", i+1), fmt.Sprint(x[1]))
	}
	return v
}

func (s wsScores) json() string {
	var parts []string
	for i, x := range s {
		parts = append(parts, fmt.Sprintf(`{"competency":%d,"as_is":%d,"to_be":%d}`, i+1, x[0], x[1]))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

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
	p, _ := e.q.NewParticipant("Secret Sam", "CFO", wsUniform(2, 4).with(1, 1, 5).answers())
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

func (s wsScores) answers() []assessment.Answer {
	out := make([]assessment.Answer, len(s))
	for i, x := range s {
		out[i] = assessment.Answer{Competency: i + 1, AsIs: float64(x[0]), ToBe: float64(x[1])}
	}
	return out
}

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// twins gives w's round two more finished participants who answered as Secret Sam did: the
// room's means stay Sam's, and with three finished the round has a result at all (no figure
// is computed from fewer than min_participants_for_detail).
func (e *env) twins(w wsWorld) {
	e.t.Helper()
	for _, name := range []string{"Twin One", "Twin Two"} {
		p, _ := e.q.NewParticipant(name, "", wsUniform(2, 4).with(1, 1, 5).answers())
		if err := e.db.SaveParticipant(context.Background(), w.round.Code, "tok-"+name+w.round.Code, false, &p); err != nil {
			e.t.Fatal(err)
		}
	}
}
