package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

// result shows the result page of one assessment. An unknown token is a 404 page. Pages are
// cached gzipped by token, language, peer group, release and result generation: the answers
// never change, the benchmark changes only with the release, and a deleted result changes
// the result generation.
func (s *Server) result(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	group := requestedGroup(c)
	if !slices.Contains(assessment.Groups, group) {
		group = assessment.GroupAll
	}
	rel, err := s.release(ctx)
	if err != nil {
		return err
	}
	gen, err := s.db.pool.ResultGeneration(ctx)
	if err != nil {
		return err
	}
	// The page does not depend on the request's host: its share link is on the base URL or
	// relative (baseurl.go).
	key := fmt.Sprintf("%s|%s|%s|%d|%d", token, loc(c).Lang, group, rel.ID, gen)
	// A result link is a credential: keep it out of search engines.
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	if gz, ok := s.pages.get(key); ok {
		return writeGzippedHTML(c, http.StatusOK, gz)
	}
	a, err := s.db.assessments.Assessment(ctx, token)
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
	res := s.q.Score(a.Ratings)
	p := views.ResultPage{
		Page:      s.page(c, "result.title"),
		Company:   a.Company.Name,
		Role:      a.Role,
		Taken:     formatDate(l, a.CreatedAt),
		ShareURL:  s.shareURL("/r/" + a.Token),
		DeleteURL: "/r/" + a.Token + "/delete",
		// The holder of this page already has its token; the form sends it back, and the
		// new result will never show it (result_retake.go).
		RetakeURL: "/test?previous=" + a.Token,
		TeamURL:   "/r/" + a.Token + "/team",
	}
	p.Charts = true
	if a.Company.Name != "" {
		p.Title = l.F("result.for", views.Args{"Company": a.Company.Name})
	}
	p.PrintFooter = printFooter(p.Title, p.Taken)
	p.MailURL = mailtoURL(l.T("result.mail.subject"), l.F("result.mail.body", views.Args{"Date": p.Taken, "Link": p.ShareURL}))
	if s.mail.Delivers {
		// The server sends it (result_email.go).
		p.MailURL = "/r/" + a.Token + "/email"
	}
	v, err := s.verifyView(c, a)
	if err != nil {
		return p, err
	}
	p.Verify = v
	bench, err := s.pageBenchmark(c, self{source: a.ID}, a.Company, a.QuestionnaireVersion, &res)
	if err != nil {
		return p, err
	}
	rt, err := s.retakeOf(c.Request().Context(), a, &res)
	if err != nil {
		return p, err
	}
	var earlier *assessment.Result
	if rt != nil {
		earlier = &rt.Before
		p.Retake = s.retakeView(l, rt, &res)
	}
	if p.ScoredView, err = s.scoredView(c, &res, a.Company, bench, earlier, "bench.group.missing", "bench.pending"); err != nil {
		return p, err
	}
	p.Downloads = exportLinks(l, "/r/"+a.Token+"/export", "?group="+bench.Group, formatXLSX, formatCSV)
	if bench.Synthetic {
		p.Notice = l.T("bench.demo.notice")
	}
	return p, nil
}

// mailtoURL is a mailto: link without a recipient (the mail program asks, or fills in the
// user's own address) that opens a message with subject and body. RFC 6068 wants spaces as
// %20, not the "+" of query strings.
func mailtoURL(subject, body string) string {
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	return "mailto:?subject=" + esc(subject) + "&body=" + esc(body)
}

// printFooter is the running footer of a printed page: its title and date.
func printFooter(title, date string) string {
	if date == "" {
		return title
	}
	return title + " · " + date
}

// scoredView builds what the result page and a round's report show of a scored set of
// answers: indexes, stage and advice (for the company's profile), radars with the peers'
// medians when bench has a group and with the earlier AS-IS when earlier is the result a
// retake compares with (nil otherwise), the gap table and the sentences. missingKey says why
// a peer group is missing (the test's wording or the client's), pendingKey that the company's
// own answers are not among the published figures (yet).
func (s *Server) scoredView(c echo.Context, res *assessment.Result, profile assessment.Company, bench comparison, earlier *assessment.Result, missingKey, pendingKey string) (views.ScoredView, error) {
	l := loc(c)
	v := views.ScoredView{
		AsIsIndex:    l.Num(res.AsIsIndex, 0),
		ToBeIndex:    l.Num(res.ToBeIndex, 0),
		AsIsIndexPct: clamp(res.AsIsIndex),
		ToBeIndexPct: clamp(res.ToBeIndex),
	}
	v.GapIndex = gapIndex(l, res.AsIsIndex, res.ToBeIndex)
	s.addMaturity(l, &v, res.Stage, profile)
	v.Benchmark = s.benchmarkView(l, profile, bench, c.Request().URL.Path, missingKey, pendingKey)

	catScores, compScores := categoryScores(res), competencyScores(res)
	var catPeers, compPeers []assessment.MetricBenchmark
	if bench.Available {
		catPeers, compPeers = bench.Categories, bench.Competencies
	}
	var catEarlier, compEarlier []assessment.Score
	if earlier != nil {
		catEarlier, compEarlier = categoryScores(earlier), competencyScores(earlier)
		v.EarlierLabel = l.T("chart.earlier")
	}
	var err error
	if v.CategoryChart, v.CategoryRows, err = s.scoreRadar(l, s.categoryLabels(l), s.categoryLabels(l), catScores, catPeers, catEarlier); err != nil {
		return v, fmt.Errorf("category radar: %w", err)
	}
	if v.CompetencyChart, v.CompetencyRows, err = s.scoreRadar(l, s.competencyLabels(l), s.competencyTitles(l), compScores, compPeers, compEarlier); err != nil {
		return v, fmt.Errorf("competency radar: %w", err)
	}
	v.Gaps = s.gapRows(l, res)
	s.addSentences(l, &v, res)
	return v, nil
}

// gapIndex is the difference of the two indexes as they are shown, so that the three shown
// numbers add up (29 and 82 show a gap of +53, never +54).
func gapIndex(l views.Loc, asIs, toBe float64) string {
	return l.Signed(math.Round(toBe)-math.Round(asIs), 0)
}

// addMaturity adds the maturity stages, the current one marked, and the advice that applies
// (assessment.Questionnaire.AdviceFor).
func (s *Server) addMaturity(l views.Loc, p *views.ScoredView, stage assessment.Stage, profile assessment.Company) {
	for _, st := range s.q.Stages {
		v := views.StageView{Key: st.Key, Name: l.Text(st.Name), Description: l.Text(st.Description), From: l.Num(st.From, 0), Current: st.Key == stage.Key}
		p.Stages = append(p.Stages, v)
		if v.Current {
			p.Stage = v
		}
	}
	seg, own := s.q.AdviceFor(stage, profile)
	p.AdviceFor = l.T("result.advice")
	if own {
		p.AdviceFor = l.F("result.advice.years", views.Args{"Years": strings.ToLower(l.Text(seg.Name))})
	}
	p.AdviceTitle = l.Text(seg.Title)
	for _, adv := range seg.Advice {
		p.Advice = append(p.Advice, views.AdviceView{Title: l.Text(adv.Title), Text: l.Text(adv.Text)})
	}
}

// scoreRadar builds a radar of AS-IS and TO-BE, with the peers' median AS-IS as a series
// when peers is not nil and an earlier result's AS-IS when earlier is not nil, and the table
// that says the same in rows; labels name the spokes, rowLabels the table's rows.
func (s *Server) scoreRadar(l views.Loc, labels, rowLabels []string, scores []assessment.Score, peers []assessment.MetricBenchmark, earlier []assessment.Score) (any, []views.ScoreRow, error) {
	scaleMin, scaleMax := float64(s.q.Scale.Min), float64(s.q.Scale.Max)
	axes := make([]chart.Axis, len(labels))
	asIs, toBe := make([]float64, len(scores)), make([]float64, len(scores))
	rows := make([]views.ScoreRow, len(scores))
	for i, sc := range scores {
		axes[i] = chart.Axis{Name: l.Hy(chart.WrapName(labels[i])), Min: scaleMin, Max: scaleMax}
		asIs[i], toBe[i] = sc.AsIs, sc.ToBe
		rows[i] = s.scoreRow(l, rowLabels[i], sc)
	}
	series := []chart.Series{
		{Name: l.T("chart.asis"), Values: asIs, Kind: chart.KindAsIs},
		{Name: l.T("chart.tobe"), Values: toBe, Kind: chart.KindToBe},
	}
	if peers != nil {
		for i, m := range peers {
			rows[i].Peer = l.Num(m.AsIs.Median, 1)
		}
		series = append(series, chart.Series{Name: l.T("chart.peers"), Values: peerMedians(peers), Kind: chart.KindBenchmark})
	}
	if earlier != nil {
		values := make([]float64, len(earlier))
		for i, sc := range earlier {
			values[i] = sc.AsIs
			rows[i].Earlier = l.Num(sc.AsIs, 1)
		}
		series = append(series, chart.Series{Name: l.T("chart.earlier"), Values: values, Kind: chart.KindEarlier})
	}
	opt, err := chart.Radar(axes, series)
	return opt, rows, err
}

// gapRows is the gap table: every competency in priority order.
func (s *Server) gapRows(l views.Loc, res *assessment.Result) []views.GapRow {
	span := float64(s.q.Scale.Max - s.q.Scale.Min)
	rows := make([]views.GapRow, 0, len(res.Priorities))
	for rank, n := range res.Priorities {
		cs := res.Competency(n)
		comp, _ := s.q.Competency(n)
		cat, _ := s.q.Category(comp.Category)
		rows = append(rows, views.GapRow{
			Rank: rank + 1, Number: n, Letter: cat.Letter, Category: l.Text(cat.Name), Name: l.Text(comp.Name), Label: l.Text(comp.Label),
			AsIs: l.Num(cs.AsIs, decimals(cs.AsIs)), ToBe: l.Num(cs.ToBe, decimals(cs.ToBe)), Gap: shownGap(l, cs.AsIs, cs.ToBe),
			BarPct: clamp(math.Abs(cs.Gap) / span * 100), Ahead: cs.Gap < 0,
		})
	}
	return rows
}

// addSentences says the result in words: the top 3 priorities with a positive gap, and the
// 3 strengths (called relative strengths when even the strongest is at most mid-scale).
func (s *Server) addSentences(l views.Loc, p *views.ScoredView, res *assessment.Result) {
	for _, n := range res.Priorities[:min(3, len(res.Priorities))] {
		cs := res.Competency(n)
		if cs.Gap <= 0 {
			break
		}
		comp, _ := s.q.Competency(n)
		cat, _ := s.q.Category(comp.Category)
		p.Priorities = append(p.Priorities, l.F("result.priority.sentence", views.Args{"Name": s.competencyTitle(l, n), "Category": l.Text(cat.Name),
			"AsIs": l.Num(cs.AsIs, decimals(cs.AsIs)), "ToBe": l.Num(cs.ToBe, decimals(cs.ToBe)), "Gap": l.Num(cs.Gap, decimals(cs.Gap)),
			"Count": strconv.FormatFloat(cs.Gap, 'f', decimals(cs.Gap), 64)}))
	}
	if len(res.Strengths) > 0 && res.Competency(res.Strengths[0]).AsIs <= float64(s.q.Scale.Min+s.q.Scale.Max)/2 {
		p.StrengthsRelative = true
	}
	for _, n := range res.Strengths {
		cs := res.Competency(n)
		comp, _ := s.q.Competency(n)
		cat, _ := s.q.Category(comp.Category)
		p.Strengths = append(p.Strengths, l.F("result.strength.sentence", views.Args{"Name": s.competencyTitle(l, n), "Category": l.Text(cat.Name), "AsIs": l.Num(cs.AsIs, decimals(cs.AsIs))}))
	}
}

// categoryScores returns the scores of res's seven categories, in order.
func categoryScores(res *assessment.Result) []assessment.Score {
	out := make([]assessment.Score, len(res.Categories))
	for i, cs := range res.Categories {
		out[i] = cs.Score
	}
	return out
}

// competencyScores returns the scores of res's 21 competencies, in number order.
func competencyScores(res *assessment.Result) []assessment.Score {
	out := make([]assessment.Score, len(res.Competencies))
	for i, cs := range res.Competencies {
		out[i] = cs.Score
	}
	return out
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
	return views.ScoreRow{Label: label, AsIs: l.Num(sc.AsIs, 1), ToBe: l.Num(sc.ToBe, 1), Gap: l.Gap(sc.AsIs, sc.ToBe, 1)}
}

// shownGap is the gap beside an AS-IS and a TO-BE each shown with as many decimals as it
// needs (decimals): their shown difference, with one decimal only when it has one.
func shownGap(l views.Loc, asIs, toBe float64) string {
	g := views.Shown(toBe, decimals(toBe)) - views.Shown(asIs, decimals(asIs))
	g = views.Shown(g, 1)
	return l.Signed(g, decimals(g))
}

// decimals shows whole numbers without decimals and means with one.
func decimals(v float64) int {
	if v == math.Trunc(v) {
		return 0
	}
	return 1
}

func clamp(pct float64) float64 { return max(0, min(100, pct)) }
