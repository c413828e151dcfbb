package views

// PoolPage is the benchmark overview: a peer group described without any one company.
type PoolPage struct {
	Page
	Groups      []GroupLink
	Available   bool
	Unavailable string
	Heading     string
	// AsOf dates the figures: the release they come from.
	AsOf      string
	Sentences []string
	// Chart is the radar of the category medians (JSON).
	Chart any
	Rows  []PoolRow
	// Trend is the benchmark over time of the group.
	Trend TrendView
}

// PoolRow is one competency of the overview table.
type PoolRow struct {
	Number string
	Letter string
	Name   string
	// Label says what the competency measures.
	Label     string
	Median    string
	Range     string
	ToBe      string
	Level     string
	LevelText string
}

// TrendView is the benchmark over time: each category's published median AS-IS, release by
// release, as lines on a small SVG chart and as a table (which is what a screen reader and
// paper get).
type TrendView struct {
	// Shown is false when there is no history at all; Note explains a history of one point.
	Shown bool
	Note  string
	// Width and Height are the chart's viewBox.
	Width, Height float64
	Lines         []TrendLine
	// YTicks are the scale's gridlines, XTicks the labelled releases.
	YTicks []TrendTick
	XTicks []TrendTick
	// Categories head the table's columns; Rows are the releases, newest first.
	Categories []Choice
	Rows       []TrendRow
}

// TrendLine is one category's line: its points in the viewBox ("x,y x,y …").
type TrendLine struct {
	Key, Letter, Name, Color string
	Points                   string
	// EndX and EndY place the line's letter after its last point.
	EndX, EndY float64
}

// TrendTick is a gridline or axis label at a position of the viewBox.
type TrendTick struct {
	At    float64
	Label string
}

// TrendRow is one release in the table.
type TrendRow struct {
	Date      string
	Companies string
	Values    []string
}
