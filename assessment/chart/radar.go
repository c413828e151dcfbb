// Package chart builds ECharts options for the assessment's charts with go-echarts and emits
// them as JSON only.
//
// The JSON is meant for templ.JSONScript (a <script type="application/json"> element that
// escapes "<") and is started by static/js/app.js. go-echarts' own Render and RenderSnippet are
// deliberately not used: they write the data into an inline <script> without HTML escaping (a
// company name containing "</script>" would be stored XSS), need 'unsafe-inline' in the CSP,
// re-parse templates on every call and load ECharts from the internet.
package chart

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Series kinds. Each kind has a fixed style, so AS-IS, TO-BE, benchmark and an earlier
// result look the same on every chart of the application.
const (
	KindAsIs      = "as_is"
	KindToBe      = "to_be"
	KindBenchmark = "benchmark"
	// KindEarlier is the AS-IS of an earlier result, on the radars of a retake.
	KindEarlier = "earlier"
)

// Fixed palette, chosen to stay distinguishable for the common colour-vision deficiencies:
// a deep teal-blue against a warm amber, a neutral grey (also dashed) for the benchmark and
// a violet (also dotted, and unfilled) for an earlier result. Line style tells the two
// reference lines apart where colour does not.
const (
	ColorAsIs      = "#0b5d7a"
	ColorToBe      = "#e08a00"
	ColorBenchmark = "#8a9099"
	ColorEarlier   = "#7b4f9d"
)

// Series is one polygon of a radar chart. Values are in the same order as the axes passed to
// Radar (reading order); Name is the user-visible, already localized legend label.
type Series struct {
	Name   string
	Values []float64
	// Kind is KindAsIs, KindToBe, KindBenchmark or KindEarlier and selects the style.
	Kind string
}

// Axis is one indicator (spoke) of a radar chart. Name is the user-visible, already localized
// label, for example "L · Leadership Commitment" or "1 Conceptual Alignment". Values are drawn
// from Min at the centre to Max at the rim.
type Axis struct {
	Name string
	Max  float64
	Min  float64
}

// animationMs keeps the entry animation short: the chart is read, not watched, and browser
// tests wait for ECharts' "finished" event.
const animationMs = 300

// Radar returns the ECharts option JSON of a radar chart with one indicator per axis and one
// polygon per series.
//
// Axes and every series' values are given in reading order (L-O-Y-A-L-T-Y, or competencies
// 1-21). ECharts 5 lays radar indicators out counter-clockwise starting at the top, so Radar
// reorders them to [a0, a(n-1), a(n-2), …, a1] (and every series' values the same way): on
// screen the first axis is at the top and the others follow clockwise, the way people read a
// dial. Code that reads the option back (a tooltip, a test) must apply the inverse order.
//
// Values, Min and Max are rounded to 2 decimals: the chart is for display, the exact scores
// live elsewhere. Names are data: the JSON escapes "<", ">" and "&", and the caller embeds it
// with templ.JSONScript, never in an inline script.
//
// Radar fails if there are fewer than 3 axes, an axis has Max <= Min or Max == 0, a series has
// the wrong number of values, a value is NaN or infinite, or a kind is unknown.
func Radar(axes []Axis, series []Series) (json.RawMessage, error) {
	if len(axes) < 3 {
		return nil, fmt.Errorf("radar chart: %d axes, want at least 3", len(axes))
	}
	for i, a := range axes {
		if !finite(a.Min) || !finite(a.Max) || round2(a.Max) <= round2(a.Min) {
			return nil, fmt.Errorf("radar chart: axis %d (%q): max %g must be greater than min %g", i+1, a.Name, a.Max, a.Min)
		}
		if round2(a.Max) == 0 {
			// go-echarts omits a zero max, and ECharts would then pick its own.
			return nil, fmt.Errorf("radar chart: axis %d (%q): max must not be 0", i+1, a.Name)
		}
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("radar chart: no series")
	}

	order := clockwise(len(axes))
	indicators := make([]*opts.Indicator, len(axes))
	for i, src := range order {
		a := axes[src]
		indicators[i] = &opts.Indicator{Name: a.Name, Max: float32(round2(a.Max)), Min: float32(round2(a.Min))}
	}

	r := charts.NewRadar()
	colors := make([]string, 0, len(series))
	for _, s := range series {
		if len(s.Values) != len(axes) {
			return nil, fmt.Errorf("radar chart: series %q has %d values, want one for each of the %d axes", s.Name, len(s.Values), len(axes))
		}
		st, ok := styles[s.Kind]
		if !ok {
			return nil, fmt.Errorf("radar chart: series %q has unknown kind %q", s.Name, s.Kind)
		}
		values := make([]float64, len(order))
		for i, src := range order {
			v := s.Values[src]
			if !finite(v) {
				return nil, fmt.Errorf("radar chart: series %q: value %d (%q) is %g, want a finite number", s.Name, src+1, axes[src].Name, v)
			}
			values[i] = round2(v)
		}
		colors = append(colors, st.color)
		r.AddSeries(s.Name, []opts.RadarData{{Name: s.Name, Value: values}}, st.options()...)
	}

	r.SetGlobalOptions(
		charts.WithColorsOpts(colors),
		charts.WithAnimation(true),
		charts.WithLegendOpts(opts.Legend{
			Show:      opts.Bool(true),
			Bottom:    "0",
			Icon:      "roundRect",
			TextStyle: &opts.TextStyle{Color: "#333", FontSize: 13},
		}),
		// The tooltip's HTML is built by static/js/app.js with textContent; see safeTooltip there.
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithRadarComponentOpts(opts.RadarComponent{
			Indicator:   indicators,
			Shape:       "polygon",
			SplitNumber: splitNumber(axes),
			Center:      []string{"50%", "48%"},
			SplitLine:   &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#d5dbe0", Width: 1}},
			AxisLine:    &opts.AxisLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#c3cbd2", Width: 1}},
			AxisName:    &opts.AxisName{Color: "#333", FontSize: 12},
		}),
	)
	r.Validate()

	option := r.JSON()
	// go-echarts types splitArea.areaStyle.color as one string; ECharts alternates the colours
	// of an array, which gives the rings a subtle banding instead of a flat tint.
	option["radar"] = radarComponent{
		RadarComponent: r.RadarComponent,
		SplitArea:      &splitArea{Show: true, AreaStyle: splitAreaStyle{Color: []string{"rgba(11,93,122,0.02)", "rgba(11,93,122,0.055)"}}},
		Radius:         radius(len(axes)),
		AxisName:       &axisName{Color: "#333", FontSize: 12, Width: 96, Overflow: "break", LineHeight: 14},
	}
	// Chart-wide timing; go-echarts only passes "animation" through.
	option["animationDuration"] = animationMs
	option["animationDurationUpdate"] = animationMs

	b, err := json.Marshal(option)
	if err != nil {
		return nil, fmt.Errorf("radar chart: encode option: %w", err)
	}
	return b, nil
}

// clockwise returns, for each ECharts indicator position, the index of the axis (in reading
// order) to put there: [0, n-1, n-2, …, 1].
func clockwise(n int) []int {
	order := make([]int, n)
	for i := 1; i < n; i++ {
		order[i] = n - i
	}
	return order
}

// splitNumber draws one ring per scale step when every axis shares a small whole-number range
// (a 1-5 scale gets 4 rings), and leaves ECharts' default of 5 otherwise.
func splitNumber(axes []Axis) int {
	lo, hi := round2(axes[0].Min), round2(axes[0].Max)
	for _, a := range axes[1:] {
		if round2(a.Min) != lo || round2(a.Max) != hi {
			return 0
		}
	}
	steps := hi - lo
	if steps == math.Trunc(steps) && steps >= 2 && steps <= 10 {
		return int(steps)
	}
	return 0
}

type style struct {
	color     string
	lineType  string
	lineWidth float32
	area      float32 // fill opacity; 0 for none
	symbol    string
}

var styles = map[string]style{
	KindAsIs:      {color: ColorAsIs, lineType: "solid", lineWidth: 2, area: 0.18, symbol: "circle"},
	KindToBe:      {color: ColorToBe, lineType: "solid", lineWidth: 2, area: 0.08, symbol: "circle"},
	KindBenchmark: {color: ColorBenchmark, lineType: "dashed", lineWidth: 1.5, symbol: "none"},
	KindEarlier:   {color: ColorEarlier, lineType: "dotted", lineWidth: 2, symbol: "none"},
}

func (st style) options() []charts.SeriesOpts {
	o := []charts.SeriesOpts{
		charts.WithItemStyleOpts(opts.ItemStyle{Color: st.color}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: st.color, Width: st.lineWidth, Type: st.lineType}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Symbol = st.symbol
			s.SymbolSize = 5
		}),
		charts.WithAnimationOpts(opts.Animation{AnimationDuration: animationMs, AnimationDurationUpdate: animationMs}),
	}
	if st.area > 0 {
		o = append(o, charts.WithAreaStyleOpts(opts.AreaStyle{Color: st.color, Opacity: opts.Float(st.area)}))
	}
	return o
}

// radarComponent overrides the SplitArea of go-echarts' RadarComponent: the shallower field
// wins in encoding/json.
type radarComponent struct {
	opts.RadarComponent
	SplitArea *splitArea `json:"splitArea,omitempty"`
	// Radius leaves room around the polygon for the axis names, which go-echarts cannot set.
	Radius string `json:"radius,omitempty"`
	// AxisName replaces go-echarts' type to add width and overflow: long names such as
	// "Organizational Mobilization" wrap onto two lines instead of being cut at the edge.
	AxisName *axisName `json:"axisName,omitempty"`
}

type axisName struct {
	Color      string `json:"color"`
	FontSize   int    `json:"fontSize"`
	Width      int    `json:"width"`
	Overflow   string `json:"overflow"`
	LineHeight int    `json:"lineHeight"`
}

type splitArea struct {
	Show      bool           `json:"show"`
	AreaStyle splitAreaStyle `json:"areaStyle"`
}

type splitAreaStyle struct {
	Color []string `json:"color"`
}

func round2(v float64) float64 {
	r := math.Round(v*100) / 100
	if r == 0 {
		return 0 // no "-0" in the JSON
	}
	return r
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// radius leaves more room for names when there are many: 21 competency names around the rim
// need more space than 7 category names.
func radius(axes int) string {
	if axes > 12 {
		return "57%"
	}
	return "68%"
}

// wrapAt is the length above which an axis name is split over two lines.
const wrapAt = 14

// minLine is the shortest line WrapName leaves.
const minLine = 5

// WrapName breaks a long axis name at the space nearest its middle, so that names such as
// "Organizational Mobilization" take two short lines beside the polygon instead of one long
// line that runs off a phone's screen. ECharts draws "\n" as a line break. Neither line is
// left shorter than minLine runes, so a prefix such as "O ·" is never a line of its own.
func WrapName(name string) string {
	runes := []rune(name)
	if len(runes) <= wrapAt {
		return name
	}
	mid, best := len(runes)/2, -1
	for i, r := range runes {
		if r == ' ' && i >= minLine && len(runes)-i-1 >= minLine && (best < 0 || abs(i-mid) < abs(best-mid)) {
			best = i
		}
	}
	if best <= 0 || best >= len(runes)-1 {
		return name
	}
	return string(runes[:best]) + "\n" + string(runes[best+1:])
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
