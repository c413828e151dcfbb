package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// option is the part of an ECharts radar option the tests look at.
type option struct {
	Animation         bool `json:"animation"`
	AnimationDuration int  `json:"animationDuration"`
	Legend            struct {
		Data   []string `json:"data"`
		Bottom string   `json:"bottom"`
	} `json:"legend"`
	Tooltip struct {
		Trigger string `json:"trigger"`
	} `json:"tooltip"`
	Radar struct {
		Indicator []struct {
			Name string  `json:"name"`
			Max  float64 `json:"max"`
			Min  float64 `json:"min"`
		} `json:"indicator"`
		Shape       string `json:"shape"`
		SplitNumber int    `json:"splitNumber"`
		SplitArea   struct {
			Show      bool `json:"show"`
			AreaStyle struct {
				Color []string `json:"color"`
			} `json:"areaStyle"`
		} `json:"splitArea"`
	} `json:"radar"`
	Series []struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Data []struct {
			Name  string    `json:"name"`
			Value []float64 `json:"value"`
		} `json:"data"`
		Symbol    string `json:"symbol"`
		ItemStyle struct {
			Color string `json:"color"`
		} `json:"itemStyle"`
		LineStyle struct {
			Color string `json:"color"`
			Type  string `json:"type"`
		} `json:"lineStyle"`
		AreaStyle *struct {
			Color   string  `json:"color"`
			Opacity float64 `json:"opacity"`
		} `json:"areaStyle"`
	} `json:"series"`
}

func decode(t *testing.T, b json.RawMessage) option {
	t.Helper()
	if !json.Valid(b) {
		t.Fatalf("Radar returned invalid JSON: %s", b)
	}
	var o option
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatalf("unmarshal option: %v\n%s", err, b)
	}
	return o
}

// loyalty is the seven L-O-Y-A-L-T-Y categories in reading order, with a 1-5 scale.
func loyalty() []Axis {
	names := []string{"L · Leadership", "O · Organisation", "Y · Yield", "A · Alignment", "L · Listening", "T · Tactics", "Y · You"}
	axes := make([]Axis, len(names))
	for i, n := range names {
		axes[i] = Axis{Name: n, Min: 1, Max: 5}
	}
	return axes
}

func indicatorNames(o option) []string {
	var names []string
	for _, ind := range o.Radar.Indicator {
		names = append(names, ind.Name)
	}
	return names
}

func TestRadarIndicatorsReadClockwise(t *testing.T) {
	b, err := Radar(loyalty(), []Series{{Name: "AS-IS", Kind: KindAsIs, Values: []float64{1, 2, 3, 4, 5, 4, 3}}})
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, b)
	// ECharts places indicator 0 at the top and the rest counter-clockwise, so the list must
	// be: first axis, then the others backwards.
	want := []string{"L · Leadership", "Y · You", "T · Tactics", "L · Listening", "A · Alignment", "Y · Yield", "O · Organisation"}
	if got := indicatorNames(o); !slices.Equal(got, want) {
		t.Errorf("indicators = %q, want %q", got, want)
	}
}

func TestRadarReordersEverySeriesLikeTheAxes(t *testing.T) {
	axes := loyalty()
	// Distinct ranges per axis so a max/min attached to the wrong indicator shows.
	for i := range axes {
		axes[i].Min = float64(i)
		axes[i].Max = float64(10 + i)
	}
	series := []Series{
		{Name: "AS-IS", Kind: KindAsIs, Values: []float64{1, 2, 3, 4, 5, 6, 7}},
		{Name: "TO-BE", Kind: KindToBe, Values: []float64{10, 20, 30, 40, 50, 60, 70}},
		{Name: "Benchmark", Kind: KindBenchmark, Values: []float64{1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5}},
	}
	b, err := Radar(axes, series)
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, b)

	wantValues := [][]float64{
		{1, 7, 6, 5, 4, 3, 2},
		{10, 70, 60, 50, 40, 30, 20},
		{1.5, 7.5, 6.5, 5.5, 4.5, 3.5, 2.5},
	}
	if len(o.Series) != 3 {
		t.Fatalf("%d series, want 3", len(o.Series))
	}
	for i, s := range o.Series {
		if s.Name != series[i].Name || s.Type != "radar" {
			t.Errorf("series %d = %q type %q, want %q type radar", i, s.Name, s.Type, series[i].Name)
		}
		if len(s.Data) != 1 {
			t.Fatalf("series %q has %d data items, want 1", s.Name, len(s.Data))
		}
		if got := s.Data[0].Value; !slices.Equal(got, wantValues[i]) {
			t.Errorf("series %q values = %v, want %v", s.Name, got, wantValues[i])
		}
	}

	wantMin := []float64{0, 6, 5, 4, 3, 2, 1}
	for i, ind := range o.Radar.Indicator {
		if ind.Min != wantMin[i] || ind.Max != wantMin[i]+10 {
			t.Errorf("indicator %d (%q) min/max = %g/%g, want %g/%g", i, ind.Name, ind.Min, ind.Max, wantMin[i], wantMin[i]+10)
		}
	}
	if got, want := o.Legend.Data, []string{"AS-IS", "TO-BE", "Benchmark"}; !slices.Equal(got, want) {
		t.Errorf("legend = %q, want %q", got, want)
	}
}

func TestRadarMaxMin(t *testing.T) {
	b, err := Radar([]Axis{{Name: "a", Min: 1, Max: 5}, {Name: "b", Min: 1, Max: 5}, {Name: "c", Min: 1, Max: 5}},
		[]Series{{Name: "x", Kind: KindAsIs, Values: []float64{1, 3, 5}}})
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, b)
	for _, ind := range o.Radar.Indicator {
		if ind.Min != 1 || ind.Max != 5 {
			t.Errorf("indicator %q min/max = %g/%g, want 1/5", ind.Name, ind.Min, ind.Max)
		}
	}
	if o.Radar.SplitNumber != 4 {
		t.Errorf("splitNumber = %d, want 4 (one ring per step of a 1-5 scale)", o.Radar.SplitNumber)
	}
	if !bytes.Contains(b, []byte(`"min":1`)) || !bytes.Contains(b, []byte(`"max":5`)) {
		t.Errorf("JSON lacks explicit min/max: %s", b)
	}
}

func TestRadarSplitNumberDefaultsForWideRanges(t *testing.T) {
	axes := []Axis{{Name: "a", Max: 100}, {Name: "b", Max: 100}, {Name: "c", Max: 100}}
	b, err := Radar(axes, []Series{{Name: "x", Kind: KindAsIs, Values: []float64{10, 20, 30}}})
	if err != nil {
		t.Fatal(err)
	}
	if o := decode(t, b); o.Radar.SplitNumber != 0 {
		t.Errorf("splitNumber = %d, want it left to ECharts (0-100 is not one ring per step)", o.Radar.SplitNumber)
	}
}

func TestRadarRoundsValuesToTwoDecimals(t *testing.T) {
	axes := []Axis{{Name: "a", Min: 1, Max: 5}, {Name: "b", Min: 1, Max: 5}, {Name: "c", Min: 1, Max: 5}}
	b, err := Radar(axes, []Series{{Name: "x", Kind: KindAsIs, Values: []float64{3.14159, 2.0 + 2.0/3, -0.001}}})
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, b)
	// Reordered: [a, c, b].
	if got, want := o.Series[0].Data[0].Value, []float64{3.14, 0, 2.67}; !slices.Equal(got, want) {
		t.Errorf("values = %v, want %v", got, want)
	}
	if bytes.Contains(b, []byte("3.141")) || bytes.Contains(b, []byte("2.666")) || bytes.Contains(b, []byte("-0")) {
		t.Errorf("JSON holds unrounded or negative-zero values: %s", b)
	}
}

func TestRadarStylesByKind(t *testing.T) {
	axes := loyalty()
	v := []float64{1, 2, 3, 4, 5, 4, 3}
	b, err := Radar(axes, []Series{
		{Name: "Benchmark", Kind: KindBenchmark, Values: v},
		{Name: "AS-IS", Kind: KindAsIs, Values: v},
		{Name: "TO-BE", Kind: KindToBe, Values: v},
		{Name: "AS-IS earlier", Kind: KindEarlier, Values: v},
	})
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, b)
	tests := []struct {
		color, line string
		area        bool
	}{
		{ColorBenchmark, "dashed", false},
		{ColorAsIs, "solid", true},
		{ColorToBe, "solid", true},
		{ColorEarlier, "dotted", false},
	}
	for i, tt := range tests {
		s := o.Series[i]
		if s.ItemStyle.Color != tt.color || s.LineStyle.Color != tt.color || s.LineStyle.Type != tt.line {
			t.Errorf("series %q: item %s, line %s %s; want %s, %s", s.Name, s.ItemStyle.Color, s.LineStyle.Color, s.LineStyle.Type, tt.color, tt.line)
		}
		if (s.AreaStyle != nil) != tt.area {
			t.Errorf("series %q: areaStyle present = %v, want %v", s.Name, s.AreaStyle != nil, tt.area)
		}
	}
	if o.Radar.Shape != "polygon" {
		t.Errorf("radar shape = %q, want polygon", o.Radar.Shape)
	}
	if !o.Radar.SplitArea.Show || len(o.Radar.SplitArea.AreaStyle.Color) != 2 {
		t.Errorf("splitArea = %+v, want shown with two alternating colours", o.Radar.SplitArea)
	}
	if o.Legend.Bottom != "0" {
		t.Errorf("legend bottom = %q, want 0", o.Legend.Bottom)
	}
	if !o.Animation || o.AnimationDuration != animationMs {
		t.Errorf("animation = %v, %d ms; want true, %d ms", o.Animation, o.AnimationDuration, animationMs)
	}
	if o.Tooltip.Trigger != "item" {
		t.Errorf("tooltip trigger = %q, want item", o.Tooltip.Trigger)
	}
}

func TestRadarKeepsScriptTagsAsData(t *testing.T) {
	const evil = `Acme </script><script>alert(1)</script> & "Co" <!--`
	axes := []Axis{{Name: evil, Min: 1, Max: 5}, {Name: "b", Min: 1, Max: 5}, {Name: "c", Min: 1, Max: 5}}
	b, err := Radar(axes, []Series{{Name: evil, Kind: KindAsIs, Values: []float64{1, 2, 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("<")) || bytes.Contains(b, []byte(">")) {
		t.Errorf("JSON contains a raw < or >: %s", b)
	}
	o := decode(t, b)
	if got := o.Radar.Indicator[0].Name; got != evil {
		t.Errorf("indicator name = %q, want %q", got, evil)
	}
	if got := o.Series[0].Name; got != evil {
		t.Errorf("series name = %q, want %q", got, evil)
	}
	if got := o.Series[0].Data[0].Name; got != evil {
		t.Errorf("data name = %q, want %q", got, evil)
	}
	if got := o.Legend.Data; len(got) != 1 || got[0] != evil {
		t.Errorf("legend = %q, want [%q]", got, evil)
	}
}

func TestRadarIsDeterministic(t *testing.T) {
	s := []Series{{Name: "AS-IS", Kind: KindAsIs, Values: []float64{1, 2, 3, 4, 5, 4, 3}}}
	a, err := Radar(loyalty(), s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Radar(loyalty(), s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("two calls with the same input differ:\n%s\n%s", a, b)
	}
}

func TestRadarDoesNotModifyInput(t *testing.T) {
	axes := loyalty()
	values := []float64{1.234, 2, 3, 4, 5, 4, 3}
	if _, err := Radar(axes, []Series{{Name: "x", Kind: KindAsIs, Values: values}}); err != nil {
		t.Fatal(err)
	}
	if values[0] != 1.234 || values[1] != 2 || values[6] != 3 {
		t.Errorf("values changed to %v", values)
	}
	if axes[1].Name != "O · Organisation" {
		t.Errorf("axes changed: %v", axes)
	}
}

func TestRadarErrors(t *testing.T) {
	three := []Axis{{Name: "a", Min: 1, Max: 5}, {Name: "b", Min: 1, Max: 5}, {Name: "c", Min: 1, Max: 5}}
	ok := []Series{{Name: "x", Kind: KindAsIs, Values: []float64{1, 2, 3}}}
	tests := []struct {
		name   string
		axes   []Axis
		series []Series
		want   string
	}{
		{"two axes", three[:2], []Series{{Name: "x", Kind: KindAsIs, Values: []float64{1, 2}}}, "2 axes, want at least 3"},
		{"no series", three, nil, "no series"},
		{"short series", three, []Series{{Name: "x", Kind: KindAsIs, Values: []float64{1, 2}}}, `series "x" has 2 values`},
		{"long series", three, []Series{{Name: "x", Kind: KindAsIs, Values: []float64{1, 2, 3, 4}}}, `series "x" has 4 values`},
		{"unknown kind", three, []Series{{Name: "x", Kind: "asis", Values: []float64{1, 2, 3}}}, `unknown kind "asis"`},
		{"empty kind", three, []Series{{Name: "x", Values: []float64{1, 2, 3}}}, `unknown kind ""`},
		{"NaN value", three, []Series{{Name: "x", Kind: KindAsIs, Values: []float64{1, math.NaN(), 3}}}, `value 2 ("b") is NaN`},
		{"infinite value", three, []Series{{Name: "x", Kind: KindAsIs, Values: []float64{1, 2, math.Inf(1)}}}, `value 3 ("c") is +Inf`},
		{"max equals min", []Axis{three[0], {Name: "b", Min: 5, Max: 5}, three[2]}, ok, `axis 2 ("b"): max 5 must be greater than min 5`},
		{"max below min", []Axis{three[0], three[1], {Name: "c", Min: 5, Max: 1}}, ok, `axis 3 ("c"): max 1`},
		{"zero max", []Axis{{Name: "a", Min: -4, Max: 0}, three[1], three[2]}, ok, `axis 1 ("a"): max must not be 0`},
		{"NaN max", []Axis{{Name: "a", Min: 0, Max: math.NaN()}, three[1], three[2]}, ok, `axis 1 ("a")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Radar(tt.axes, tt.series)
			if err == nil {
				t.Fatalf("Radar = %s, nil; want error containing %q", b, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Radar error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestClockwise(t *testing.T) {
	tests := []struct {
		n    int
		want []int
	}{
		{3, []int{0, 2, 1}},
		{4, []int{0, 3, 2, 1}},
		{7, []int{0, 6, 5, 4, 3, 2, 1}},
	}
	for _, tt := range tests {
		if got := clockwise(tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("clockwise(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func BenchmarkRadar(b *testing.B) {
	axes := make([]Axis, 21)
	asIs := make([]float64, 21)
	toBe := make([]float64, 21)
	for i := range axes {
		axes[i] = Axis{Name: fmt.Sprintf("%d Competency name of ordinary length", i+1), Min: 1, Max: 5}
		asIs[i] = float64(1 + i%5)
		toBe[i] = float64(1+(i+2)%5) + 0.333
	}
	series := []Series{{Name: "AS-IS", Kind: KindAsIs, Values: asIs}, {Name: "TO-BE", Kind: KindToBe, Values: toBe}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Radar(axes, series); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWrapName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Short name", "Short name"},
		{"O · Organizational Mobilization", "O · Organizational\nMobilization"},
		{"1 Conceptual Alignment", "1 Conceptual\nAlignment"},
		{"Supercalifragilistic", "Supercalifragilistic"},
		{"O · Organisation", "O · Organisation"},
		{"13 Must Win Battles", "13 Must\nWin Battles"},
	}
	for _, tt := range tests {
		if got := WrapName(tt.in); got != tt.want {
			t.Errorf("wrapName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
