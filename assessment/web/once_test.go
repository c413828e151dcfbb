package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// onceOf returns the one-time id of the first form on a page.
func onceOf(t *testing.T, res *response) string {
	t.Helper()
	id := doc(t, res.Body).Find(`form input[type="hidden"][name="once"]`).AttrOr("value", "")
	if len(id) < assessment.MinOnceKey {
		t.Fatalf("the form carries no one-time id (%q)", id)
	}
	return id
}

// tapped is what one of several requests sent at once got.
type tapped struct {
	status   int
	location string
	err      error
}

// sendAtOnce sends n copies of a request at the same moment, as impatient taps on a slow
// network do, and returns what each got. build makes each request (a body is read once).
func sendAtOnce(e *env, n int, build func() *http.Request) []tapped {
	out := make([]tapped, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		req := build()
		wg.Go(func() {
			<-start
			res, err := e.client.Do(req)
			if err != nil {
				out[i].err = err
				return
			}
			res.Body.Close()
			out[i] = tapped{status: res.StatusCode, location: res.Header.Get("Location")}
		})
	}
	close(start)
	wg.Wait()
	return out
}

// jsonOf encodes v for a request body.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTestFormTripleTap replays issue 16's slow network: three taps on "See my result" send
// the same form three times at once. One result is stored and all three lead to it.
func TestTestFormTripleTap(t *testing.T) {
	e := newEnv(t)
	page := e.get("/test")
	if got := page.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("GET /test Cache-Control = %q, want no-store (the form's one-time id must not be shared by a cache)", got)
	}
	form := uniform(2, 4).form()
	form.Set("company", "Tap Tap A/S")
	form.Set("once", onceOf(t, page))
	got := sendAtOnce(e, 3, func() *http.Request {
		return e.request(http.MethodPost, "/test", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	})
	for i, g := range got {
		if g.err != nil || g.status != http.StatusSeeOther || !strings.HasPrefix(g.location, "/r/") || g.location != got[0].location {
			t.Errorf("tap %d = %d %q (%v), want 303 to the one result %q", i+1, g.status, g.location, g.err, got[0].location)
		}
	}
	e.assertStored(1)
	if n := e.countRows("SELECT count(*) FROM once_keys"); n != 1 {
		t.Errorf("once_keys = %d rows, want 1", n)
	}
	// The key is stored hashed: the id itself is nowhere in the table.
	if n := e.countRows("SELECT count(*) FROM once_keys WHERE key_hash = '" + form.Get("once") + "'"); n != 0 {
		t.Errorf("the one-time id is stored in clear")
	}
}

// TestTestFormBackAndResend: after sending, Back shows the form again; the page now says the
// test was sent, with the link to the result, and the form sent again (the page restored with
// its old id) leads to the same result. Answers changed and sent under the old id are not
// stored (409, the same notice). A fresh form is a new test.
func TestTestFormBackAndResend(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	first := b.get("/test?lang=en")
	if d := doc(t, first.Body); d.Find(`[data-testid="sent-notice"]`).Length() != 0 {
		t.Fatalf("a first visit says the test was sent")
	}
	form := uniform(2, 4).form()
	form.Set("company", "Back Button ApS")
	form.Set("once", onceOf(t, first))
	sent := b.post("/test?lang=en", form)
	if sent.StatusCode != http.StatusSeeOther || !strings.HasPrefix(sent.Redirect, "/r/") {
		t.Fatalf("POST /test = %d %q, want 303 to a result", sent.StatusCode, sent.Redirect)
	}
	result := sent.Redirect

	// Back: the browser fetches the form again (it is no-store) and the page says it was sent.
	for _, c := range []struct{ lang, text, link string }{
		{"en", "You have already sent this test.", "See your result"},
		{"da", "Du har allerede sendt denne test.", "Se dit resultat"},
	} {
		back := b.get("/test?lang=" + c.lang)
		d := doc(t, back.Body)
		notice := d.Find(`[data-testid="sent-notice"]`)
		if back.StatusCode != http.StatusOK || !strings.Contains(squash(notice.Text()), c.text) {
			t.Errorf("Back to /test?lang=%s = %d, notice %q, want %q", c.lang, back.StatusCode, squash(notice.Text()), c.text)
		}
		if link := notice.Find(`a[data-testid="sent-result"]`); link.AttrOr("href", "") != result || squash(link.Text()) != c.link {
			t.Errorf("the notice links to %q (%q), want %q", link.AttrOr("href", ""), squash(link.Text()), result)
		}
		if back.Header.Get("X-Robots-Tag") != "noindex" || back.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with the result's link may be indexed or stored")
		}
	}
	// The same form again (Back to a page the browser kept, and Send): the same result.
	if again := b.post("/test?lang=en", form); again.StatusCode != http.StatusSeeOther || again.Redirect != result {
		t.Errorf("the same form again = %d %q, want 303 to %q", again.StatusCode, again.Redirect, result)
	}
	e.assertStored(1)
	// Changed after Back and sent under the old id: nothing stored, the notice says why.
	changed := uniform(2, 4).with(7, 5, 5).form()
	changed.Set("company", "Back Button ApS")
	changed.Set("once", form.Get("once"))
	res := b.post("/test?lang=en", changed)
	d := doc(t, res.Body)
	if res.StatusCode != http.StatusConflict || d.Find(`[data-testid="sent-changed"]`).Length() != 1 ||
		d.Find(`a[data-testid="sent-result"]`).AttrOr("href", "") != result {
		t.Errorf("changed answers under a used id = %d, want 409 with the notice and the link", res.StatusCode)
	}
	e.assertStored(1)
	// A new form is a new test, even from the same browser.
	fresh := uniform(3, 4).form()
	fresh.Set("once", onceOf(t, res))
	if res := b.post("/test", fresh); res.StatusCode != http.StatusSeeOther || res.Redirect == result {
		t.Errorf("a fresh form = %d %q, want 303 to a new result", res.StatusCode, res.Redirect)
	}
	e.assertStored(2)
	// Another browser never sees the notice.
	if d := doc(t, e.get("/test").Body); d.Find(`[data-testid="sent-notice"]`).Length() != 0 {
		t.Errorf("another browser is told a test was sent")
	}
}

// TestTestFormOnceExpiresAndErases: a one-time id is kept 24 hours, and leaves with the result
// it created when that is deleted.
func TestTestFormOnceExpiresAndErases(t *testing.T) {
	e := newEnv(t)
	form := uniform(2, 4).form()
	form.Set("once", onceOf(t, e.get("/test")))
	first := e.postForm("/test", form).Redirect
	e.advance(assessment.OnceTTL - time.Second)
	if res := e.postForm("/test", form); res.Redirect != first {
		t.Errorf("a repeat 24 h − 1 s later = %q, want the first result %q", res.Redirect, first)
	}
	e.advance(time.Second)
	second := e.postForm("/test", form).Redirect
	if second == first || !strings.HasPrefix(second, "/r/") {
		t.Errorf("a repeat 24 h later = %q, want a new result", second)
	}
	e.assertStored(2)
	if n := e.countRows("SELECT count(*) FROM once_keys"); n != 1 {
		t.Errorf("once_keys = %d rows, want 1 (the expired key is deleted when the next is stored)", n)
	}
	if res := e.postForm(second+"/delete", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete = %d", res.StatusCode)
	}
	if n := e.countRows("SELECT count(*) FROM once_keys"); n != 0 {
		t.Errorf("once_keys = %d rows after the result was deleted, want 0", n)
	}
}

// TestAPIIdempotencyKey: POST /api/v1/assessments with an Idempotency-Key. The same key and
// body get the first response again, byte for byte, with its status and Location, and store
// nothing; sent three times at once, one result. The same key with another body is 422 with a
// clear error; a key too short to be secret is 422; a form's one-time id is no API key.
func TestAPIIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	body := fmt.Sprintf(`{"lang":"en","company":{"name":"Retry Inc"},"answers":%s}`, jsonOf(t, uniform(2, 4).answers()))
	key := "3f0c8a7e-1b2d-4c5e-9f60-7a8b9c0d1e2f"
	first := e.postJSON("/api/v1/assessments", []byte(body), "Idempotency-Key", key)
	if first.StatusCode != http.StatusCreated || first.Header.Get("Location") == "" {
		t.Fatalf("first POST = %d %s", first.StatusCode, first.Text)
	}
	again := e.postJSON("/api/v1/assessments", []byte(body), "Idempotency-Key", key)
	if again.StatusCode != http.StatusCreated || again.Text != first.Text || again.Header.Get("Location") != first.Header.Get("Location") ||
		again.Header.Get("Content-Type") != first.Header.Get("Content-Type") || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("repeat = %d %q Location %q, want %d %q Location %q", again.StatusCode, again.Text, again.Header.Get("Location"),
			first.StatusCode, first.Text, first.Header.Get("Location"))
	}
	e.assertStored(1)

	other := fmt.Sprintf(`{"lang":"en","company":{"name":"Retry Inc"},"answers":%s}`, jsonOf(t, uniform(3, 4).answers()))
	res := e.postJSON("/api/v1/assessments", []byte(other), "Idempotency-Key", key)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, "this Idempotency-Key was already used with another request") ||
		strings.Contains(res.Text, strings.TrimPrefix(first.Header.Get("Location"), "/r/")) {
		t.Errorf("same key, other body = %d %s, want 422 with the error and without the first token", res.StatusCode, res.Text)
	}
	if res := e.postJSON("/api/v1/assessments", []byte(body), "Idempotency-Key", "short",
		uncheckedRequest, "a key too short on purpose"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Text, "Idempotency-Key: 16 to 200 visible ASCII characters") {
		t.Errorf("a 5-character key = %d %s, want 422", res.StatusCode, res.Text)
	}
	e.assertStored(1)

	// Three at once with a new key: one result, three identical answers.
	key2 := "b7e1c2d3-0000-4000-8000-000000000002"
	got := sendAtOnce(e, 3, func() *http.Request {
		return e.request(http.MethodPost, "/api/v1/assessments", strings.NewReader(other), "Content-Type", "application/json", "Idempotency-Key", key2)
	})
	for i, g := range got {
		if g.err != nil || g.status != http.StatusCreated || g.location != got[0].location || g.location == first.Header.Get("Location") {
			t.Errorf("concurrent %d = %d %q (%v), want 201 and one new Location", i+1, g.status, g.location, g.err)
		}
	}
	e.assertStored(2)

	// Without a key every POST stores a test, as before.
	e.postJSON("/api/v1/assessments", []byte(body))
	e.assertStored(3)

	// A test form's one-time id is scoped to the form: as an API key it replays nothing.
	form := uniform(2, 4).form()
	form.Set("once", onceOf(t, e.get("/test")))
	formResult := e.postForm("/test", form).Redirect
	if res := e.postJSON("/api/v1/assessments", []byte(body), "Idempotency-Key", form.Get("once")); res.StatusCode != http.StatusCreated ||
		res.Header.Get("Location") == formResult {
		t.Errorf("a form's id as an API key = %d Location %q, want a new test, not the form's result", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestParticipantFormOnce: a participant's answers sent three times at once with the form's
// one-time id count once and all lead to the saved page; Back to the form says they were sent.
func TestParticipantFormOnce(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme")
	code := w.round.Code
	p := e.browser()
	if res := p.post("/j/"+code+"/start", url.Values{"name": {"Kim"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d", res.StatusCode)
	}
	page := p.get("/j/" + code)
	form := uniform(3, 4).form()
	form.Set("once", onceOf(t, page))
	got := sendAtOnce(e, 3, func() *http.Request {
		req := e.request(http.MethodPost, "/j/"+code, strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		for _, ck := range p.http.Jar.Cookies(req.URL) {
			req.AddCookie(ck)
		}
		return req
	})
	want := "/j/" + code + "?saved=1"
	for i, g := range got {
		if g.err != nil || g.status != http.StatusSeeOther || g.location != want {
			t.Errorf("tap %d = %d %q (%v), want 303 to %s", i+1, g.status, g.location, g.err, want)
		}
	}
	if n := e.countRows(fmt.Sprintf("SELECT count(*) FROM participants WHERE round_id = %d AND finished_at <> ''", w.round.ID)); n != 2 {
		t.Errorf("finished participants = %d, want 2 (the fixture's and Kim, once)", n)
	}
	// Back: the page says the answers are in; the form to change them says they were sent
	// and that sending again replaces them.
	back := p.get("/j/" + code + "?lang=da")
	if s := squash(doc(t, back.Body).Find(`[data-testid="done-title"]`).Text()); s != "Tak – dine svar er modtaget" {
		t.Errorf("Back to the round says %q, want that the answers are in", s)
	}
	back = p.get("/j/" + code + "?edit=1&lang=da")
	if s := squash(doc(t, back.Body).Find(`[data-testid="sent-notice"]`).Text()); !strings.Contains(s, "Du har sendt dine svar.") {
		t.Errorf("the form to change the answers says %q, want that the answers were sent", s)
	}
	// The same id again, with changed answers: nothing stored, back to the form.
	changed := uniform(5, 5).form()
	changed.Set("once", form.Get("once"))
	if res := p.post("/j/"+code, changed); res.StatusCode != http.StatusSeeOther || res.Redirect != "/j/"+code+"?edit=1" {
		t.Errorf("changed answers under a used id = %d %q, want 303 to the form", res.StatusCode, res.Redirect)
	}
	if n := e.countRows(fmt.Sprintf("SELECT count(*) FROM participant_answers a JOIN participants p ON p.id = a.participant_id WHERE p.round_id = %d AND a.as_is = 5", w.round.ID)); n != 0 {
		t.Errorf("%d answers of the changed form were stored", n)
	}
}
