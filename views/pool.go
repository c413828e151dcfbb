package views

// PoolPage is the benchmark overview: a peer group described without any one company.
type PoolPage struct {
	Page
	Groups      []GroupLink
	Available   bool
	Unavailable string
	Heading     string
	Sentences   []string
	// Chart is the radar of the category medians (JSON).
	Chart any
	Rows  []PoolRow
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
