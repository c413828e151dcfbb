package assessment

import "time"

// Retention: an operator may keep personal data only as long as it is needed. With a
// retention period set (loyalty serve -retention 24mo, off by default), what is older than
// the period is deleted, with its place in the benchmark pool:
//
//   - five-minute test results (taken without an account, and so without anyone to ask)
//     taken before the cutoff, with their answers, role and company name;
//   - the participants (optional name and role, and answers) of workshop rounds closed
//     before the cutoff. The round itself, its title, dates and Must Win Battles stay with
//     the consultant's client, whose data the consultant manages; the client's benchmark
//     entry follows its remaining rounds.
//
// Open rounds are never touched, however old: their participants may still be answering.

// RetentionCutoff returns the time before which data is old enough to delete under a
// retention period at now, and false when there is no retention period.
func RetentionCutoff(period Period, now time.Time) (time.Time, bool) {
	if period.IsZero() {
		return time.Time{}, false
	}
	return period.Before(now), true
}

// Removed counts what one run of retention deleted.
type Removed struct {
	// Results are five-minute test results.
	Results int
	// Participants are workshop participants of closed rounds.
	Participants int
	// PoolEntries are companies that left the benchmark pool with them.
	PoolEntries int
}
