package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestMain makes the tests hermetic (no LOYALTY_* setting of the developer's shell reaches
// run; only the tests' own LOYALTY_TEST_* and LOYALTY_SCREENSHOT_DIR stay) and stops the
// shared browser, if a browser test started one.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "LOYALTY_") && !strings.HasPrefix(k, "LOYALTY_TEST_") && k != "LOYALTY_SCREENSHOT_DIR" {
			os.Unsetenv(k)
		}
	}
	code := m.Run()
	browsertest.Stop()
	os.Exit(code)
}

// app is the real program, started through run() as `loyalty serve` on a free port.
type app struct {
	URL  string // http://127.0.0.1:PORT
	Addr string // 127.0.0.1:PORT
	Logs *logBuffer

	cancel   context.CancelFunc
	done     chan error
	stopOnce sync.Once
	stopErr  error
}

// startApp runs `loyalty serve -addr 127.0.0.1:0 -log json -shutdown-grace 0 ARGS...` in a goroutine, waits
// until it logs its address and /readyz answers 200, and stops it when the test ends,
// failing the test if the graceful shutdown returns an error.
func startApp(t *testing.T, args ...string) *app {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a := &app{Logs: newLogBuffer(), cancel: cancel, done: make(chan error, 1)}
	full := append([]string{"serve", "-addr", "127.0.0.1:0", "-log", "json", "-shutdown-grace", "0"}, args...)
	var stderr bytes.Buffer
	go func() { a.done <- run(ctx, full, strings.NewReader(""), a.Logs, &stderr) }()
	t.Cleanup(func() {
		if err := a.stop(); err != nil {
			t.Errorf("run(serve) after cancel = %v, want nil (graceful shutdown)\nlogs:\n%s", err, a.Logs)
		}
	})

	select {
	case a.Addr = <-a.Logs.addr:
	case err := <-a.done:
		cancel()
		a.stopOnce.Do(func() { a.stopErr = err })
		t.Fatalf("run(%q) returned before listening: %v\nstderr: %s", full, err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("run(%q) did not log a listening address within 30s\nlogs:\n%s", full, a.Logs)
	}
	a.URL = "http://" + a.Addr

	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(a.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /readyz never answered 200 (last: %v, %v)", resp, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return a
}

// stop cancels run's context and returns what run returned.
func (a *app) stop() error {
	a.stopOnce.Do(func() {
		a.cancel()
		select {
		case a.stopErr = <-a.done:
		case <-time.After(30 * time.Second):
			a.stopErr = fmt.Errorf("run did not return within 30s of cancel")
		}
	})
	return a.stopErr
}

// logBuffer is run's stdout: it keeps the JSON log and reports the address of the
// "listening" line.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial []byte
	addr    chan string
	sent    bool
}

func newLogBuffer() *logBuffer { return &logBuffer{addr: make(chan string, 1)} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		line := l.partial[:i]
		l.partial = l.partial[i+1:]
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if !l.sent && json.Unmarshal(line, &rec) == nil && rec.Msg == "listening" && rec.Addr != "" {
			l.sent = true
			l.addr <- rec.Addr
		}
	}
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Messages returns the msg field of every complete log line, in order.
func (l *logBuffer) Messages() []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	for sc.Scan() {
		var rec struct {
			Msg string `json:"msg"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil {
			out = append(out, rec.Msg)
		}
	}
	return out
}

// dbPath names a database file in a fresh temporary directory.
func dbPath(t *testing.T) string {
	t.Helper()
	return sqltest.Name(t)
}

// competencies is the number of statements in the shipped questions.yaml.
const competencies = 21

// handAnswers are the answers whose result the tests work out by hand: AS-IS 2 and TO-BE 4
// everywhere except competency 13, which is 1 → 5.
//
//	AS-IS mean = (20·2 + 1)/21 = 41/21 = 1.952…, index = (1.952 − 1)/4 · 100 = 23.8 → "24"
//	TO-BE mean = (20·4 + 5)/21 = 85/21 = 4.048…, index = (4.048 − 1)/4 · 100 = 76.2 → "76"
//	gap index = 76.19 − 23.81 = 52.4 → "+52"
//	competency 13 has the only gap of 4 (all others 2): it is priority 1, first in the gap table.
func handAnswers(n int) (asIs, toBe int) {
	if n == 13 {
		return 1, 5
	}
	return 2, 4
}

// formAnswers is handAnswers as the test form posts them.
func formAnswers(company string) url.Values {
	v := url.Values{}
	for n := 1; n <= competencies; n++ {
		asIs, toBe := handAnswers(n)
		v.Set(fmt.Sprintf("c%d_as_is", n), strconv.Itoa(asIs))
		v.Set(fmt.Sprintf("c%d_to_be", n), strconv.Itoa(toBe))
	}
	v.Set("lang", "en")
	v.Set("company", company)
	return v
}
