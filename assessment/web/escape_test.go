package web

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Hostile free text: a company name that closes a script element and opens one, and a role
// that is an image with an error handler.
const (
	evilCompany = `</script><script>alert(1)</script>`
	evilRole    = `<img src=x onerror=alert(1)>`
)

// assertNoInjection checks a page's raw HTML and its parsed tree for any trace of the hostile
// text as markup.
func assertNoInjection(t *testing.T, body []byte) *goquery.Document {
	t.Helper()
	html := string(body)
	for _, bad := range []string{"<script>alert(1)", "<img src=x", "<img src=\"x\""} {
		if strings.Contains(html, bad) {
			t.Errorf("page contains raw %q", bad)
		}
	}
	d := doc(t, body)
	if n := d.Find("img").Length(); n != 0 {
		t.Errorf("page has %d <img> elements, want 0 (the role must stay text)", n)
	}
	d.Find("script").Each(func(_ int, s *goquery.Selection) {
		_, src := s.Attr("src")
		if !src && s.AttrOr("type", "") != "application/json" {
			t.Errorf("page has an inline executable script: %q", s.Text())
		}
	})
	if d.Find("[onerror]").Length() != 0 {
		t.Errorf("page has an element with an onerror attribute")
	}
	return d
}

// assertEscapedResult checks a result page that shows evilCompany and evilRole.
func assertEscapedResult(t *testing.T, body []byte) {
	t.Helper()
	d := assertNoInjection(t, body)
	html := string(body)

	// Shown as text in the title and the heading.
	if got, want := d.Find("title").Text(), "Result for "+evilCompany+" · LOYALTY maturity test"; got != want {
		t.Errorf("<title> = %q, want %q", got, want)
	}
	if got, want := squash(d.Find(`[data-testid="result-title"]`).Text()), "Result for "+evilCompany; got != want {
		t.Errorf("heading = %q, want %q", got, want)
	}
	if !strings.Contains(html, "Result for &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the escaped company name is not in the HTML")
	}
	if !strings.Contains(squash(d.Find(".result-head").Text()), evilRole) {
		t.Errorf("the role is not shown as text in the page head")
	}
	if !strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("the escaped role is not in the HTML")
	}

	// Chart data: JSON script elements that cannot be closed early and parse back.
	charts := d.Find(`script[type="application/json"]`)
	if charts.Length() != 2 {
		t.Fatalf("%d JSON script elements, want 2 (category and competency radar)", charts.Length())
	}
	var names []string
	charts.Each(func(_ int, s *goquery.Selection) {
		text := s.Text()
		if strings.Contains(strings.ToLower(text), "</script") || strings.ContainsAny(text, "<>&") {
			t.Errorf("chart JSON %s holds a raw <, > or &: %.120s", s.AttrOr("id", ""), text)
		}
		var v any
		if err := json.Unmarshal([]byte(text), &v); err != nil {
			t.Errorf("chart JSON %s does not parse: %v", s.AttrOr("id", ""), err)
		}
		names = append(names, allStrings(v)...)
	})
	// "&" in a questionnaire name is escaped as \u0026 inside the element and comes back
	// intact, so the escaping is real JSON escaping and not HTML entities. (Axis names may be
	// wrapped onto several lines, hence the squash.)
	if !strings.Contains(charts.Text(), `\u0026`) {
		t.Errorf("chart JSON does not escape & as \\u0026")
	}
	found := false
	for _, s := range names {
		found = found || squash(s) == "16 Communicate & Celebrate"
	}
	if !found {
		t.Errorf("chart JSON does not contain the axis name %q after decoding", "16 Communicate & Celebrate")
	}
}

// allStrings returns every string in a decoded JSON value.
func allStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, allStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, allStrings(e)...)
		}
		return out
	}
	return nil
}

func TestEscapingThroughAPI(t *testing.T) {
	a := newEnv(t)
	res := a.postJSON("/api/v1/assessments", mustJSON(t, map[string]any{
		"lang":       "en",
		"respondent": map[string]any{"role": evilRole},
		"company":    map[string]any{"name": evilCompany},
		"answers":    flowScores().answers(),
	}))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST = %d: %s", res.StatusCode, res.Body)
	}
	var created struct{ Token string }
	if err := json.Unmarshal(res.Body, &created); err != nil {
		t.Fatal(err)
	}
	page := a.get("/r/" + created.Token)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET result = %d", page.StatusCode)
	}
	assertEscapedResult(t, page.Body)

	// The JSON gives the text back exactly, with < and > escaped so that a browser that
	// sniffed it as HTML would still find no markup.
	get := a.get("/api/v1/assessments/" + created.Token)
	if strings.ContainsAny(string(get.Body), "<>") {
		t.Errorf("API JSON holds a raw < or >")
	}
	var r apiResult
	if err := json.Unmarshal(get.Body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Company == nil || r.Company.Name != evilCompany || r.Respondent == nil || r.Respondent.Role != evilRole {
		t.Errorf("API company, respondent = %+v, %+v; want the exact text sent", r.Company, r.Respondent)
	}
}

func TestEscapingThroughForm(t *testing.T) {
	a := newEnv(t)
	path := a.submitForm(flowScores(), url.Values{"company": {evilCompany}, "role": {evilRole}})
	assertEscapedResult(t, a.get(path).Body)

	// Danish page: the same text in another sentence.
	d := assertNoInjection(t, a.get(path+"?lang=da").Body)
	if got, want := squash(d.Find(`[data-testid="result-title"]`).Text()), "Resultat for "+evilCompany; got != want {
		t.Errorf("Danish heading = %q, want %q", got, want)
	}
}

func TestEscapingInRerenderedForm(t *testing.T) {
	a := newEnv(t)
	form := flowScores().form()
	form.Del("c1_as_is")
	form.Set("company", evilCompany)
	form.Set("role", evilRole)
	res := a.postForm("/test", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("POST /test = %d, want 422", res.StatusCode)
	}
	a.assertStored(0)
	d := assertNoInjection(t, res.Body)
	if got := d.Find("#company").AttrOr("value", ""); got != evilCompany {
		t.Errorf("company input value = %q, want %q", got, evilCompany)
	}
	if got := d.Find("#role").AttrOr("value", ""); got != evilRole {
		t.Errorf("role input value = %q, want %q", got, evilRole)
	}
	if !strings.Contains(string(res.Body), `value="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`) {
		t.Errorf("the company input value is not HTML-escaped")
	}

	// Too long and hostile: the error is shown, the text still only as a value.
	long := strings.Repeat(evilCompany, 6) // 6 × 34 = 204 characters > 200
	form.Set("company", long)
	res = a.postForm("/test", form)
	d = assertNoInjection(t, res.Body)
	if got := d.Find("#company").AttrOr("value", ""); got != long {
		t.Errorf("long company input value = %q, want the 204 characters sent", got)
	}
	if got := squash(d.Find("#f-company .field-error").Text()); got != "Too long: at most 200 characters." {
		t.Errorf("company error = %q", got)
	}
	a.assertStored(0)
}

// TestEscapingRequestPath sends hostile paths as raw request lines (a client library would
// clean them) and checks the 404 page: no markup from the path, and no language-switch link
// that leaves the site.
func TestEscapingRequestPath(t *testing.T) {
	a := newEnv(t)
	tests := []struct {
		target   string
		wantLink string // the language switch's href to Danish
	}{
		{"/r/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/r/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E?lang=da"},
		{"/r/%3Fx", "/r/%3Fx?lang=da"},
		// A path that starts with two slashes would make the switch a link to another host.
		{"//evil.example/x", "/?lang=da"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example?lang=da"},
		{`/\evil.example`, "/%5Cevil.example?lang=da"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			conn, err := net.Dial("tcp", a.http.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, "GET "+tt.target+" HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", tt.target, res.StatusCode)
			}
			d := assertNoInjection(t, body)
			if got := d.Find(`nav .langs a[hreflang="da"]`).AttrOr("href", ""); got != tt.wantLink {
				t.Errorf("language switch href = %q, want %q", got, tt.wantLink)
			}
		})
	}
}
