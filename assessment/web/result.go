package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

// result shows the result page of one assessment. An unknown token is a 404 page. Pages are
// cached gzipped by token, language, peer group and pool generation: the answers never
// change, and the benchmark changes only with the pool.
func (s *Server) result(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	group := requestedGroup(c)
	if !slices.Contains(assessment.Groups, group) {
		group = assessment.GroupAll
	}
	gen, err := s.store.PoolGeneration(ctx)
	if err != nil {
		return err
	}
	// The host is in the key because the page shows its own absolute link.
	key := fmt.Sprintf("%s|%s|%s|%d|%s", token, loc(c).Lang, group, gen, c.Request().Host)
	// A result link is a credential: keep it out of search engines.
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	if gz, ok := s.pages.get(key); ok {
		return writeGzippedHTML(c, http.StatusOK, gz)
	}
	a, err := s.store.Assessment(ctx, token)
	if err != nil {
		return err
	}
	p, err := s.resultPage(c, a)
	if err != nil {
		return err
	}
	buf := bytes.NewBuffer(make([]byte, 0, 48<<10)) // a result page is about 30 KB
	if err := views.Result(p).Render(ctx, buf); err != nil {
		return err
	}
	gz, err := gzipBytes(buf.Bytes())
	if err != nil {
		return err
	}
	s.pages.put(key, gz)
	return writeGzippedHTML(c, http.StatusOK, gz)
}

// resultPage builds the result view model: scores, charts, tables and sentences.
func (s *Server) resultPage(c echo.Context, a *assessment.Assessment) (views.ResultPage, error) {
	l := loc(c)
	q := s.q
	res := q.Score(a.Ratings)
	p := views.ResultPage{
		Page:         s.page(c, "result.title"),
		Company:      a.Company.Name,
		Role:         a.Role,
		Taken:        formatDate(l, a.CreatedAt),
		AsIsIndex:    l.Num(res.AsIsIndex, 0),
		ToBeIndex:    l.Num(res.ToBeIndex, 0),
		GapIndex:     l.Signed(res.ToBeIndex-res.AsIsIndex, 0),
		AsIsIndexPct: clamp(res.AsIsIndex),
		ToBeIndexPct: clamp(res.ToBeIndex),
		ScaleMin:     q.Scale.Min,
		ScaleMax:     q.Scale.Max,
	}
	p.Charts = true
	p.ShareURL = c.Scheme() + "://" + c.Request().Host + "/r/" + a.Token
	if a.Company.Name != "" {
		p.Title = l.F("result.for", views.Args{"Company": a.Company.Name})
	}
	for _, st := range q.Stages {
		v := views.StageView{Key: st.Key, Name: l.Text(st.Name), Description: l.Text(st.Description), From: l.Num(st.From, 0), Current: st.Key == res.Stage.Key}
		p.Stages = append(p.Stages, v)
		if v.Current {
			p.Stage = v
		}
	}
	seg, own := q.AdviceFor(res.Stage, a.Company)
	p.AdviceFor = l.T("result.advice")
	if own {
		p.AdviceFor = l.F("result.advice.years", views.Args{"Years": strings.ToLower(l.Text(seg.Name))})
	}
	p.AdviceTitle = l.Text(seg.Title)
	for _, adv := range seg.Advice {
		p.Advice = append(p.Advice, views.AdviceView{Title: l.Text(adv.Title), Text: l.Text(adv.Text)})
	}

	// Benchmark against the chosen peer group.
	bench, err := s.pageBenchmark(c, assessment.CompanyKey(a), a.Company, a.QuestionnaireVersion, &res)
	if err != nil {
		return p, err
	}
	p.Benchmark = s.benchmarkView(l, a.Company, bench, c.Request().URL.Path, "bench.group.missing")
	if bench.Synthetic {
		p.Notice = l.T("bench.demo.notice")
	}

	// Category radar and table.
	scaleMin, scaleMax := float64(q.Scale.Min), float64(q.Scale.Max)
	var catAxes []chart.Axis
	var catAsIs, catToBe []float64
	for i, cs := range res.Categories {
		cat := q.Categories[i]
		label := cat.Letter + " · " + l.Text(cat.Name)
		catAxes = append(catAxes, chart.Axis{Name: chart.WrapName(label), Min: scaleMin, Max: scaleMax})
		catAsIs = append(catAsIs, cs.AsIs)
		catToBe = append(catToBe, cs.ToBe)
		p.CategoryRows = append(p.CategoryRows, s.scoreRow(l, label, cs.Score))
	}
	catSeries := []chart.Series{
		{Name: l.T("chart.asis"), Values: catAsIs, Kind: chart.KindAsIs},
		{Name: l.T("chart.tobe"), Values: catToBe, Kind: chart.KindToBe},
	}
	if bench.Available {
		for i, m := range bench.Categories {
			p.CategoryRows[i].Peer = l.Num(m.AsIs.Median, 1)
		}
		catSeries = append(catSeries, chart.Series{Name: l.T("chart.peers"), Values: peerMedians(bench.Categories), Kind: chart.KindBenchmark})
	}
	if p.CategoryChart, err = chart.Radar(catAxes, catSeries); err != nil {
		return p, fmt.Errorf("category radar: %w", err)
	}

	// Competency radar and table.
	var compAxes []chart.Axis
	var compAsIs, compToBe []float64
	for _, cs := range res.Competencies {
		comp, _ := q.Competency(cs.Number)
		compAxes = append(compAxes, chart.Axis{Name: chart.WrapName(strconv.Itoa(cs.Number) + " " + l.Text(comp.Name)), Min: scaleMin, Max: scaleMax})
		compAsIs = append(compAsIs, cs.AsIs)
		compToBe = append(compToBe, cs.ToBe)
		p.CompetencyRows = append(p.CompetencyRows, s.scoreRow(l, strconv.Itoa(cs.Number)+" "+l.Text(comp.Name), cs.Score))
	}
	compSeries := []chart.Series{
		{Name: l.T("chart.asis"), Values: compAsIs, Kind: chart.KindAsIs},
		{Name: l.T("chart.tobe"), Values: compToBe, Kind: chart.KindToBe},
	}
	if bench.Available {
		for i, m := range bench.Competencies {
			p.CompetencyRows[i].Peer = l.Num(m.AsIs.Median, 1)
		}
		compSeries = append(compSeries, chart.Series{Name: l.T("chart.peers"), Values: peerMedians(bench.Competencies), Kind: chart.KindBenchmark})
	}
	if p.CompetencyChart, err = chart.Radar(compAxes, compSeries); err != nil {
		return p, fmt.Errorf("competency radar: %w", err)
	}

	// Gap table in priority order.
	span := scaleMax - scaleMin
	for rank, n := range res.Priorities {
		cs := res.Competency(n)
		comp, _ := q.Competency(n)
		cat, _ := q.Category(comp.Category)
		p.Gaps = append(p.Gaps, views.GapRow{
			Rank: rank + 1, Number: n, Letter: cat.Letter, Category: l.Text(cat.Name), Name: l.Text(comp.Name),
			AsIs: l.Num(cs.AsIs, decimals(cs.AsIs)), ToBe: l.Num(cs.ToBe, decimals(cs.ToBe)), Gap: l.Signed(cs.Gap, decimals(cs.Gap)),
			BarPct: clamp(math.Abs(cs.Gap) / span * 100), Ahead: cs.Gap < 0,
		})
	}

	// Sentences: the top 3 priorities with a positive gap, and the top 3 strengths.
	for _, n := range res.Priorities[:min(3, len(res.Priorities))] {
		cs := res.Competency(n)
		if cs.Gap <= 0 {
			break
		}
		comp, _ := q.Competency(n)
		cat, _ := q.Category(comp.Category)
		p.Priorities = append(p.Priorities, l.F("result.priority.sentence", views.Args{"Name": l.Text(comp.Name), "Category": l.Text(cat.Name), "AsIs": l.Num(cs.AsIs, decimals(cs.AsIs)), "ToBe": l.Num(cs.ToBe, decimals(cs.ToBe)), "Gap": l.Num(cs.Gap, decimals(cs.Gap)),
			"Count": strconv.FormatFloat(cs.Gap, 'f', decimals(cs.Gap), 64)}))
	}
	if len(res.Strengths) > 0 && res.Competency(res.Strengths[0]).AsIs <= float64(q.Scale.Min+q.Scale.Max)/2 {
		p.StrengthsRelative = true
	}
	for _, n := range res.Strengths {
		cs := res.Competency(n)
		comp, _ := q.Competency(n)
		cat, _ := q.Category(comp.Category)
		p.Strengths = append(p.Strengths, l.F("result.strength.sentence", views.Args{"Name": l.Text(comp.Name), "Category": l.Text(cat.Name), "AsIs": l.Num(cs.AsIs, decimals(cs.AsIs))}))
	}
	return p, nil
}

// peerMedians returns the peers' median AS-IS of each metric, for the radar's third series.
func peerMedians(ms []assessment.MetricBenchmark) []float64 {
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = m.AsIs.Median
	}
	return out
}

func (s *Server) scoreRow(l views.Loc, label string, sc assessment.Score) views.ScoreRow {
	return views.ScoreRow{Label: label, AsIs: l.Num(sc.AsIs, 1), ToBe: l.Num(sc.ToBe, 1), Gap: l.Signed(sc.Gap, 1)}
}

// decimals shows whole numbers without decimals and means with one.
func decimals(v float64) int {
	if v == math.Trunc(v) {
		return 0
	}
	return 1
}

func clamp(pct float64) float64 { return max(0, min(100, pct)) }
