package web

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// reportOrder lists the load run's series as docs/performance.md shows them.
var reportOrder = []string{
	"presentation every 2 s (If-None-Match)", "dashboard every 2 s (If-None-Match)",
	"presentation, no ETag, every 100 ms", "dashboard, no ETag, every 100 ms",
	"phone state every 2 s (If-None-Match)", "join (Start)", "answer tap (draft saved)",
	"submission", "phone: room's result",
}

// TestWSLoadWorkshop is the bounded load run behind docs/performance.md: a 50-person
// workshop in one room within one minute, over loopback, as the browsers really behave.
//
//   - Every participant joins (Start), taps their 42 answers one by one at random moments (each
//     tap a saved draft), submits, and later changes one answer; from joining on, their phone
//     polls the room's state every 2 s with If-None-Match, and after submitting it opens the
//     room's result once (the round is revealed from the start, the expensive case).
//   - The projector shows a presentation step (where the room disagrees about today) and polls
//     it every 2 s with If-None-Match; the consultant's laptop shows the dashboard with the
//     result on screen and polls it the same way.
//   - Two more pollers fetch the presentation step and the dashboard without ETag every 100 ms,
//     so that their p99 rests on hundreds of samples and each sees a fresh render after every
//     tap.
//
// With LOYALTY_LOAD_INSTANCES=2 a second instance serves the same database, and every
// client sends its requests to the two in turn, as a round-robin proxy would.
//
// It runs only with LOYALTY_LOAD=1 and stops by itself after LOYALTY_LOAD_SECONDS (60). It
// reports latencies; it asserts only that nothing failed and everything was stored (tests
// never assert wall-clock times).
func TestWSLoadWorkshop(t *testing.T) {
	if os.Getenv("LOYALTY_LOAD") != "1" {
		t.Skip("set LOYALTY_LOAD=1 to run the workshop load run")
	}
	window := 60 * time.Second
	if s, err := strconv.Atoi(os.Getenv("LOYALTY_LOAD_SECONDS")); err == nil && s > 0 && s <= 600 {
		window = time.Duration(s) * time.Second
	}
	const people = 50
	e := newWSEnv(t)
	instances := []*env{e}
	if os.Getenv("LOYALTY_LOAD_INSTANCES") == "2" {
		instances = append(instances, e.instance())
	}
	t.Logf("%d instance(s) on %s", len(instances), map[bool]string{true: "PostgreSQL", false: "SQLite"}[sqlstore.IsPostgres(e.path)])
	// roundRobin returns c's requests sent to the instances in turn.
	roundRobin := func(c *browser) func() *browser {
		var mu sync.Mutex
		n := 0
		return func() *browser {
			mu.Lock()
			defer mu.Unlock()
			n++
			return c.on(instances[n%len(instances)])
		}
	}
	w := e.world("Load A/S")
	ann := e.login("ann@alpha.example")
	if res := ann.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", w.round.ID), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal = %d", res.StatusCode)
	}
	present := fmt.Sprintf("/w/rounds/%d/present/today/live", w.round.ID)
	dashboard := fmt.Sprintf("/w/rounds/%d/live?show=1", w.round.ID)
	join := "/j/" + w.round.Code

	type series struct {
		name string
		d    []time.Duration
	}
	var (
		mu       sync.Mutex
		all      = map[string]*series{}
		order    []string
		failures = map[string]int{}
	)
	record := func(name string, start time.Time, ok bool) {
		d := time.Since(start)
		mu.Lock()
		defer mu.Unlock()
		s := all[name]
		if s == nil {
			s = &series{name: name}
			all[name] = s
			order = append(order, name)
		}
		s.d = append(s.d, d)
		if !ok {
			failures[name]++
		}
	}
	began := time.Now()
	deadline := began.Add(window)
	var wg sync.WaitGroup

	// poll fetches path every interval until the window ends, with If-None-Match when etag.
	poll := func(b *browser, name, path string, every time.Duration, etag bool) {
		c := roundRobin(b)
		tag := ""
		for time.Now().Before(deadline) {
			start := time.Now()
			var res *response
			if etag && tag != "" {
				res = c().get(path, "If-None-Match", tag)
			} else {
				res = c().get(path)
			}
			record(name, start, res.StatusCode == http.StatusOK || res.StatusCode == http.StatusNotModified)
			if res.StatusCode == http.StatusOK {
				tag = res.Header.Get("ETag")
			}
			time.Sleep(every - time.Since(start))
		}
	}
	sleepUntil := func(at time.Duration) { time.Sleep(time.Until(began.Add(at))) }

	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := roundRobin(e.browser())
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			// Join in the first 20 % of the window, answer until a moment in the first 80 %,
			// change one answer once before the end.
			joinAt := time.Duration(rng.Int64N(int64(window) / 5))
			submitAt := joinAt + time.Duration(rng.Int64N(int64(window)*8/10-int64(joinAt)))
			changeAt := submitAt + time.Duration(rng.Int64N(int64(window)-int64(submitAt)))
			sleepUntil(joinAt)
			start := time.Now()
			res := p().post(join+"/start", url.Values{"name": {fmt.Sprintf("Person %d", i)}})
			record("join (Start)", start, res.StatusCode == http.StatusSeeOther)

			stop := make(chan struct{})
			polled := make(chan struct{})
			go func() {
				defer close(polled)
				tag := ""
				for {
					start := time.Now()
					var res *response
					if tag != "" {
						res = p().get(join+"/state", "If-None-Match", tag)
					} else {
						res = p().get(join + "/state")
					}
					record("phone state every 2 s (If-None-Match)", start, res.StatusCode == http.StatusOK || res.StatusCode == http.StatusNotModified)
					if res.StatusCode == http.StatusOK {
						tag = res.Header.Get("ETag")
					}
					select {
					case <-stop:
						return
					case <-time.After(2*time.Second - time.Since(start)):
					}
				}
			}()

			s := uniform(1+rng.IntN(5), 1+rng.IntN(5))
			taps := make([]time.Duration, 42)
			for k := range taps {
				taps[k] = joinAt + time.Duration(rng.Int64N(int64(submitAt-joinAt)+1))
			}
			slices.Sort(taps)
			for k, at := range taps {
				sleepUntil(at)
				n, field, v := k/2+1, "as_is", s.asIs[k/2]
				if k%2 == 1 {
					field, v = "to_be", s.toBe[k/2]
				}
				start := time.Now()
				res := p().post(join+"/draft", url.Values{"competency": {strconv.Itoa(n)}, "field": {field}, "value": {strconv.Itoa(v)}})
				record("answer tap (draft saved)", start, res.StatusCode == http.StatusNoContent)
			}
			for k, at := range []time.Duration{submitAt, changeAt} {
				sleepUntil(at)
				if k == 1 {
					s = s.with(1+rng.IntN(21), 1+rng.IntN(5), 1+rng.IntN(5))
				}
				start := time.Now()
				res := p().post(join, s.form())
				record("submission", start, res.StatusCode == http.StatusSeeOther)
				start = time.Now()
				res = p().get(join + "/room")
				record("phone: room's result", start, res.StatusCode == http.StatusOK)
			}
			sleepUntil(window)
			close(stop)
			<-polled
		}()
	}
	laptop, projector := e.login("ann@alpha.example"), e.login("ann@alpha.example")
	for _, pl := range []struct {
		c     *browser
		name  string
		path  string
		every time.Duration
		etag  bool
	}{
		{projector, "presentation every 2 s (If-None-Match)", present, 2 * time.Second, true},
		{laptop, "dashboard every 2 s (If-None-Match)", dashboard, 2 * time.Second, true},
		{projector, "presentation, no ETag, every 100 ms", present, 100 * time.Millisecond, false},
		{ann, "dashboard, no ETag, every 100 ms", dashboard, 100 * time.Millisecond, false},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			poll(pl.c, pl.name, pl.path, pl.every, pl.etag)
		}()
	}
	wg.Wait()

	for name, n := range failures {
		t.Errorf("%s: %d requests failed", name, n)
	}
	if n := e.countRows(fmt.Sprintf("SELECT count(*) FROM participants WHERE round_id = %d AND finished_at <> ''", w.round.ID)); n != people+1 {
		t.Errorf("finished participants = %d, want %d (50 plus the fixture's one)", n, people+1)
	}
	slices.SortStableFunc(order, func(a, b string) int { return slices.Index(reportOrder, a) - slices.Index(reportOrder, b) })
	for _, name := range order {
		d := all[name].d
		slices.Sort(d)
		q := func(p float64) time.Duration { return d[min(len(d)-1, int(float64(len(d))*p))] }
		t.Logf("%-42s n=%5d  p50=%8s  p95=%8s  p99=%8s  max=%8s", name, len(d), q(.50).Round(10*time.Microsecond),
			q(.95).Round(10*time.Microsecond), q(.99).Round(10*time.Microsecond), d[len(d)-1].Round(10*time.Microsecond))
	}
}
