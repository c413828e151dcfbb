package web

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// The benchmark over time: how the published medians of a public peer group moved from release
// to release. Only figures a release published are shown (assessment.HistoryPoint), never
// anything recomputed from the pool, so the history tells no more about any company than the
// releases themselves did.

// trendColors tell the seven categories' lines apart; they keep a contrast of at least 3:1 with
// the white card, and neighbours differ in hue and lightness.
var trendColors = []string{"#0b5d7a", "#e08a00", "#7b4f9d", "#2e7d4f", "#c0392b", "#5d6d7e", "#9a7b00"}

// Chart geometry, in viewBox units.
const (
	trendWidth, trendHeight = 640.0, 260.0
	trendLeft, trendRight   = 44.0, 40.0
	trendTop, trendBottom   = 12.0, 30.0
)

// history returns the published history of public group g.
func (s *Server) history(ctx context.Context, g assessment.PeerGroup) ([]assessment.HistoryPoint, error) {
	return s.db.pool.BenchmarkHistory(ctx, s.q.Version, s.demo, g)
}

// trendView draws the history of a group: a line per category of the median AS-IS, the table
// of every release, newest first. One point is a table of one row and a note that lines come
// with the next release.
func (s *Server) trendView(l views.Loc, points []assessment.HistoryPoint) views.TrendView {
	v := views.TrendView{Shown: len(points) > 0, Width: trendWidth, Height: trendHeight}
	if !v.Shown {
		return v
	}
	for _, c := range s.q.Categories {
		v.Categories = append(v.Categories, views.Choice{Value: c.Letter, Label: l.Text(c.Name)})
	}
	for i := len(points) - 1; i >= 0; i-- {
		p := points[i]
		row := views.TrendRow{Date: formatDate(l, p.ReleasedAt), Companies: strconv.Itoa(p.Companies)}
		for _, c := range s.q.Categories {
			row.Values = append(row.Values, l.Num(p.AsIs[c.Key], 1))
		}
		v.Rows = append(v.Rows, row)
	}
	if len(points) < 2 {
		v.Note = l.F("pool.trend.one", views.Args{"Date": formatDate(l, points[0].ReleasedAt)})
		return v
	}
	lo, hi := float64(s.q.Scale.Min), float64(s.q.Scale.Max)
	plotW, plotH := trendWidth-trendLeft-trendRight, trendHeight-trendTop-trendBottom
	x := func(i int) float64 { return trendLeft + plotW*float64(i)/float64(len(points)-1) }
	y := func(m float64) float64 { return trendTop + plotH*(hi-clampTo(m, lo, hi))/(hi-lo) }
	for m := s.q.Scale.Min; m <= s.q.Scale.Max; m++ {
		v.YTicks = append(v.YTicks, views.TrendTick{At: y(float64(m)), Label: strconv.Itoa(m)})
	}
	// The first and the last release are labelled, and at most two between them, far enough
	// apart for a full date each.
	step := max(1, (len(points)+1)/3)
	for i := 0; i < len(points)-1; i += step {
		if len(points)-1-i < step {
			break // too close to the last label
		}
		v.XTicks = append(v.XTicks, views.TrendTick{At: x(i), Label: shortDate(l, points[i].ReleasedAt)})
	}
	v.XTicks = append(v.XTicks, views.TrendTick{At: x(len(points) - 1), Label: shortDate(l, points[len(points)-1].ReleasedAt)})
	for ci, c := range s.q.Categories {
		var b strings.Builder
		for i, p := range points {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x(i), y(p.AsIs[c.Key]))
		}
		last := points[len(points)-1].AsIs[c.Key]
		v.Lines = append(v.Lines, views.TrendLine{Key: c.Key, Letter: c.Letter, Name: l.Text(c.Name),
			Color: trendColors[ci%len(trendColors)], Points: b.String(), EndX: x(len(points) - 1), EndY: y(last)})
	}
	spreadLabels(v.Lines, trendLabelGap)
	return v
}

// trendLabelGap is the least vertical distance between two lines' end letters, so that lines
// ending close together keep legible labels.
const trendLabelGap = 13.0

// spreadLabels moves the lines' end letters apart, top to bottom, keeping their order.
func spreadLabels(lines []views.TrendLine, gap float64) {
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(lines[a].EndY, lines[b].EndY) })
	for k := 1; k < len(order); k++ {
		prev, cur := &lines[order[k-1]], &lines[order[k]]
		if cur.EndY-prev.EndY < gap {
			cur.EndY = prev.EndY + gap
		}
	}
}

// shortDate is a release's date on the chart's axis.
func shortDate(l views.Loc, t time.Time) string { return formatDate(l, t) }

// clampTo keeps v within [lo, hi]: a noisy median may stray off the scale.
func clampTo(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

// apiHistoryPoint is one release in GET /api/v1/benchmark?history=true.
type apiHistoryPoint struct {
	ReleasedAt time.Time          `json:"released_at"`
	Companies  int                `json:"companies"`
	AsIs       map[string]float64 `json:"as_is"`
	ToBe       map[string]float64 `json:"to_be"`
}

func toAPIHistory(points []assessment.HistoryPoint) []apiHistoryPoint {
	out := make([]apiHistoryPoint, 0, len(points))
	for _, p := range points {
		out = append(out, apiHistoryPoint{ReleasedAt: p.ReleasedAt.UTC().Truncate(time.Second), Companies: p.Companies, AsIs: p.AsIs, ToBe: p.ToBe})
	}
	return out
}
