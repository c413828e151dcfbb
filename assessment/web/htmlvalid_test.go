package web

// Every kind of page, in every language, checked with the W3C Nu HTML checker (vnu). It needs
// Java and vnu.jar (the npm package vnu-jar): LOYALTY_VNU_JAR names the jar, else the copy
// `npm install -g vnu-jar` puts under /usr/lib/node_modules is used. Without them the test
// skips, except under CI=true, where that is a failure.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// vnuJar returns the path of vnu.jar, or "" when it or Java is missing.
func vnuJar() string {
	if _, err := exec.LookPath("java"); err != nil {
		return ""
	}
	for _, p := range []string{os.Getenv("LOYALTY_VNU_JAR"), "/usr/lib/node_modules/vnu-jar/build/dist/vnu.jar", "/usr/local/lib/node_modules/vnu-jar/build/dist/vnu.jar"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// vnuMessage is one finding of the checker's JSON output.
type vnuMessage struct {
	Type     string `json:"type"`
	SubType  string `json:"subType"`
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
}

// withLang returns path with its ?lang= set to lang.
func withLang(path, lang string) string {
	u, err := url.Parse(path)
	if err != nil {
		panic(err)
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestEveryPageValidHTML(t *testing.T) {
	t.Parallel()
	jar := vnuJar()
	if jar == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but Java or vnu.jar is missing (apt-get install default-jre-headless; npm install vnu-jar; LOYALTY_VNU_JAR=…/vnu.jar)")
		}
		t.Skip("Java or vnu.jar missing: the HTML check needs both (see the test's comment)")
	}
	e := newWSEnv(t)
	tour := newPageTour(t, e)
	ann := e.login("ann@alpha.example")
	dir := t.TempDir()
	var files []string
	save := func(get func(string, ...string) *response, pg tourPage, lang string) {
		res := get(withLang(pg.path, lang))
		// Error pages are pages too: a link that does not exist (404) or no longer works (410).
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusGone {
			t.Errorf("GET %s = %d", pg.path, res.StatusCode)
			return
		}
		name := filepath.Join(dir, fmt.Sprintf("%03d %s (%s).html", len(files), pg.name, lang))
		if err := os.WriteFile(name, res.Body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	for _, lang := range []string{"da", "en", "sv", "nb"} {
		for _, pg := range tour.public {
			save(e.browser().get, pg, lang)
		}
		for _, pg := range slices.Concat(tour.workspace, tour.presentation) {
			save(ann.get, pg, lang)
		}
	}
	// One short run: the JVM's quick compiler alone and one garbage-collector thread cost a
	// third less CPU than its defaults, which are made for long-running servers.
	cmd := exec.Command("java", append([]string{"-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, "--format", "json", "--errors-only", "--exit-zero-always"}, files...)...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("vnu: %v\n%s", err, stderr.String())
	}
	// vnu writes its JSON report to stderr.
	report := stderr.Bytes()
	if len(bytes.TrimSpace(report)) == 0 {
		report = out.Bytes()
	}
	var res struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(report, &res); err != nil {
		t.Fatalf("vnu's report: %v\n%.2000s", err, report)
	}
	// One line per distinct message, with how often and where it was first seen.
	type finding struct {
		count int
		first vnuMessage
	}
	seen := map[string]*finding{}
	var order []string
	for _, m := range res.Messages {
		if m.Type != "error" && m.SubType != "fatal" {
			continue
		}
		f := seen[m.Message]
		if f == nil {
			f = &finding{first: m}
			seen[m.Message] = f
			order = append(order, m.Message)
		}
		f.count++
	}
	errs := 0
	for _, msg := range order {
		f := seen[msg]
		errs += f.count
		page, _ := url.PathUnescape(filepath.Base(f.first.URL))
		t.Errorf("%d× %s — first in %s, line %d: %s", f.count, msg, page, f.first.LastLine, strings.TrimSpace(f.first.Extract))
	}
	if errs > 0 {
		t.Logf("%d errors on %d pages", errs, len(files))
	}
}
