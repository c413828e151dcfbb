package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

// overview is what the overview shows of the current release: the groups it may offer
// (assessment.ShownGroups) and the one asked for.
type overview struct {
	release *assessment.Release
	groups  []assessment.PeerGroupSize
	summary assessment.PoolSummary
	// asOf is the date of the group's figures (zero when there are none).
	asOf time.Time
}

// describeGroup summarises peer group g as the current release publishes it. A group the
// overview may not show is ENOTFOUND: asking for it by URL reveals nothing.
func (s *Server) describeGroup(ctx context.Context, g assessment.PeerGroup) (overview, error) {
	var o overview
	var err error
	if o.release, err = s.release(ctx); err != nil {
		return o, err
	}
	o.groups = s.q.ShownGroups(o.release.Sizes())
	if !assessment.ShowsGroup(o.groups, g) {
		return o, assessment.NewError(assessment.ENOTFOUND, assessment.MsgPoolGroupNotFound,
			assessment.Args{"Group": g.Group, "Value": strconv.Quote(g.Value), "Min": assessment.MinPeers})
	}
	rg, ok := o.release.Group(g)
	if !ok {
		return o, nil // all companies, not published yet: nothing to describe
	}
	pool, err := s.db.pool.ReleasePool(ctx, s.q, rg.Content)
	if err != nil {
		return o, err
	}
	o.summary, o.asOf = s.q.DescribePool(pool), rg.AsOf
	return o, nil
}

// requestedPoolGroup reads ?group= and ?value= of the overview.
func requestedPoolGroup(c echo.Context) assessment.PeerGroup {
	g := assessment.PeerGroup{Group: requestedGroup(c), Value: c.QueryParam("value")}
	if g.Group == assessment.GroupAll {
		g.Value = ""
	}
	return g
}

// benchmarkOverview shows the whole pool, or one peer group of it, as the current release
// publishes it, in the deck's words: on how many competencies the companies are mediocre,
// what is in place and what is missing. Only groups the release publishes are offered or
// shown.
func (s *Server) benchmarkOverview(c echo.Context) error {
	ctx := c.Request().Context()
	l := loc(c)
	p := views.PoolPage{Page: s.page(c, "pool.title")}
	p.PrintFooter = printFooter(l.T("pool.title"), formatDate(l, s.now()))
	want := requestedPoolGroup(c)
	o, err := s.describeGroup(ctx, want)
	if err != nil {
		return err
	}
	points, err := s.history(ctx, want)
	if err != nil {
		return err
	}
	p.Trend = s.trendView(l, points)
	p.Groups = []views.GroupLink{{Key: assessment.GroupAll, Label: l.T("bench.group.all"), URL: "/benchmark", Current: want.Group == assessment.GroupAll}}
	for _, g := range o.groups {
		p.Groups = append(p.Groups, views.GroupLink{Key: g.Group + ":" + g.Value, Label: s.groupLabel(l, g.Group, profileFor(g.Group, g.Value)),
			Current: g.Group == want.Group && g.Value == want.Value, URL: "/benchmark?group=" + g.Group + "&value=" + g.Value})
	}
	sum := o.summary
	p.Available = sum.Available
	if !sum.Available {
		p.Unavailable = l.F("bench.unavailable", views.Args{"Min": assessment.MinPeers})
		return render(c, http.StatusOK, views.Pool(p))
	}
	if sum.Synthetic {
		p.Notice = l.T("bench.demo.notice")
	}
	p.Heading = l.N("pool.companies", sum.Companies)
	p.AsOf = l.F("pool.asof", views.Args{"Date": formatDate(l, o.asOf)})
	p.Sentences = s.poolSentences(l, sum)
	first := 1 + len(s.q.Themes)
	var axes []chart.Axis
	var asIs, toBe []float64
	for i, cat := range s.q.Categories {
		axes = append(axes, chart.Axis{Name: chart.WrapName(cat.Letter + " · " + l.Text(cat.Name)), Min: float64(s.q.Scale.Min), Max: float64(s.q.Scale.Max)})
		asIs = append(asIs, sum.AsIs[first+i].Median)
		toBe = append(toBe, sum.ToBe[first+i].Median)
	}
	opt, err := chart.Radar(axes, []chart.Series{
		{Name: l.T("pool.median.asis"), Values: asIs, Kind: chart.KindAsIs},
		{Name: l.T("pool.median.tobe"), Values: toBe, Kind: chart.KindToBe},
	})
	if err != nil {
		return fmt.Errorf("pool radar: %w", err)
	}
	p.Chart = opt
	p.Charts = true
	firstComp := first + len(s.q.Categories)
	for i, comp := range s.q.Competencies {
		cat, _ := s.q.Category(comp.Category)
		a, b := sum.AsIs[firstComp+i], sum.ToBe[firstComp+i]
		p.Rows = append(p.Rows, views.PoolRow{
			Number: strconv.Itoa(comp.Number), Letter: cat.Letter, Name: l.Text(comp.Name), Label: l.Text(comp.Label),
			Median: l.Num(a.Median, 1), Range: l.Num(a.P25, 1) + "–" + l.Num(a.P75, 1), ToBe: l.Num(b.Median, 1),
			Level: sum.Levels[i], LevelText: l.T("pool.level." + sum.Levels[i]),
		})
	}
	return render(c, http.StatusOK, views.Pool(p))
}

// profileFor returns a company profile with one group value set, to reuse groupLabel.
func profileFor(group, value string) assessment.Company {
	switch group {
	case assessment.GroupIndustry:
		return assessment.Company{Industry: value}
	case assessment.GroupSize:
		return assessment.Company{Size: value}
	case assessment.GroupNPSYears:
		return assessment.Company{NPSYears: value}
	}
	return assessment.Company{}
}

// poolSentences writes a group's picture the way the source deck does for its 50+
// companies.
func (s *Server) poolSentences(l views.Loc, sum assessment.PoolSummary) []string {
	names := func(numbers []int) string { return s.competencyList(l, numbers) }
	out := []string{l.F("pool.s.mediocre", views.Args{"Count": sum.Counts[assessment.LevelMediocre], "Total": len(s.q.Competencies)})}
	if len(sum.InPlace) > 0 {
		out = append(out, l.F("pool.s.inplace", views.Args{"List": names(sum.InPlace)}))
	}
	if len(sum.Missing) > 0 {
		out = append(out, l.F("pool.s.missing", views.Args{"List": names(sum.Missing)}))
	} else {
		out = append(out, l.T("pool.s.missing.none"))
	}
	return out
}

type apiPoolGroup struct {
	Group     string `json:"group"`
	Value     string `json:"value,omitempty"`
	Companies int    `json:"companies"`
}

// apiPoolStats are a group's statistics of one metric; without a subject there is no
// percentile.
type apiPoolStats struct {
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	P25    float64 `json:"p25"`
	P75    float64 `json:"p75"`
}

type apiPoolCompetency struct {
	Level string       `json:"level"`
	AsIs  apiPoolStats `json:"as_is"`
	ToBe  apiPoolStats `json:"to_be"`
}

// apiRelease says which release figures come from.
type apiRelease struct {
	// ID and ReleasedAt identify the release; AsOf is the date of the group's figures, which a
	// release may keep from an earlier one. Times are RFC 3339, UTC, whole seconds.
	ID         int64     `json:"id"`
	ReleasedAt time.Time `json:"released_at"`
	AsOf       time.Time `json:"as_of"`
}

func toAPIRelease(r *assessment.Release, rg assessment.ReleasedGroup) *apiRelease {
	return &apiRelease{ID: r.ID, ReleasedAt: r.MadeAt.UTC().Truncate(time.Second), AsOf: rg.AsOf.UTC().Truncate(time.Second)}
}

type apiPool struct {
	Group        string                       `json:"group"`
	Value        string                       `json:"value,omitempty"`
	Available    bool                         `json:"available"`
	Release      *apiRelease                  `json:"release,omitempty"`
	Companies    int                          `json:"companies,omitempty"`
	Synthetic    bool                         `json:"synthetic,omitempty"`
	Counts       map[string]int               `json:"counts,omitempty"`
	InPlace      []int                        `json:"in_place,omitempty"`
	Missing      []int                        `json:"missing,omitempty"`
	Competencies map[string]apiPoolCompetency `json:"competencies,omitempty"`
	Summary      []string                     `json:"summary,omitempty"`
	Groups       []apiPoolGroup               `json:"groups"`
	// History is the benchmark over time (?history=true): what every release published of the
	// group, oldest first.
	History []apiHistoryPoint `json:"history,omitempty"`
}

// apiBenchmarkOverview is the overview as JSON: GET /api/v1/benchmark?group=&value=&lang=&history=.
// Statistics are unrounded (and carry the release's noise); there are no percentiles (there
// is no subject company).
func (s *Server) apiBenchmarkOverview(c echo.Context) error {
	g := requestedPoolGroup(c)
	o, err := s.describeGroup(c.Request().Context(), g)
	if err != nil {
		return err
	}
	sum := o.summary
	out := apiPool{Group: g.Group, Value: g.Value, Available: sum.Available, Groups: []apiPoolGroup{}}
	for _, g := range o.groups {
		out.Groups = append(out.Groups, apiPoolGroup{Group: g.Group, Value: g.Value, Companies: g.Companies})
	}
	if sum.Available {
		rg, _ := o.release.Group(g)
		out.Release = toAPIRelease(o.release, rg)
		out.Companies, out.Synthetic, out.Counts, out.InPlace, out.Missing = sum.Companies, sum.Synthetic, sum.Counts, sum.InPlace, sum.Missing
		out.Summary = s.poolSentences(loc(c), sum)
		out.Competencies = map[string]apiPoolCompetency{}
		first := 1 + len(s.q.Themes) + len(s.q.Categories)
		for i, comp := range s.q.Competencies {
			a, b := sum.AsIs[first+i], sum.ToBe[first+i]
			out.Competencies[strconv.Itoa(comp.Number)] = apiPoolCompetency{Level: sum.Levels[i],
				AsIs: apiPoolStats{Mean: a.Mean, Median: a.Median, P25: a.P25, P75: a.P75},
				ToBe: apiPoolStats{Mean: b.Mean, Median: b.Median, P25: b.P25, P75: b.P75}}
		}
	}
	if c.QueryParam("history") == "true" {
		points, err := s.history(c.Request().Context(), g)
		if err != nil {
			return err
		}
		out.History = toAPIHistory(points)
	}
	return c.JSON(http.StatusOK, out)
}
