package web

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// TestWSLoadLivePush is the bounded load run of the live streams behind docs/performance.md:
// a hall of phones (500 by default, LOYALTY_LOAD_PHONES) on one instance, or split between
// two on one PostgreSQL database (LOYALTY_LOAD_INSTANCES=2 with LOYALTY_TEST_ENGINE=postgres),
// over loopback, with the projector's and the dashboard's streams open.
//
//   - Every phone joins, opens its stream, and the process's memory and file descriptors are
//     read with all of them held; then they idle for LOYALTY_LOAD_IDLE seconds (10) and the
//     process's CPU time over that stretch is read.
//   - The phones send their answers, each at a random moment of LOYALTY_LOAD_SECONDS (60);
//     for the k-th answer to be stored, the delay from its sending until the projector's
//     (and the dashboard's) stream first shows k finished.
//   - The consultant reveals; the delay until each phone's stream says so.
//   - Then LOYALTY_LOAD_HELD (2,000) streams more are opened and held at once.
//
// Server and clients share the process: memory, descriptors and CPU include the clients'
// side, so they are upper bounds of the server's. It runs only with LOYALTY_LOAD=1, stops by
// itself, reports figures and asserts only that nothing failed.
func TestWSLoadLivePush(t *testing.T) {
	if os.Getenv("LOYALTY_LOAD") != "1" {
		t.Skip("set LOYALTY_LOAD=1 to run the live push load run")
	}
	num := func(name string, def int) int {
		if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
			return n
		}
		return def
	}
	phones, held, idle := num("LOYALTY_LOAD_PHONES", 500), num("LOYALTY_LOAD_HELD", 2000), num("LOYALTY_LOAD_IDLE", 10)
	window := time.Duration(num("LOYALTY_LOAD_SECONDS", 60)) * time.Second
	unlimited := func(c *Config) { c.StreamLimits = StreamLimits{PerAddress: -1, PerRound: -1} }
	e := newWSEnv(t, unlimited)
	instances := []*env{e}
	if os.Getenv("LOYALTY_LOAD_INSTANCES") == "2" {
		instances = append(instances, e.instance())
	}
	t.Logf("%d phones, %d instance(s) on %s, GOMAXPROCS %d", phones, len(instances),
		map[bool]string{true: "PostgreSQL", false: "SQLite"}[sqlstore.IsPostgres(e.path)], runtime.GOMAXPROCS(0))
	w := e.world("Load A/S") // Sam has finished
	ann := e.login("ann@alpha.example")
	join := "/j/" + w.round.Code

	// The projector (lobby: the finished count) and the dashboard, on the first instance.
	proj := ann.openStream(t, fmt.Sprintf("/w/rounds/%d/present/lobby/events", w.round.ID))
	proj.next("projector: retry")
	proj.next("projector: current state")
	dash := ann.openStream(t, fmt.Sprintf("/w/rounds/%d/events", w.round.ID))
	dash.next("dashboard: retry")
	dash.next("dashboard: current state")
	finishedRe := regexp.MustCompile(`data-testid=\\"lobby-finished\\"\\u003e(\d+)`)
	dashRe := regexp.MustCompile(`class=\\"stat__value\\" data-testid=\\"participants\\"\\u003e(\d+)`)
	type seen struct {
		at time.Time
		n  int
	}
	watch := func(s *sseStream, re *regexp.Regexp, out *[]seen, mu *sync.Mutex, done chan struct{}) {
		go func() {
			for b := range s.blocks {
				if m := re.FindStringSubmatch(b.data); m != nil {
					n, _ := strconv.Atoi(m[1])
					mu.Lock()
					*out = append(*out, seen{time.Now(), n})
					mu.Unlock()
				}
				select {
				case <-done:
					return
				default:
				}
			}
		}()
	}

	// The screens' streams are read from now on (a client that stops reading is dropped).
	var mu sync.Mutex
	var projSeen, dashSeen []seen
	done := make(chan struct{})
	watch(proj, finishedRe, &projSeen, &mu, done)
	watch(dash, dashRe, &dashSeen, &mu, done)

	// The phones join and open their streams.
	var memBefore, memAfter runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&memBefore)
	fdsBefore := openFDs()
	type phone struct {
		b *browser
		s *sseStream
	}
	ps := make([]phone, phones)
	for i := range ps {
		b := e.browser().on(instances[i%len(instances)])
		if res := b.post(join+"/start", url.Values{"name": {fmt.Sprintf("Phone %d", i+1)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("phone %d: start = %d", i+1, res.StatusCode)
		}
		s := b.openStream(t, join+"/events")
		if s.res.StatusCode != http.StatusOK {
			t.Fatalf("phone %d: stream = %d", i+1, s.res.StatusCode)
		}
		s.next("phone retry")
		s.next("phone state")
		ps[i] = phone{b, s}
	}
	runtime.GC()
	runtime.ReadMemStats(&memAfter)
	perStream := (float64(memAfter.HeapInuse+memAfter.StackInuse) - float64(memBefore.HeapInuse+memBefore.StackInuse)) / float64(phones)
	t.Logf("memory per held stream (heap+stacks, clients' side included): %.1f KiB; descriptors: %d → %d", perStream/1024, fdsBefore, openFDs())

	// Idle: the streams held, nothing happens.
	cpu0, wall0 := cpuTime(), time.Now()
	time.Sleep(time.Duration(idle) * time.Second)
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	t.Logf("idle with %d streams: CPU %.2f%% of one core over %s (clients' side included)", phones, 100*cpu.Seconds()/wall.Seconds(), wall.Round(time.Millisecond))

	// Submissions, profiled when LOYALTY_LOAD_PROFILE names a directory: the CPU, and where
	// goroutines wait (block) and contend (mutex), over the answering window only.
	stopProfile := profile(t, os.Getenv("LOYALTY_LOAD_PROFILE"))
	var stored []time.Time // when the k-th answer was stored (its POST answered)
	var sent []time.Time
	// Each phone sends at a random moment of the window, as a hall answering together does.
	var wg sync.WaitGroup
	rng := rand.New(rand.NewPCG(22, 1))
	for i := range ps {
		at := time.Duration(rng.Int64N(int64(window)))
		wg.Go(func() {
			time.Sleep(at)
			p := ps[i]
			start := time.Now()
			res := p.b.post(join, uniform(3, 4).with(1+i%21, 1+i%5, 5).form())
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("phone %d: answer = %d", i+1, res.StatusCode)
			}
			mu.Lock()
			sent = append(sent, start)
			stored = append(stored, time.Now())
			mu.Unlock()
		})
	}
	wg.Wait()
	stopProfile()
	// stored in order: the k-th answer stored is the one whose POST was answered k-th.
	order := make([]int, len(stored))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return stored[a].Compare(stored[b]) })
	sortedSent := make([]time.Time, len(order))
	for k, i := range order {
		sortedSent[k] = sent[i]
	}
	sent = sortedSent
	// Wait until both screens show everyone (a bound on failure, not a measurement).
	want := phones + 1
	deadline := time.Now().Add(2 * time.Minute)
	for {
		mu.Lock()
		ok := len(projSeen) > 0 && projSeen[len(projSeen)-1].n >= want && len(dashSeen) > 0 && dashSeen[len(dashSeen)-1].n >= want
		mu.Unlock()
		if ok {
			break
		}
		if time.Now().After(deadline) {
			mu.Lock()
			last := func(s []seen) int {
				if len(s) == 0 {
					return -1
				}
				return s[len(s)-1].n
			}
			t.Fatalf("the screens did not show %d finished within 2 minutes: projector %d (%d events), dashboard %d (%d events)",
				want, last(projSeen), len(projSeen), last(dashSeen), len(dashSeen))
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(done)
	mu.Lock()
	// The k-th stored answer (k counts Sam too) against the first event showing k finished.
	delays := func(seen []seen) []time.Duration {
		var out []time.Duration
		for k := range stored {
			n := k + 2
			for _, s := range seen {
				if s.n >= n {
					out = append(out, max(0, s.at.Sub(sent[k])))
					break
				}
			}
		}
		return out
	}
	pd, dd := delays(projSeen), delays(dashSeen)
	mu.Unlock()
	t.Logf("submission → projector event: %s (%d events)", quantiles(pd), len(projSeen))
	t.Logf("submission → dashboard event: %s (%d events)", quantiles(dd), len(dashSeen))

	// The reveal reaches every phone.
	var reveal []time.Duration
	var rmu sync.Mutex
	var rwg sync.WaitGroup
	start := time.Now()
	for _, p := range ps {
		rwg.Go(func() {
			for {
				b, ok := <-p.s.blocks
				if !ok {
					t.Error("a phone's stream ended before the reveal")
					return
				}
				if b.event == "state" && regexp.MustCompile(`"revealed":true`).MatchString(b.data) {
					rmu.Lock()
					reveal = append(reveal, time.Since(start))
					rmu.Unlock()
					return
				}
			}
		})
	}
	if res := ann.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", w.round.ID), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal = %d", res.StatusCode)
	}
	rwg.Wait()
	t.Logf("reveal → all %d phones: %s", len(reveal), quantiles(reveal))

	// Held streams: that many more at once.
	fds := openFDs()
	var extra []*sseStream
	for i := range held {
		s := e.browser().on(instances[i%len(instances)]).openStream(t, join+"/events")
		if s.res.StatusCode != http.StatusOK {
			t.Fatalf("held stream %d = %d (descriptors open: %d)", i+1, s.res.StatusCode, openFDs())
		}
		s.next("held retry")
		extra = append(extra, s)
	}
	var lim syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	t.Logf("%d more streams held: descriptors %d → %d (limit: soft %d, hard %d); server holds %d streams", held, fds, openFDs(), lim.Cur, lim.Max, sumStreams(instances))
	for _, s := range extra {
		s.close()
	}
}

// profile starts the CPU profile and the block and mutex profiles into dir (nothing when dir
// is empty); the function it returns stops them and writes cpu.pprof, block.pprof and
// mutex.pprof. Read them with `go tool pprof -top FILE`.
func profile(t *testing.T, dir string) func() {
	if dir == "" {
		return func() {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		t.Fatal(err)
	}
	runtime.SetBlockProfileRate(int(100 * time.Microsecond))
	runtime.SetMutexProfileFraction(10)
	return func() {
		pprof.StopCPUProfile()
		_ = cpu.Close()
		for _, name := range []string{"block", "mutex"} {
			f, err := os.Create(filepath.Join(dir, name+".pprof"))
			if err != nil {
				t.Fatal(err)
			}
			if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
				t.Fatal(err)
			}
			_ = f.Close()
		}
		runtime.SetBlockProfileRate(0)
		runtime.SetMutexProfileFraction(0)
		t.Logf("profiles of the answering window in %s", dir)
	}
}

func sumStreams(es []*env) int {
	n := 0
	for _, e := range es {
		n += e.srv.Streams()
	}
	return n
}

// quantiles formats the median, p95, p99 and maximum of ds.
func quantiles(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no samples"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return fmt.Sprintf("n %d, median %s, p95 %s, p99 %s, max %s", len(s),
		q(0.5).Round(100*time.Microsecond), q(0.95).Round(100*time.Microsecond), q(0.99).Round(100*time.Microsecond), s[len(s)-1].Round(100*time.Microsecond))
}

// openFDs counts the process's open file descriptors (Linux).
func openFDs() int {
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(es)
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
