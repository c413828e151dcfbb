package assessment

import (
	"strconv"
	"strings"
	"time"
)

// Period is a span of calendar time, as an operator writes it for a retention period or an
// API token's lifetime: "90d", "12w", "24mo", "2y". It is counted on the calendar
// (time.AddDate), so "1mo" from 31 January is 3 March, as AddDate normalises 31 February.
type Period struct {
	Years, Months, Days int
}

// Largest number of each unit ParsePeriod takes: a century, which is more than any retention
// or token lifetime needs and keeps the arithmetic far from overflowing.
const (
	maxPeriodDays   = 36500
	maxPeriodWeeks  = 5200
	maxPeriodMonths = 1200
	maxPeriodYears  = 100
)

// ParsePeriod reads a period: a whole number from 1 followed by one unit, d (days), w
// (weeks), mo (months) or y (years), in any case and without spaces: "90d", "24mo", "2y".
// "18m" is refused rather than guessed: m means minutes to anyone used to Go's durations and
// months to others, and a retention period misread by a factor of 43,800 deletes data.
// Errors are EINVALID with MsgPeriod (or MsgPeriodMonths for an m) and the value.
func ParsePeriod(s string) (Period, error) {
	v := strings.ToLower(s)
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	num, unit := v[:i], v[i:]
	n, err := strconv.Atoi(num)
	if num == "" || err != nil || n < 1 || num[0] == '0' {
		return Period{}, periodError(s)
	}
	var p Period
	var limit int
	switch unit {
	case "d":
		p, limit = Period{Days: n}, maxPeriodDays
	case "w":
		p, limit = Period{Days: 7 * n}, maxPeriodWeeks
	case "mo":
		p, limit = Period{Months: n}, maxPeriodMonths
	case "y":
		p, limit = Period{Years: n}, maxPeriodYears
	case "m":
		return Period{}, NewError(EINVALID, MsgPeriodMonths, Args{"Value": strconv.Quote(s), "Months": num + "mo"})
	default:
		return Period{}, periodError(s)
	}
	if n > limit {
		return Period{}, periodError(s)
	}
	return p, nil
}

func periodError(s string) error {
	return NewError(EINVALID, MsgPeriod, Args{"Value": strconv.Quote(s)})
}

// IsZero reports whether p is no time at all: no retention, a token that never expires.
func (p Period) IsZero() bool { return p == Period{} }

// After returns the time p after t.
func (p Period) After(t time.Time) time.Time { return t.AddDate(p.Years, p.Months, p.Days) }

// Before returns the time p before t: for a retention period, the cutoff before which data
// is old enough to delete.
func (p Period) Before(t time.Time) time.Time { return t.AddDate(-p.Years, -p.Months, -p.Days) }

// String writes p the way ParsePeriod reads it, in its largest whole unit ("24mo", "90d").
func (p Period) String() string {
	switch {
	case p.IsZero():
		return "0d"
	case p.Months == 0 && p.Days == 0:
		return strconv.Itoa(p.Years) + "y"
	case p.Years == 0 && p.Days == 0:
		return strconv.Itoa(p.Months) + "mo"
	case p.Years == 0 && p.Months == 0:
		return strconv.Itoa(p.Days) + "d"
	}
	return strconv.Itoa(p.Years) + "y" + strconv.Itoa(p.Months) + "mo" + strconv.Itoa(p.Days) + "d"
}
