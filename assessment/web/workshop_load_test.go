package web

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestWSLoadDashboard is the bounded load run behind docs/performance.md: a 50-person
// workshop submits (and then changes) its answers within one minute, over loopback, while
// the projector's dashboard polls its live fragment every 2 seconds (with If-None-Match, as
// workshop.js does) and a second poller fetches the whole fragment without ETag every 100 ms,
// for enough samples for a p99 (it gets a fresh render after every change of answers).
// It runs only with LOYALTY_LOAD=1 and stops by itself after LOYALTY_LOAD_SECONDS (60).
// It reports latencies; it asserts only that nothing failed (tests never assert wall-clock
// times).
func TestWSLoadDashboard(t *testing.T) {
	if os.Getenv("LOYALTY_LOAD") != "1" {
		t.Skip("set LOYALTY_LOAD=1 to run the workshop load run")
	}
	window := 60 * time.Second
	if s, err := strconv.Atoi(os.Getenv("LOYALTY_LOAD_SECONDS")); err == nil && s > 0 && s <= 600 {
		window = time.Duration(s) * time.Second
	}
	const people = 50
	e := newWSEnv(t)
	w := e.world("Load A/S")
	ann := e.login("ann@alpha.example")
	live := fmt.Sprintf("/w/rounds/%d/live", w.round.ID)

	var mu sync.Mutex
	var projector, renders, writes []time.Duration
	failures := 0
	record := func(dst *[]time.Duration, d time.Duration, ok bool) {
		mu.Lock()
		defer mu.Unlock()
		*dst = append(*dst, d)
		if !ok {
			failures++
		}
	}
	deadline := time.Now().Add(window)
	var wg sync.WaitGroup

	// Participants: each submits at a random moment in the first 80% of the window and
	// changes one answer once, at a random moment after that.
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := e.browser()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			first := time.Duration(rng.Int64N(int64(window) * 8 / 10))
			second := first + time.Duration(rng.Int64N(int64(window)/5))
			time.Sleep(first)
			for k, at := range []time.Duration{first, second} {
				if k == 1 {
					time.Sleep(at - first)
				}
				s := wsUniform(1+rng.IntN(5), 1+rng.IntN(5)).with(1+rng.IntN(21), 1+rng.IntN(5), 1+rng.IntN(5))
				start := time.Now()
				res := p.post("/j/"+w.round.Code, s.form())
				record(&writes, time.Since(start), res.StatusCode == http.StatusSeeOther)
			}
		}()
	}
	// The projector: every 2 s with If-None-Match, as workshop.js does.
	poll := func(dst *[]time.Duration, every time.Duration, etag bool) {
		defer wg.Done()
		tag := ""
		for time.Now().Before(deadline) {
			start := time.Now()
			var res *response
			if etag && tag != "" {
				res = ann.get(live, "If-None-Match", tag)
			} else {
				res = ann.get(live)
			}
			record(dst, time.Since(start), res.StatusCode == http.StatusOK || res.StatusCode == http.StatusNotModified)
			if res.StatusCode == http.StatusOK {
				tag = res.Header.Get("ETag")
			}
			time.Sleep(every - time.Since(start))
		}
	}
	wg.Add(2)
	go poll(&projector, 2*time.Second, true)
	go poll(&renders, 100*time.Millisecond, false)
	wg.Wait()

	if failures > 0 {
		t.Errorf("%d requests failed", failures)
	}
	if n := e.countRows(fmt.Sprintf("SELECT count(*) FROM participants WHERE round_id = %d", w.round.ID)); n != people+1 {
		t.Errorf("participants = %d, want %d (50 plus the fixture's one)", n, people+1)
	}
	report := func(name string, d []time.Duration) {
		slices.Sort(d)
		q := func(p float64) time.Duration { return d[min(len(d)-1, int(float64(len(d))*p))] }
		t.Logf("%-38s n=%4d  p50=%8s  p95=%8s  p99=%8s  max=%8s", name, len(d), q(.50).Round(10*time.Microsecond),
			q(.95).Round(10*time.Microsecond), q(.99).Round(10*time.Microsecond), d[len(d)-1].Round(10*time.Microsecond))
	}
	report("dashboard every 2 s (If-None-Match)", projector)
	report("dashboard, no ETag, every 100 ms", renders)
	report("participant submissions", writes)
}
