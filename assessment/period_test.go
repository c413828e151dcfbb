package assessment_test

import (
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want assessment.Period
		err  string // the error's description; "" when it parses
	}{
		{"24mo", assessment.Period{Months: 24}, ""},
		{"2y", assessment.Period{Years: 2}, ""},
		{"90d", assessment.Period{Days: 90}, ""},
		{"12w", assessment.Period{Days: 84}, ""},
		{"1D", assessment.Period{Days: 1}, ""},
		{"100y", assessment.Period{Years: 100}, ""},
		{"18m", assessment.Period{}, `invalid: error.period.months {Months: 18mo, Value: "18m"}`},
		{"", assessment.Period{}, `invalid: error.period {Value: ""}`},
		{"24", assessment.Period{}, `invalid: error.period {Value: "24"}`},
		{"mo", assessment.Period{}, `invalid: error.period {Value: "mo"}`},
		{"0d", assessment.Period{}, `invalid: error.period {Value: "0d"}`},
		{"-3d", assessment.Period{}, `invalid: error.period {Value: "-3d"}`},
		{"07d", assessment.Period{}, `invalid: error.period {Value: "07d"}`},
		{"1.5y", assessment.Period{}, `invalid: error.period {Value: "1.5y"}`},
		{"2 y", assessment.Period{}, `invalid: error.period {Value: "2 y"}`},
		{"24months", assessment.Period{}, `invalid: error.period {Value: "24months"}`},
		{"720h", assessment.Period{}, `invalid: error.period {Value: "720h"}`},
		{"101y", assessment.Period{}, `invalid: error.period {Value: "101y"}`},
		{"99999999999999999999d", assessment.Period{}, `invalid: error.period {Value: "99999999999999999999d"}`},
	}
	for _, tt := range tests {
		got, err := assessment.ParsePeriod(tt.in)
		desc := ""
		if err != nil {
			desc = err.Error()
		}
		if got != tt.want || desc != tt.err {
			t.Errorf("ParsePeriod(%q) = %+v, %q; want %+v, %q", tt.in, got, desc, tt.want, tt.err)
		}
		if err == nil && tt.in == "24mo" && got.String() != "24mo" {
			t.Errorf("Period.String() = %q, want 24mo", got.String())
		}
	}
}

// TestPeriodArithmetic: periods count on the calendar, worked out by hand.
func TestPeriodArithmetic(t *testing.T) {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 30, 0, 0, time.UTC) }
	tests := []struct {
		p             assessment.Period
		from          time.Time
		before, after time.Time
	}{
		// 24 months before 23 November 2026 is 23 November 2024; after, 23 November 2028.
		{assessment.Period{Months: 24}, at(2026, 11, 23), at(2024, 11, 23), at(2028, 11, 23)},
		// 90 days back: 23 to 31 Oct, 31 to 30 Sep, 30 to 31 Aug, 6 more: 25 August.
		// Forward: 7 to 30 Nov, 31 to 31 Dec, 31 to 31 Jan, 21 more: 21 February.
		{assessment.Period{Days: 90}, at(2026, 11, 23), at(2026, 8, 25), at(2027, 2, 21)},
		// 2 years before 29 February 2028 is "29 February 2026", which AddDate makes 1 March.
		{assessment.Period{Years: 2}, at(2028, 2, 29), at(2026, 3, 1), at(2030, 3, 1)},
	}
	for _, tt := range tests {
		if got := tt.p.Before(tt.from); !got.Equal(tt.before) {
			t.Errorf("%v.Before(%v) = %v, want %v", tt.p, tt.from, got, tt.before)
		}
		if got := tt.p.After(tt.from); !got.Equal(tt.after) {
			t.Errorf("%v.After(%v) = %v, want %v", tt.p, tt.from, got, tt.after)
		}
	}
}

func TestRetentionCutoff(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		on   bool
	}{
		{"", time.Time{}, false},
		{"24mo", time.Date(2024, 11, 23, 9, 30, 0, 0, time.UTC), true},
		{"2y", time.Date(2024, 11, 23, 9, 30, 0, 0, time.UTC), true},
		// 18 months back from 23 November 2026: 23 May 2025.
		{"18mo", time.Date(2025, 5, 23, 9, 30, 0, 0, time.UTC), true},
		{"90d", time.Date(2026, 8, 25, 9, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		var p assessment.Period
		if tt.in != "" {
			var err error
			if p, err = assessment.ParsePeriod(tt.in); err != nil {
				t.Fatal(err)
			}
		}
		got, on := assessment.RetentionCutoff(p, now)
		if on != tt.on || !got.Equal(tt.want) {
			t.Errorf("RetentionCutoff(%q) = %v, %v; want %v, %v", tt.in, got, on, tt.want, tt.on)
		}
	}
}
