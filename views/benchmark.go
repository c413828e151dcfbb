package views

// BenchmarkView is the benchmark section of a result page.
type BenchmarkView struct {
	// Groups is the peer-group switch.
	Groups []GroupLink
	// Of, when set, names what is compared (a client's round and when it closed).
	Of string
	// Available is false when the chosen group has fewer than 5 peers: then only Unavailable
	// is shown, with no count.
	Available   bool
	Unavailable string
	Heading     string
	// AsOf dates the figures (they come from a release, made at most daily); Pending, when
	// set, says that the company's own answers are not among them.
	AsOf       string
	Pending    string
	Sentences  []string
	Categories []BenchmarkRow
	Overall    BenchmarkRow
	// Synthetic marks a benchmark that includes demo companies.
	Synthetic bool
}

// GroupLink is one choice of the peer-group switch.
type GroupLink struct {
	Key     string
	Label   string
	URL     string
	Current bool
	// Disabled groups need a profile value the company did not give.
	Disabled bool
	Hint     string
}

// BenchmarkRow compares one category (or the overall score) with the peers.
type BenchmarkRow struct {
	Letter     string
	Name       string
	You        string
	Median     string
	Range      string
	Percentile string
	Standing   string
	// StandingKey is "ahead", "in_line" or "behind", for styling.
	StandingKey string
	// Marker positions (0-100 on the scale) for the small range plot.
	YouPct    float64
	P25Pct    float64
	P75Pct    float64
	MedianPct float64
}

// ProfileChoice is an option of a profile select on the test form.
type ProfileChoice struct {
	Value    string
	Label    string
	Selected bool
}
