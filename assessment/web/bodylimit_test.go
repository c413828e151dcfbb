package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// padReader is a form body of n bytes: prefix, then "&pad=" and x's, made as it is read so
// that a 100 MB body costs no memory.
type padReader struct {
	prefix string
	n, off int64
}

func newPadReader(form url.Values, n int64) *padReader {
	return &padReader{prefix: form.Encode() + "&pad=", n: n}
}

func (r *padReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	i := 0
	for ; i < len(p) && r.off < r.n; i++ {
		if r.off < int64(len(r.prefix)) {
			p[i] = r.prefix[r.off]
		} else {
			p[i] = 'x'
		}
		r.off++
	}
	return i, nil
}

// TestOversizedFormsAre413: every form answers 413 to a body over the limit, whether the
// body announces its length or comes chunked without one, and stores nothing. Handlers that
// read fields with FormValue used to ignore the read error: a chunked 10 MB sign-in was
// "this form has expired" (403) and a participant's answers "all missing" (422). Each form
// is sent with everything else right (its CSRF token, a real round), so only the size is
// wrong.
func TestOversizedFormsAre413(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme")
	ann := e.login("ann@alpha.example")
	visitor := e.browser()
	loginPage := visitor.get("/login")
	loginCSRF := csrfOf(t, loginPage.Text)

	forms := []struct {
		name   string
		client *browser
		path   string
		form   url.Values
	}{
		{"test", visitor, "/test", uniform(2, 4).form()},
		{"workspace client", ann, "/w/clients", url.Values{"_csrf": {ann.csrf}, "name": {"Big Corp"}}},
		{"sign-in", visitor, "/login", url.Values{"_csrf": {loginCSRF}, "email": {"ann@alpha.example"}, "password": {wsPassword}}},
		{"participant", visitor, "/j/" + w.round.Code, uniform(3, 4).form()},
	}
	count := func() map[string]int {
		return map[string]int{
			"assessments":  e.countRows("SELECT count(*) FROM assessments"),
			"clients":      e.countRows("SELECT count(*) FROM clients"),
			"sessions":     e.countRows("SELECT count(*) FROM sessions"),
			"participants": e.countRows("SELECT count(*) FROM participants"),
		}
	}
	before := count()
	for _, f := range forms {
		for _, size := range []int64{10 << 20, 100 << 20} {
			for _, chunked := range []bool{false, true} {
				name := fmt.Sprintf("%s/%dMB/length", f.name, size>>20)
				if chunked {
					name = fmt.Sprintf("%s/%dMB/chunked", f.name, size>>20)
				}
				t.Run(name, func(t *testing.T) {
					req := e.request(http.MethodPost, f.path+"?lang=en", newPadReader(f.form, size),
						"Content-Type", "application/x-www-form-urlencoded")
					if chunked {
						req.ContentLength = -1 // unknown: sent chunked
					} else {
						req.ContentLength = size
					}
					res := f.client.do(req)
					if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Text, "What was sent is too large: at most 64 KiB.") {
						t.Errorf("POST %s of %d MB = %d, want 413 saying it is too large", f.path, size>>20, res.StatusCode)
					}
				})
			}
		}
	}
	if after := count(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("rows %v → %v, want no change", before, after)
	}
}
