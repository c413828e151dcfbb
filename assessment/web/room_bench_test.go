package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// BenchmarkRoomFragments measures what one tap costs the room in a 50-person workshop: the
// tap (a saved draft) and then a fresh render of the projector's presentation step, of the
// consultant's dashboard with the result on screen, and of a phone's state, each fetched
// without ETag (the cached fragment is stale after every tap). Over real loopback HTTP with
// a real SQLite file.
func BenchmarkRoomFragments(b *testing.B) {
	e := newWSEnv(b)
	w := e.world("Bench A/S")
	ctx := context.Background()
	for i := range 49 {
		p, _ := e.q.NewParticipant(fmt.Sprintf("P%d", i), "", uniform(1+i%5, 1+(i*3)%5).domain())
		if err := e.db.SaveParticipant(ctx, w.round.Code, fmt.Sprintf("bench-%d", i), false, &p); err != nil {
			b.Fatal(err)
		}
	}
	ann := e.login("ann@alpha.example")
	if res := ann.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", w.round.ID), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		b.Fatalf("reveal = %d", res.StatusCode)
	}
	phone := e.browser()
	join := "/j/" + w.round.Code
	if res := phone.post(join+"/start", url.Values{"name": {"Tapper"}}); res.StatusCode != http.StatusSeeOther {
		b.Fatalf("start = %d", res.StatusCode)
	}
	v := 0
	tap := func() {
		v = v%5 + 1
		if res := phone.post(join+"/draft", url.Values{"competency": {"1"}, "field": {"as_is"}, "value": {fmt.Sprint(v)}}); res.StatusCode != http.StatusNoContent {
			b.Fatalf("draft = %d", res.StatusCode)
		}
	}
	for _, f := range []struct{ name, path string }{
		{"tap", ""},
		{"tap+presentation", fmt.Sprintf("/w/rounds/%d/present/today/live", w.round.ID)},
		{"tap+dashboard", fmt.Sprintf("/w/rounds/%d/live?show=1", w.round.ID)},
		{"tap+phone-state", join + "/state"},
	} {
		b.Run(f.name, func(b *testing.B) {
			c := ann
			if f.path == join+"/state" {
				c = phone
			}
			for b.Loop() {
				tap()
				if f.path == "" {
					continue
				}
				if res := c.get(f.path); res.StatusCode != http.StatusOK {
					b.Fatalf("GET %s = %d", f.path, res.StatusCode)
				}
			}
		})
	}
}
