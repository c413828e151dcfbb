package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// comparison is a company compared with one peer group of the current release.
type comparison struct {
	assessment.Benchmark
	release *assessment.Release
	// group is the group as the release publishes it (zero when it does not).
	group assessment.ReleasedGroup
	// included is whether the company itself is among the companies the figures were
	// computed from (and so left out of its own comparison).
	included bool
}

// self names the company a comparison is for, so that its own entry can be left out: source
// is this very five-minute test's id, key a client's pool key. Never a company name: see
// assessment.PeersFor.
type self struct {
	source int64
	key    string
}

// benchmark compares an assessment with one peer group.
func (s *Server) benchmark(ctx context.Context, a *assessment.Assessment, res *assessment.Result, group string) (comparison, error) {
	g, err := assessment.GroupFor(group, a.Company)
	if err != nil {
		return comparison{}, err
	}
	return s.compareWithPeers(ctx, self{source: a.ID}, a.QuestionnaireVersion, res, g)
}

// compareWithPeers compares a company's result with peer group g as the current release
// publishes it, never with itself (assessment.PeersFor). A result on another questionnaire
// version than the server's has no peers: releases never mix versions.
func (s *Server) compareWithPeers(ctx context.Context, who self, version string, res *assessment.Result, g assessment.PeerGroup) (comparison, error) {
	var out comparison
	var err error
	if out.release, err = s.release(ctx); err != nil {
		return out, err
	}
	out.Benchmark = assessment.Benchmark{Group: g.Group, GroupValue: g.Value}
	var ok bool
	if out.group, ok = out.release.Group(g); !ok || version != s.q.Version {
		return out, nil
	}
	pool, err := s.db.pool.ReleasePool(ctx, s.q, out.group.Content)
	if err != nil {
		return out, err
	}
	own, err := s.db.pool.SnapshotEntry(ctx, out.group.Snapshot, who.source, who.key)
	if err != nil {
		return out, err
	}
	peers := assessment.PeersFor(pool, own, g)
	out.included = peers.Companies < pool.Companies
	out.Benchmark = s.q.Compare(res, g.Group, g.Value, peers)
	return out, nil
}

// pageBenchmark compares for a page, in the group of ?group= (all companies when the profile
// cannot select it; the API answers 422 instead).
func (s *Server) pageBenchmark(c echo.Context, who self, profile assessment.Company, version string, res *assessment.Result) (comparison, error) {
	return s.compareWithPeers(c.Request().Context(), who, version, res, assessment.PageGroupFor(requestedGroup(c), profile))
}

// groupLabel returns the switch label of a group, with the company's value where it has one.
func (s *Server) groupLabel(l views.Loc, group string, c assessment.Company) string {
	switch group {
	case assessment.GroupIndustry:
		if o, ok := s.q.Industry(c.Industry); ok {
			return l.F("bench.group.industry", views.Args{"Value": l.Text(o.Name)})
		}
	case assessment.GroupSize:
		if o, ok := s.q.SizeBand(c.Size); ok {
			return l.F("bench.group.size", views.Args{"Value": l.Text(o.Name)})
		}
	case assessment.GroupNPSYears:
		if sg, ok := s.q.Segment(c.NPSYears); ok {
			return l.F("bench.group.nps_years", views.Args{"Value": l.Text(sg.Name)})
		}
	case assessment.GroupAll:
		return l.T("bench.group.all")
	case assessment.GroupWorkspace:
		return l.T("bench.group.workspace")
	}
	return l.T("bench.group." + group + ".none")
}

// benchmarkView builds the result page's benchmark section.
// missingHint is the message key that tells how to enable a peer group the profile lacks: a
// respondent gives it on the test, a consultant in the client's profile; pending the one
// that says the company's own answers are not among the figures (yet).
func (s *Server) benchmarkView(l views.Loc, profile assessment.Company, cmp comparison, path, missingHint, pending string) views.BenchmarkView {
	b := cmp.Benchmark
	v := views.BenchmarkView{Available: b.Available, Synthetic: b.Synthetic}
	for _, g := range groupKeys(profile) {
		_, has := assessment.GroupValue(g, profile)
		link := views.GroupLink{Key: g, Label: s.groupLabel(l, g, profile), Current: g == b.Group, Disabled: !has,
			URL: withQuery(path, "group="+g) + "#benchmark"}
		if !has {
			link.Hint = l.T(missingHint)
		}
		v.Groups = append(v.Groups, link)
	}
	if !b.Available {
		v.Unavailable = l.F(unavailableKey(b.Group), views.Args{"Min": assessment.MinPeers})
		return v
	}
	// On paper the group switch is not printed: the heading alone must say who the peers are.
	peersKey := "bench.peers"
	if b.Group == assessment.GroupWorkspace {
		peersKey = "bench.peers.workspace"
	}
	v.Heading = l.N(peersKey, b.Peers)
	v.AsOf = l.F("bench.asof", views.Args{"Date": formatDate(l, cmp.group.AsOf)})
	if !cmp.included {
		v.Pending = l.T(pending)
	}
	v.Sentences = s.benchmarkSentences(l, b)
	span := float64(s.q.Scale.Max - s.q.Scale.Min)
	pct := func(x float64) float64 { return clamp((x - float64(s.q.Scale.Min)) / span * 100) }
	row := func(letter, name string, m assessment.MetricBenchmark) views.BenchmarkRow {
		return views.BenchmarkRow{
			Letter: letter, Name: name,
			You: l.Num(m.SubjectAsIs, 1), Median: l.Num(m.AsIs.Median, 1),
			Range:      l.Num(m.AsIs.P25, 1) + "–" + l.Num(m.AsIs.P75, 1),
			Percentile: l.Num(m.AsIs.Percentile, 0), Standing: l.T("bench.standing." + m.Standing), StandingKey: m.Standing,
			YouPct: pct(m.SubjectAsIs), P25Pct: pct(m.AsIs.P25), P75Pct: pct(m.AsIs.P75), MedianPct: pct(m.AsIs.Median),
		}
	}
	for i, m := range b.Categories {
		cat := s.q.Categories[i]
		v.Categories = append(v.Categories, row(cat.Letter, l.Text(cat.Name), m))
	}
	v.Overall = row("", l.T("bench.overall"), b.Overall)
	return v
}

// benchmarkSentences writes the benchmark in words, in the deck's spirit: how often the
// company is below the median, where it stands out, where it falls short, where peers aim
// higher.
func (s *Server) benchmarkSentences(l views.Loc, b assessment.Benchmark) []string {
	sum := b.Summary
	names := func(numbers []int) string { return s.competencyList(l, numbers) }
	total := len(s.q.Competencies)
	var out []string
	switch {
	case sum.BelowMedian == 0:
		out = append(out, l.F("bench.s.below.none", views.Args{"Total": total}))
	default:
		out = append(out, l.F("bench.s.below", views.Args{"Count": sum.BelowMedian, "Total": total}))
	}
	if len(sum.Strengths) > 0 {
		out = append(out, l.F("bench.s.strengths", views.Args{"List": names(sum.Strengths)}))
	}
	if len(sum.Shortfalls) > 0 {
		out = append(out, l.F("bench.s.shortfalls", views.Args{"List": names(sum.Shortfalls)}))
	}
	if len(sum.AimHigher) > 0 {
		out = append(out, l.F("bench.s.aim", views.Args{"List": names(sum.AimHigher)}))
	} else {
		out = append(out, l.T("bench.s.aim.none"))
	}
	return out
}

// competencyList names competencies as "19 Calculate (yearly financial effect) and 21 Adjust
// (adjust the strategy)".
func (s *Server) competencyList(l views.Loc, numbers []int) string {
	parts := make([]string, 0, len(numbers))
	for _, n := range numbers {
		parts = append(parts, fmt.Sprintf("%d %s", n, s.competencyTitle(l, n)))
	}
	return joinList(l, parts)
}

// joinList joins items as "a, b and c" in the locale's language.
func joinList(l views.Loc, items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + l.T("list.and") + " " + items[len(items)-1]
}

// requestedGroup returns the ?group= of a result page, defaulting to all companies.
func requestedGroup(c echo.Context) string {
	if g := c.QueryParam("group"); g != "" {
		return g
	}
	return assessment.GroupAll
}

type apiPeerStats struct {
	Mean       float64 `json:"mean"`
	Median     float64 `json:"median"`
	P25        float64 `json:"p25"`
	P75        float64 `json:"p75"`
	Percentile float64 `json:"percentile"`
}

type apiMetricBenchmark struct {
	AsIs     apiPeerStats `json:"as_is"`
	ToBe     apiPeerStats `json:"to_be"`
	Standing string       `json:"standing,omitempty"`
}

type apiBenchmark struct {
	Group      string      `json:"group"`
	GroupValue string      `json:"group_value"`
	Available  bool        `json:"available"`
	Release    *apiRelease `json:"release,omitempty"`
	// InBenchmark reports that the assessment itself is among the companies of the figures
	// (and is left out of its own comparison).
	InBenchmark bool `json:"in_benchmark"`
	// Synthetic reports that demo companies are part of the pool.
	Synthetic    bool                          `json:"synthetic,omitempty"`
	Peers        int                           `json:"peers,omitempty"`
	Overall      *apiMetricBenchmark           `json:"overall,omitempty"`
	Themes       map[string]apiMetricBenchmark `json:"themes,omitempty"`
	Categories   map[string]apiMetricBenchmark `json:"categories,omitempty"`
	Competencies map[string]apiMetricBenchmark `json:"competencies,omitempty"`
	Summary      []string                      `json:"summary,omitempty"`
}

func toAPIPeer(p assessment.PeerStats) apiPeerStats {
	return apiPeerStats{Mean: p.Mean, Median: p.Median, P25: p.P25, P75: p.P75, Percentile: p.Percentile}
}

func toAPIMetric(m assessment.MetricBenchmark, standing bool) apiMetricBenchmark {
	out := apiMetricBenchmark{AsIs: toAPIPeer(m.AsIs), ToBe: toAPIPeer(m.ToBe)}
	if standing {
		out.Standing = m.Standing
	}
	return out
}

// apiGetBenchmark returns an assessment's benchmark against one peer group of the current
// release, with unrounded statistics and the summary sentences in the assessment's language.
// For a group the release does not publish it says only that the group is not available.
func (s *Server) apiGetBenchmark(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.db.assessments.Assessment(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	group := requestedGroup(c)
	res := s.q.Score(a.Ratings)
	cmp, err := s.benchmark(ctx, a, &res, group)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toAPIBenchmark(views.Loc{Lang: a.Lang}, cmp))
}

// toAPIBenchmark is a comparison as JSON, with the summary sentences in l's language.
func (s *Server) toAPIBenchmark(l views.Loc, cmp comparison) apiBenchmark {
	b := cmp.Benchmark
	out := apiBenchmark{Group: b.Group, GroupValue: b.GroupValue, Available: b.Available, InBenchmark: cmp.included}
	if b.Available {
		out.Release = toAPIRelease(cmp.release, cmp.group)
		out.Synthetic, out.Peers = b.Synthetic, b.Peers
		o := toAPIMetric(b.Overall, false)
		out.Overall = &o
		out.Themes, out.Categories, out.Competencies = map[string]apiMetricBenchmark{}, map[string]apiMetricBenchmark{}, map[string]apiMetricBenchmark{}
		for _, m := range b.Themes {
			out.Themes[m.Key] = toAPIMetric(m, false)
		}
		for _, m := range b.Categories {
			out.Categories[m.Key] = toAPIMetric(m, true)
		}
		for _, m := range b.Competencies {
			out.Competencies[fmt.Sprint(m.Number)] = toAPIMetric(m, false)
		}
		out.Summary = s.benchmarkSentences(l, b)
	}
	return out
}

// withQuery appends a query parameter to a path that may already have a query.
func withQuery(path, param string) string {
	if strings.Contains(path, "?") {
		return path + "&" + param
	}
	return path + "?" + param
}

// unavailableKey is the message that says why group shows no comparison.
func unavailableKey(group string) string {
	if group == assessment.GroupWorkspace {
		return "bench.unavailable.workspace"
	}
	return "bench.unavailable"
}
