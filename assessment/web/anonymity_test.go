package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// The attacks of issue 12 §1 on benchmark anonymity, each replayed through the public API as
// an attacker would: submitting anonymous tests and reading every endpoint. Each test first
// shows what the attacker would compute, then that it is not the victim's answers, or that
// the publication the attack needs is never made. docs/privacy.md explains the defences.

// published is what GET /api/v1/benchmark or …/assessments/{token}/benchmark publishes, as
// far as the attacks need it.
type published struct {
	Available bool `json:"available"`
	Release   *struct {
		ID int64 `json:"id"`
	} `json:"release"`
	Companies int `json:"companies"` // the overview's count
	Peers     int `json:"peers"`     // an assessment's count
	Comp      map[string]struct {
		AsIs stat `json:"as_is"`
		ToBe stat `json:"to_be"`
	} `json:"competencies"`
	Groups []struct {
		Group     string `json:"group"`
		Value     string `json:"value"`
		Companies int    `json:"companies"`
	} `json:"groups"`
	body string
}

// stat is one side of one competency.
type stat struct{ Mean, Median float64 }

// n is the number of companies the statistics claim to be of.
func (p published) n() int { return max(p.Companies, p.Peers) }

// means returns the 42 published means: AS-IS of competencies 1-21, then TO-BE.
func (p published) means() []float64 { return p.stat(func(s stat) float64 { return s.Mean }) }

// medians returns the 42 published medians, in the same order.
func (p published) medians() []float64 { return p.stat(func(s stat) float64 { return s.Median }) }

func (p published) stat(of func(stat) float64) []float64 {
	out := make([]float64, 42)
	for i := range 21 {
		c := p.Comp[strconv.Itoa(i+1)]
		out[i], out[21+i] = of(c.AsIs), of(c.ToBe)
	}
	return out
}

// read fetches path and decodes what it publishes.
func (e *env) read(path string) published {
	e.t.Helper()
	res := e.get(path)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s = %d %s", path, res.StatusCode, res.Body)
	}
	var p published
	if err := json.Unmarshal(res.Body, &p); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	p.body = res.Text
	return p
}

// answersOf returns a company's 42 answers in the order of published.means.
func answersOf(s scores) []float64 {
	out := make([]float64, 42)
	for i := range 21 {
		out[i], out[21+i] = float64(s.asIs[i]), float64(s.toBe[i])
	}
	return out
}

// recovered counts how many of the victim's 42 answers the estimate gets exactly, after
// rounding each to the scale (what an attacker would do with a sum that should be whole
// numbers), and how far it is from them on average.
func recovered(estimate, victim []float64) (exact int, meanError float64) {
	for i, v := range victim {
		if math.Round(estimate[i]) == v {
			exact++
		}
		meanError += math.Abs(estimate[i]-v) / float64(len(victim))
	}
	return exact, meanError
}

// victimScores is a distinctive company: no two neighbouring answers alike.
var victimScores = func() scores {
	var s scores
	for i := range 21 {
		s.asIs[i] = 1 + i%5
		s.toBe[i] = 5 - i%3
	}
	return s
}()

// TestAnonymityOverTime: reading the benchmark before and after one company joins, and
// computing (N+1)·mean′ − N·mean, no longer gives the newcomer's answers, neither through
// GET /api/v1/benchmark nor through the attacker's own result's benchmark. The newcomer
// changes nothing that is published (not the figures, not the group sizes that would give
// away its industry, size and NPS band) until at least 5 companies have changed and a day
// has passed; then the difference is 5 companies plus noise.
func TestAnonymityOverTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, demoMode)
	if err := e.db.AddSynthetic(context.Background(), e.q.SyntheticCompanies(300, 1, fixedNow)); err != nil {
		t.Fatal(err)
	}
	// The attacker's own test, anonymous and never verified.
	spy := e.submitAPI(map[string]any{"lang": "en", "benchmark_consent": true, "answers": uniform(3, 3).answers()})
	before := e.read("/api/v1/benchmark")
	ownBefore := e.read("/api/v1/assessments/" + spy + "/benchmark")
	if !before.Available || before.n() != 300 || ownBefore.n() != 300 {
		t.Fatalf("before: %d companies (own view %d), want the 300 demo companies", before.n(), ownBefore.n())
	}

	// The victim joins: a verified company.
	victim := e.submitAPI(company("Victim A/S", "finance", victimScores, true))
	e.verify(victim)
	want := answersOf(victimScores)
	attack := func(before, after published) []float64 {
		// The attacker assumes one company joined: (N+1)·mean′ − N·mean.
		est := make([]float64, 42)
		a, b := after.means(), before.means()
		for i := range est {
			est[i] = float64(before.n()+1)*a[i] - float64(before.n())*b[i]
		}
		return est
	}

	// The same day, and a day later: nothing published changes.
	for _, when := range []string{"the same day", "a day later"} {
		if when == "a day later" {
			e.nextDay()
		}
		after := e.read("/api/v1/benchmark")
		ownAfter := e.read("/api/v1/assessments/" + spy + "/benchmark")
		if after.body != before.body || after.Release.ID != before.Release.ID {
			t.Errorf("%s: the overview changed when one company joined", when)
		}
		if ownAfter.body != ownBefore.body {
			t.Errorf("%s: the attacker's own benchmark changed when one company joined", when)
		}
		for _, v := range []struct {
			name          string
			before, after published
		}{{"overview", before, after}, {"own result", ownBefore, ownAfter}} {
			if exact, _ := recovered(attack(v.before, v.after), want); exact == 42 {
				t.Errorf("%s, %s: the difference gives the victim's 42 answers", when, v.name)
			}
		}
		if !slices.Equal(after.Groups, before.Groups) {
			t.Errorf("%s: the group sizes changed: they would give away the newcomer's profile", when)
		}
	}
	if e.releases() != 1 {
		t.Fatalf("releases = %d, want 1: one newcomer must not make a release", e.releases())
	}

	// Four more companies join, so 5 differ; a day later the release changes. The attacker
	// now gets the 5 newcomers together, with noise: not the victim, and not even the victim
	// for an attacker who knew the other four exactly.
	others := []scores{uniform(2, 4), uniform(3, 5), uniform(4, 4), uniform(2, 3)}
	for i, s := range others {
		e.verify(e.submitAPI(company(fmt.Sprintf("Newcomer %d", i), "retail", s, true)))
	}
	e.nextDay()
	after := e.read("/api/v1/benchmark")
	ownAfter := e.read("/api/v1/assessments/" + spy + "/benchmark")
	if after.Release.ID == before.Release.ID || after.n() != 305 || ownAfter.n() != 305 {
		t.Fatalf("after 5 newcomers and a day: release %d → %d, %d companies (own view %d); want a new release of 305", before.Release.ID, after.Release.ID, after.n(), ownAfter.n())
	}
	for _, v := range []struct {
		name          string
		before, after published
	}{{"overview", before, after}, {"own result", ownBefore, ownAfter}} {
		naive := attack(v.before, v.after)
		if exact, _ := recovered(naive, want); exact == 42 {
			t.Errorf("%s: (N+1)·mean′ − N·mean gives the victim's answers", v.name)
		}
		// An attacker who knows the other four newcomers exactly: N′·mean′ − N·mean − Σothers.
		insider := make([]float64, 42)
		a, b := v.after.means(), v.before.means()
		for i := range insider {
			insider[i] = float64(v.after.n())*a[i] - float64(v.before.n())*b[i]
			for _, s := range others {
				insider[i] -= answersOf(s)[i]
			}
		}
		exact, meanError := recovered(insider, want)
		t.Logf("%s: an attacker who knows the other four gets %d of 42 answers, %.1f points off on average", v.name, exact, meanError)
		if exact == 42 || meanError < 1 {
			t.Errorf("%s: knowing the other four newcomers, the difference gives %d of the victim's 42 answers (%.2f points off on average)", v.name, exact, meanError)
		}
	}
}

// TestAnonymitySybil: with one real company in the pool, an attacker submits 4 consenting
// tests of their own (two answering 1 everywhere, two 5). Before, the pool showed 5
// companies, every median was the victim's answer, and 5·mean − Σ(own) gave it too. Now the
// attacker's tests never count: nothing is published. And with real peers enough to publish,
// the attacker's tests are still not in the figures, so subtracting them gives nothing.
func TestAnonymitySybil(t *testing.T) {
	e := newEnv(t)
	victim := e.submitAPI(company("Victim A/S", "finance", victimScores, true))
	e.verify(victim)
	var own []string
	for _, a := range []int{1, 1, 5, 5} {
		own = append(own, e.submitAPI(company(fmt.Sprintf("Sock puppet %d", len(own)), "finance", uniform(a, a), true)))
	}
	e.nextDay()
	overview := e.read("/api/v1/benchmark")
	if overview.Available || len(overview.Groups) != 0 || overview.Comp != nil {
		t.Errorf("with one real company and four of the attacker's: %s, want nothing published", overview.body)
	}
	for _, tok := range own {
		if p := e.read("/api/v1/assessments/" + tok + "/benchmark?group=industry"); p.Available || p.Comp != nil {
			t.Errorf("the attacker's own result gets a benchmark of the victim alone: %s", p.body)
		}
	}

	// Four real peers join, answering 3 everywhere: now 5 real companies are published. The
	// attacker's tests are not among them: 5 companies, not 9.
	for i := range 4 {
		e.verify(e.submitAPI(company(fmt.Sprintf("Peer %d", i), "finance", uniform(3, 3), true)))
	}
	e.nextDay()
	p := e.read("/api/v1/benchmark?group=industry&value=finance")
	if !p.Available || p.n() != 5 {
		t.Fatalf("finance with 5 real companies and the attacker's 4: %d companies, want 5", p.n())
	}
	want := answersOf(victimScores)
	// 5·mean − Σ(own) as the attacker computes it, own = two 1s and two 5s = 12.
	est := make([]float64, 42)
	for i, m := range p.means() {
		est[i] = 5*m - 12
	}
	if exact, _ := recovered(est, want); exact == 42 {
		t.Error("5·mean − Σ(own) gives the victim's answers")
	}
	medianHits := 0
	for i, m := range p.medians() {
		if m == want[i] {
			medianHits++
		}
	}
	if medianHits == 42 {
		t.Error("every published median is the victim's answer")
	}
	t.Logf("medians equal to the victim's answer: %d of 42 (the peers answer 3 everywhere; the victim on %d)", medianHits, countEqual(want, 3))
}

func countEqual(xs []float64, v float64) int {
	n := 0
	for _, x := range xs {
		if x == v {
			n++
		}
	}
	return n
}

// TestAnonymityComplement: when one company is the only one outside an industry,
// 7·mean(all) − 6·mean(industry) gave its answers. Now the industry is not published while
// it differs from all companies by fewer than 5: the attack lacks its second term. The
// listed group sizes do not give the difference away either.
func TestAnonymityComplement(t *testing.T) {
	e := newEnv(t)
	for i := range 6 {
		e.verify(e.submitAPI(company(fmt.Sprintf("Bank %d", i), "finance", uniform(1+i%5, 4), true)))
	}
	e.verify(e.submitAPI(company("Victim A/S", "retail", victimScores, true)))
	all := e.read("/api/v1/benchmark")
	if !all.Available || all.n() != 7 {
		t.Fatalf("all companies: %d, want 7 published", all.n())
	}
	for _, g := range all.Groups {
		if g.Group == "industry" {
			t.Errorf("industry %s (%d companies) is offered beside all 7: their difference is one company", g.Value, g.Companies)
		}
	}
	// Withheld (6 banks, 1 shop) or empty (no company in TMT): the answer is the same, bar
	// the group's name, so it does not say which groups exist, nor how large they are.
	empty := e.get("/api/v1/benchmark?group=industry&value=tmt&lang=en")
	if empty.StatusCode != http.StatusNotFound || !strings.Contains(empty.Text, "The benchmark publishes no peer group industry = ") {
		t.Fatalf("GET industry tmt (no company) = %d %s, want 404 saying no such group is published", empty.StatusCode, empty.Text)
	}
	for _, value := range []string{"finance", "retail"} {
		res := e.get("/api/v1/benchmark?group=industry&value=" + value + "&lang=en")
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET industry %s = %d, want 404", value, res.StatusCode)
		}
		if got, want := res.Text, strings.ReplaceAll(empty.Text, `\"tmt\"`, `\"`+value+`\"`); got != want {
			t.Errorf("GET industry %s = %s, want the answer for an empty group: %s", value, got, want)
		}
		page := e.get("/benchmark?group=industry&value=" + value + "&lang=en")
		if page.StatusCode != http.StatusNotFound || strings.Contains(page.Text, "6 companies") || strings.Contains(page.Text, "1 company") {
			t.Errorf("/benchmark industry %s = %d; want 404 without a count", value, page.StatusCode)
		}
	}
	// A bank's own benchmark in its industry is not available either.
	bank := e.submitAPI(company("Bank 9", "finance", uniform(2, 4), false))
	if p := e.read("/api/v1/assessments/" + bank + "/benchmark?group=industry"); p.Available {
		t.Errorf("finance is published through an assessment's benchmark: %s", p.body)
	}

	// Five more shops: all companies change by 5 (a new release), and six are outside
	// finance: both industries are published now.
	for i := range 5 {
		e.verify(e.submitAPI(company(fmt.Sprintf("Shop %d", i), "retail", uniform(3, 4), true)))
	}
	e.nextDay()
	for _, value := range []string{"finance", "retail"} {
		if res := e.get("/api/v1/benchmark?group=industry&value=" + value); res.StatusCode != http.StatusOK {
			t.Errorf("industry %s with 6 companies outside it = %d, want published", value, res.StatusCode)
		}
	}
}

// TestAnonymityNameCollision: an attacker types a pooled company's name into a test. Its
// benchmark used to leave that company out ("never compared with itself"), so the difference
// between it and anyone else's benchmark was the company. Now only the very result being
// viewed is left out: the attacker's benchmark is everyone's.
func TestAnonymityNameCollision(t *testing.T) {
	e := newEnv(t, exactStats)
	e.verify(e.submitAPI(map[string]any{"lang": "en", "benchmark_consent": true, "answers": victimScores.answers(),
		"company": map[string]any{"name": "Acme A/S", "country": "DK"}}))
	for i := range 5 {
		e.verify(e.submitAPI(company(fmt.Sprintf("Peer %d", i), "finance", uniform(3, 3), true)))
	}
	posing := e.submitAPI(map[string]any{"lang": "en", "answers": uniform(3, 3).answers(), "company": map[string]any{"name": "ACME a/s", "country": "dk"}})
	plain := e.submitAPI(map[string]any{"lang": "en", "answers": uniform(3, 3).answers()})
	a, b := e.read("/api/v1/assessments/"+posing+"/benchmark"), e.read("/api/v1/assessments/"+plain+"/benchmark")
	if a.n() != 6 || !slices.Equal(a.means(), b.means()) || !slices.Equal(a.medians(), b.medians()) {
		t.Errorf("a test named like Acme: %d peers, means %v; want all 6, the same figures as anyone's (%v)", a.n(), a.means()[:3], b.means()[:3])
	}
}

// TestAnonymityNoiseDrawnOnce: the noise of a release is drawn when it is made and stored
// with it, so re-reading, also after a restart, gives the same numbers: there is nothing to
// average away. And the published numbers do carry noise.
func TestAnonymityNoiseDrawnOnce(t *testing.T) {
	e := newEnv(t, demoMode)
	entries := e.q.SyntheticCompanies(40, 9, fixedNow)
	if err := e.db.AddSynthetic(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
	first := e.read("/api/v1/benchmark")
	for range 3 {
		if again := e.read("/api/v1/benchmark"); again.body != first.body {
			t.Fatal("re-reading the benchmark gave other numbers")
		}
	}
	e.restart()
	e.advance(time.Hour)
	if again := e.read("/api/v1/benchmark"); again.body != first.body {
		t.Error("after a restart the benchmark has other numbers")
	}
	// The exact mean AS-IS of competency 1 over the 40 companies, against the published one.
	var sum float64
	first1 := 1 + len(e.q.Themes) + len(e.q.Categories)
	for _, c := range entries {
		sum += float64(c.AsIs[first1]) / 1e4
	}
	if got := first.means()[0]; got == sum/40 {
		t.Errorf("the published mean of competency 1 is the exact %g: no noise", got)
	}
}

// TestBenchmarkUtilityDemoPool: what noise costs, through the real release and API. With the
// 300 demo companies of loyalty demo --seed 1, every published median and quartile of every
// competency, in every listed group of 30 companies or more, is within 0.1 scale points of
// the exact value. (assessment/utility_test.go measures every metric, and small groups.)
func TestBenchmarkUtilityDemoPool(t *testing.T) {
	e := newEnv(t, demoMode)
	entries := e.q.SyntheticCompanies(300, 1, fixedNow)
	if err := e.db.AddSynthetic(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
	type quartiles struct{ P25, Median, P75 float64 }
	var page struct {
		Companies int `json:"companies"`
		Comp      map[string]struct {
			AsIs quartiles `json:"as_is"`
			ToBe quartiles `json:"to_be"`
		} `json:"competencies"`
	}
	overview := e.read("/api/v1/benchmark")
	groups := []assessment.PeerGroup{{Group: assessment.GroupAll}}
	for _, g := range overview.Groups {
		groups = append(groups, assessment.PeerGroup{Group: g.Group, Value: g.Value})
	}
	first := 1 + len(e.q.Themes) + len(e.q.Categories)
	worst, checked := 0.0, 0
	for _, g := range groups {
		res := e.get("/api/v1/benchmark?group=" + g.Group + "&value=" + url.QueryEscape(g.Value))
		if err := json.Unmarshal(res.Body, &page); err != nil {
			t.Fatal(err)
		}
		if page.Companies < 30 {
			continue
		}
		for i := range 21 {
			for side, got := range []quartiles{page.Comp[strconv.Itoa(i+1)].AsIs, page.Comp[strconv.Itoa(i+1)].ToBe} {
				var d assessment.Distribution
				for _, c := range entries {
					if v, ok := assessment.GroupValue(g.Group, c.Profile); ok && v == g.Value {
						d.Add([][]int64{c.AsIs, c.ToBe}[side][first+i], 1)
					}
				}
				if d.N() != page.Companies {
					t.Fatalf("group %s:%s: %d demo companies, the API says %d", g.Group, g.Value, d.N(), page.Companies)
				}
				for _, pair := range [][2]float64{{got.P25, d.Quantile(.25)}, {got.Median, d.Quantile(.5)}, {got.P75, d.Quantile(.75)}} {
					worst = max(worst, math.Abs(pair[0]-pair[1]))
					checked++
				}
			}
		}
	}
	t.Logf("%d medians and quartiles of %d groups: largest error %.4f", checked, len(groups), worst)
	if checked < 3*42*10 || worst > 0.1 {
		t.Errorf("%d medians and quartiles checked, largest error %.4f; want at least 10 groups of 30+ and at most 0.1", checked, worst)
	}
}

// companyIn returns an API submission for a consenting company of industry and size band.
func companyIn(name, industry, size string, s scores) map[string]any {
	c := company(name, industry, s, true)
	c["company"].(map[string]any)["size"] = size
	return c
}

// TestAnonymityNewcomerSizeBand (issue 16): nine companies, five of them with 50-249
// employees. That band is withheld: against all nine companies it differs by four. One
// company with 50-249 employees joins. A day later the band used to appear with 6 companies:
// the newcomer's band, every time. Now nothing changes: no group appears, no size changes,
// the same day or a day later, until 5 of the band's companies differ.
func TestAnonymityNewcomerSizeBand(t *testing.T) {
	e := newEnv(t)
	for i := range 9 {
		size := "50-249"
		if i >= 5 {
			size = "250-999"
		}
		e.verify(e.submitAPI(companyIn(fmt.Sprintf("Bank %d", i), "finance", size, uniform(1+i%5, 4))))
	}
	band := "/api/v1/benchmark?group=size&value=50-249&lang=en"
	before := e.read("/api/v1/benchmark")
	if !before.Available || before.n() != 9 {
		t.Fatalf("before: %d companies, want 9 published", before.n())
	}
	for _, g := range before.Groups {
		if g.Group == "size" {
			t.Fatalf("size band %s (%d companies) is offered beside all 9", g.Value, g.Companies)
		}
	}
	if res := e.get(band); res.StatusCode != http.StatusNotFound {
		t.Fatalf("GET 50-249 before = %d, want 404", res.StatusCode)
	}

	e.verify(e.submitAPI(companyIn("Victim A/S", "retail", "50-249", victimScores)))
	for _, when := range []string{"the same day", "a day later", "two days later"} {
		if when != "the same day" {
			e.nextDay()
		}
		after := e.read("/api/v1/benchmark")
		if !slices.Equal(after.Groups, before.Groups) || after.body != before.body {
			t.Errorf("%s: the overview changed after one company joined: groups %v, were %v", when, after.Groups, before.Groups)
		}
		if res := e.get(band); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: GET 50-249 = %d %s; want 404: its appearance would give away the newcomer's band", when, res.StatusCode, res.Text)
		}
	}

	// Four more join the band (and a bank of 250-999 employees, so that the band and all
	// companies differ by 5): 5 of its companies differ, and it may appear.
	for i := range 4 {
		e.verify(e.submitAPI(companyIn(fmt.Sprintf("Shop %d", i), "retail", "50-249", uniform(3, 4))))
	}
	e.verify(e.submitAPI(companyIn("Bank 9", "finance", "250-999", uniform(2, 4))))
	e.nextDay()
	if res := e.get(band); res.StatusCode != http.StatusOK {
		t.Errorf("with 5 newcomers in it, GET 50-249 = %d, want it published", res.StatusCode)
	}
}

// The quartile attacks of issue 16. The attacker reads the published P25, median and P75 of
// every competency, AS-IS and TO-BE, and for each of the victim's 42 answers tries the five
// possible values: the one whose exact quartiles, together with the companies the attacker
// knows, come nearest to what is published is the guess (ties: the value most common among
// the companies the attacker knows). Guessing is that tie-break alone.

// quartiles are the published P25, median and P75 of the 42 answers, in the order of
// published.means.
type quartiles [42][3]float64

// quartilesOf reads them from an overview.
func quartilesOf(t *testing.T, p published) quartiles {
	t.Helper()
	var out struct {
		Comp map[string]struct {
			AsIs struct{ P25, Median, P75 float64 } `json:"as_is"`
			ToBe struct{ P25, Median, P75 float64 } `json:"to_be"`
		} `json:"competencies"`
	}
	if err := json.Unmarshal([]byte(p.body), &out); err != nil {
		t.Fatal(err)
	}
	var q quartiles
	for i := range 21 {
		c := out.Comp[strconv.Itoa(i+1)]
		q[i] = [3]float64{c.AsIs.P25, c.AsIs.Median, c.AsIs.P75}
		q[21+i] = [3]float64{c.ToBe.P25, c.ToBe.Median, c.ToBe.P75}
	}
	for i, qs := range q {
		for _, x := range qs {
			if x < 1 || x > 5 {
				t.Fatalf("answer %d: published quartiles %v, want values on the scale", i, qs)
			}
		}
	}
	return q
}

// exactQuartiles returns the exact P25, median and P75 of whole-number answers.
func exactQuartiles(values []float64) [3]float64 {
	var d assessment.Distribution
	for _, v := range values {
		d.Add(assessment.Quantize(v), 1)
	}
	return [3]float64{d.Quantile(.25), d.Quantile(.5), d.Quantile(.75)}
}

func quartileDistance(a, b [3]float64) float64 {
	return math.Abs(a[0]-b[0]) + math.Abs(a[1]-b[1]) + math.Abs(a[2]-b[2])
}

// mostCommon returns the answer most common in values, the smallest on a tie.
func mostCommon(values []float64) float64 {
	best, bestN := 1.0, -1
	for v := 1.0; v <= 5; v++ {
		if n := countEqual(values, v); n > bestN {
			best, bestN = v, n
		}
	}
	return best
}

// guessAnswer is the attack on one answer: the value v whose predicted quartiles,
// predict(v), are nearest to the published ones; ties go to the value most common in known.
func guessAnswer(published [3]float64, known []float64, predict func(v float64) float64) float64 {
	best, bestD, bestN := 0.0, math.Inf(1), -1
	for v := 1.0; v <= 5; v++ {
		d, n := predict(v), countEqual(known, v)
		if d < bestD-1e-9 || (d < bestD+1e-9 && n > bestN) {
			best, bestD, bestN = v, d, n
		}
	}
	return best
}

// syntheticScores returns n realistic companies' answers (the demo generator's).
func syntheticScores(q *assessment.Questionnaire, n int, seed uint64) []scores {
	first := 1 + len(q.Themes) + len(q.Categories)
	var out []scores
	for _, c := range q.SyntheticCompanies(n, seed, fixedNow) {
		var s scores
		for i := range 21 {
			s.asIs[i], s.toBe[i] = int(c.AsIs[first+i]/1e4), int(c.ToBe[first+i]/1e4)
		}
		out = append(out, s)
	}
	return out
}

// column returns answer i (in the order of answersOf) of every company.
func column(cs []scores, i int) []float64 {
	out := make([]float64, len(cs))
	for j, s := range cs {
		out[j] = answersOf(s)[i]
	}
	return out
}

// attackTally adds up, over runs, how many answers an attack got right.
type attackTally struct{ hits, guesses, exactHits, runs int }

func (a attackTally) per42(n int) float64 { return float64(n) / float64(a.runs) }

// TestAnonymityQuartilesAllOthers: the attacker knows every other company of a group and
// reads the group's published quartiles. Exact quartiles gave away most of the victim's
// answers in groups of 5 to 20 (issue 16: 33 of 42). Now, over seeded runs (other
// companies and noise drawn anew each time), the attack gets no more than 14 of 42 on
// average, where the same attack on the exact quartiles gets far more.
func TestAnonymityQuartilesAllOthers(t *testing.T) {
	t.Parallel()
	for _, n := range []int{5, 10, 20} {
		var tally attackTally
		for run := range uint64(12) {
			e := newEnv(t, func(c *Config) { c.Noise = assessment.NewSampler(rand.New(rand.NewPCG(run, uint64(n)))) })
			others := syntheticScores(e.q, n-1, 100*run+uint64(n))
			for i, s := range others {
				e.verify(e.submitAPI(company(fmt.Sprintf("Known %d", i), "finance", s, true)))
			}
			e.verify(e.submitAPI(company("Victim A/S", "finance", victimScores, true)))
			p := e.read("/api/v1/benchmark")
			if !p.Available || p.n() != n {
				t.Fatalf("%d companies: the overview shows %d", n, p.n())
			}
			pub := quartilesOf(t, p)
			want := answersOf(victimScores)
			for i := range 42 {
				known := column(others, i)
				exact := exactQuartiles(append(slices.Clone(known), want[i]))
				predict := func(target [3]float64) func(float64) float64 {
					return func(v float64) float64 {
						return quartileDistance(exactQuartiles(append(slices.Clone(known), v)), target)
					}
				}
				if guessAnswer(pub[i], known, predict(pub[i])) == want[i] {
					tally.hits++
				}
				if guessAnswer(exact, known, predict(exact)) == want[i] {
					tally.exactHits++
				}
				if mostCommon(known) == want[i] {
					tally.guesses++
				}
			}
			tally.runs++
		}
		t.Logf("group of %d, all %d others known: %.1f of 42 (exact quartiles: %.1f; guessing: %.1f)", n, n-1,
			tally.per42(tally.hits), tally.per42(tally.exactHits), tally.per42(tally.guesses))
		if got := tally.per42(tally.hits); got > 14 {
			t.Errorf("group of %d: the attack gets %.1f of 42 answers, want at most 14", n, got)
		}
		if tally.per42(tally.exactHits) <= 14 {
			t.Errorf("group of %d: on exact quartiles the attack gets only %.1f of 42: it is too weak to show anything", n, tally.per42(tally.exactHits))
		}
	}
}

// TestAnonymityQuartilesNewcomers: five companies are published; a day later five more
// have joined, among them the victim, and the attacker knows the other four newcomers. The
// attacker matches both releases' quartiles: the five earlier companies as the first
// release shows them (its P25, median and P75, and any lowest and highest answer they
// allow), plus the four known newcomers, plus each possible answer of the victim, against
// the second release's quartiles. Issue 16: 55 % of the answers (23 of 42). Now at most 14
// on average over seeded runs.
func TestAnonymityQuartilesNewcomers(t *testing.T) {
	t.Parallel()
	var tally attackTally
	for run := range uint64(5) {
		e := newEnv(t, func(c *Config) { c.Noise = assessment.NewSampler(rand.New(rand.NewPCG(run, 55))) })
		cs := syntheticScores(e.q, 9, 1000+run)
		base, known := cs[:5], cs[5:]
		for i, s := range base {
			e.verify(e.submitAPI(company(fmt.Sprintf("Base %d", i), "finance", s, true)))
		}
		before := e.read("/api/v1/benchmark")
		for i, s := range known {
			e.verify(e.submitAPI(company(fmt.Sprintf("Known %d", i), "finance", s, true)))
		}
		e.verify(e.submitAPI(company("Victim A/S", "finance", victimScores, true)))
		e.nextDay()
		after := e.read("/api/v1/benchmark")
		if before.n() != 5 || after.n() != 10 {
			t.Fatalf("releases of %d and %d companies, want 5 and 10", before.n(), after.n())
		}
		pubBefore, pubAfter := quartilesOf(t, before), quartilesOf(t, after)
		want := answersOf(victimScores)
		for i := range 42 {
			k := column(known, i)
			// The attack, given the first release's quartiles q1 and the second's q2.
			attack := func(q1, q2 [3]float64) float64 {
				r := func(x float64) float64 { return max(1, min(5, math.Round(x))) }
				mid := []float64{r(q1[0]), r(q1[1]), r(q1[2])}
				return guessAnswer(q2, append(slices.Clone(k), mid...), func(v float64) float64 {
					best := math.Inf(1)
					for lo := 1.0; lo <= mid[0]; lo++ {
						for hi := mid[2]; hi <= 5; hi++ {
							all := append(append(slices.Clone(k), mid...), lo, hi, v)
							best = min(best, quartileDistance(exactQuartiles(all), q2))
						}
					}
					return best
				})
			}
			if attack(pubBefore[i], pubAfter[i]) == want[i] {
				tally.hits++
			}
			b := column(base, i)
			if attack(exactQuartiles(b), exactQuartiles(append(append(slices.Clone(b), k...), want[i]))) == want[i] {
				tally.exactHits++
			}
			if mostCommon(k) == want[i] {
				tally.guesses++
			}
		}
		tally.runs++
	}
	t.Logf("knowing the other four newcomers: %.1f of 42 (exact quartiles: %.1f; guessing: %.1f)",
		tally.per42(tally.hits), tally.per42(tally.exactHits), tally.per42(tally.guesses))
	if got := tally.per42(tally.hits); got > 14 {
		t.Errorf("the attack gets %.1f of 42 answers, want at most 14", got)
	}
	if tally.per42(tally.exactHits) <= 14 {
		t.Errorf("on exact quartiles the attack gets only %.1f of 42: it is too weak to show anything", tally.per42(tally.exactHits))
	}
}

// TestAnonymityPercentiles: the attacker knows every other company of a group of 10, and
// reads the percentile rank of answers 1 to 5 of every competency through five tests of
// their own (anonymous, never in the pool), each answering one value everywhere. A
// percentile rank times the group size, less the known companies' share, leaves the victim's
// share: 0 below its answer, ½ at it, 1 above, plus noise. With noise of scale 1 on the
// counts behind it, the best-fitting step found 17 of 42 answers; now at most 14 on average
// over seeded runs, where exact counts would give all 42.
func TestAnonymityPercentiles(t *testing.T) {
	t.Parallel()
	const n = 10
	var tally attackTally
	for run := range uint64(12) {
		e := newEnv(t, func(c *Config) { c.Noise = assessment.NewSampler(rand.New(rand.NewPCG(run, 77))) })
		others := syntheticScores(e.q, n-1, 2000+run)
		for i, s := range others {
			e.verify(e.submitAPI(company(fmt.Sprintf("Known %d", i), "finance", s, true)))
		}
		e.verify(e.submitAPI(company("Victim A/S", "finance", victimScores, true)))
		// pct[v-1][i] is the published percentile rank of answer v for answer i.
		var pct [5][42]float64
		for v := 1; v <= 5; v++ {
			tok := e.submitAPI(map[string]any{"lang": "en", "answers": uniform(v, v).answers()})
			var b struct {
				Peers int `json:"peers"`
				Comp  map[string]struct {
					AsIs struct{ Percentile float64 } `json:"as_is"`
					ToBe struct{ Percentile float64 } `json:"to_be"`
				} `json:"competencies"`
			}
			if err := json.Unmarshal(e.get("/api/v1/assessments/"+tok+"/benchmark").Body, &b); err != nil {
				t.Fatal(err)
			}
			if b.Peers != n {
				t.Fatalf("the attacker's test is compared with %d companies, want %d", b.Peers, n)
			}
			for i := range 21 {
				c := b.Comp[strconv.Itoa(i+1)]
				pct[v-1][i], pct[v-1][21+i] = c.AsIs.Percentile, c.ToBe.Percentile
			}
		}
		if pct == [5][42]float64{} {
			t.Fatal("no percentile rank read")
		}
		want := answersOf(victimScores)
		for i := range 42 {
			known := column(others, i)
			// share(v) is the victim's share of the rank of answer v if its answer is x.
			share := func(v, x float64) float64 {
				switch {
				case v < x:
					return 0
				case v == x:
					return .5
				}
				return 1
			}
			attack := func(rank func(v float64) float64) float64 {
				return guessAnswer([3]float64{}, known, func(x float64) float64 {
					d := 0.0
					for v := 1.0; v <= 5; v++ {
						left := rank(v) * n / 100
						for _, k := range known {
							left -= share(v, k)
						}
						d += math.Abs(left - share(v, x))
					}
					return d
				})
			}
			if attack(func(v float64) float64 { return pct[int(v)-1][i] }) == want[i] {
				tally.hits++
			}
			exact := func(v float64) float64 {
				r := share(v, want[i])
				for _, k := range known {
					r += share(v, k)
				}
				return 100 * r / n
			}
			if attack(exact) == want[i] {
				tally.exactHits++
			}
			if mostCommon(known) == want[i] {
				tally.guesses++
			}
		}
		tally.runs++
	}
	t.Logf("percentile ranks, all %d others known: %.1f of 42 (exact counts: %.1f; guessing: %.1f)", n-1,
		tally.per42(tally.hits), tally.per42(tally.exactHits), tally.per42(tally.guesses))
	if got := tally.per42(tally.hits); got > 14 {
		t.Errorf("the attack gets %.1f of 42 answers, want at most 14", got)
	}
	if tally.per42(tally.exactHits) != 42 {
		t.Errorf("on exact counts the attack gets %.1f of 42, want all: it is not the attack it claims to be", tally.per42(tally.exactHits))
	}
}
