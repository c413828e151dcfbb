package assessment_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// co is company n for the planner: its entry is atom n, in industry and size.
func co(n uint64, industry, size string) assessment.ReleaseMember {
	return assessment.ReleaseMember{Atom: n, Identity: n, Profile: assessment.Company{Industry: industry, Size: size}}
}

// changed is company who with a new entry (another atom).
func changed(atom, who uint64, industry string) assessment.ReleaseMember {
	return assessment.ReleaseMember{Atom: atom, Identity: who, Profile: assessment.Company{Industry: industry}}
}

// companies returns companies from..to (inclusive) in industry.
func companies(from, to uint64, industry, size string) []assessment.ReleaseMember {
	var out []assessment.ReleaseMember
	for n := from; n <= to; n++ {
		out = append(out, co(n, industry, size))
	}
	return out
}

var (
	all     = assessment.PeerGroup{Group: "all"}
	finance = assessment.PeerGroup{Group: "industry", Value: "finance"}
	retail  = assessment.PeerGroup{Group: "industry", Value: "retail"}
	small   = assessment.PeerGroup{Group: "size", Value: "1-49"}
	medium  = assessment.PeerGroup{Group: "size", Value: "50-249"}
)

func TestPlanRelease(t *testing.T) {
	join := func(parts ...[]assessment.ReleaseMember) []assessment.ReleaseMember { return slices.Concat(parts...) }
	tests := []struct {
		name string
		live []assessment.ReleaseMember
		last map[assessment.PeerGroup][]assessment.ReleaseMember
		// previous is the pool at the latest release; when a case leaves it nil but has last,
		// it is every company of last.
		previous []assessment.ReleaseMember
		want     assessment.ReleasePlan
	}{
		{
			name: "first release with 4 companies: nothing",
			live: companies(1, 4, "finance", ""),
			want: assessment.ReleasePlan{all: assessment.Hide, finance: assessment.Hide},
		},
		{
			// All and finance are the same 5 companies: identical, not a difference of 1-4.
			name: "first release with 5 companies of one industry",
			live: companies(1, 5, "finance", ""),
			want: assessment.ReleasePlan{all: assessment.Publish, finance: assessment.Publish},
		},
		{
			// All (7) against finance (6) would give the retail company away: finance is not
			// published, and retail (1) is too small.
			name: "complement: 6 in finance, 1 in retail",
			live: join(companies(1, 6, "finance", ""), companies(7, 7, "retail", "")),
			want: assessment.ReleasePlan{all: assessment.Publish, finance: assessment.Hide, retail: assessment.Hide},
		},
		{
			name: "one newcomer: all keeps its statistics",
			live: companies(1, 11, "", ""),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{all: companies(1, 10, "", "")},
			want: assessment.ReleasePlan{all: assessment.Carry},
		},
		{
			name: "five newcomers: all is published anew",
			live: companies(1, 15, "", ""),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{all: companies(1, 10, "", "")},
			want: assessment.ReleasePlan{all: assessment.Publish},
		},
		{
			// Company 1 left, company 2 changed its answers (atom 102), 11-13 joined: 5
			// companies differ. A changed company counts once although it is two entries.
			name: "one left, one changed, three joined: 5 differ",
			live: join(companies(3, 13, "", ""), []assessment.ReleaseMember{changed(102, 2, "")}),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{all: companies(1, 10, "", "")},
			want: assessment.ReleasePlan{all: assessment.Publish},
		},
		{
			name: "one left, one changed, two joined: 4 differ",
			live: join(companies(3, 12, "", ""), []assessment.ReleaseMember{changed(102, 2, "")}),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{all: companies(1, 10, "", "")},
			want: assessment.ReleasePlan{all: assessment.Carry},
		},
		{
			// Finance falls from 5 to 4: it is shown no more. All (4) falls below 5 too.
			name: "a group falls below 5: withdrawn",
			live: companies(1, 4, "finance", ""),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{all: companies(1, 5, "finance", ""), finance: companies(1, 5, "finance", "")},
			want: assessment.ReleasePlan{all: assessment.Withdraw, finance: assessment.Withdraw},
		},
		{
			// Finance 1-6 and retail 7-12; small firms are 1-7, medium 8-12. Finance against
			// small differs by company 7 alone: finance (6) gives way to small (7). Retail
			// against medium differs by company 7 alone: medium (5) gives way to retail (6).
			name: "an industry and a size band that differ by one company",
			live: join(companies(1, 6, "finance", "1-49"), companies(7, 7, "retail", "1-49"), companies(8, 12, "retail", "50-249")),
			want: assessment.ReleasePlan{all: assessment.Publish, finance: assessment.Hide, retail: assessment.Publish, small: assessment.Publish, medium: assessment.Hide},
		},
		{
			// Finance keeps its statistics of companies 1-6. All would now be 1-7: against
			// finance as it stays published, that gives company 7 away. All gives way; it was
			// never published, so it is hidden, and nothing new is published.
			name: "a group kept from before makes a new one give way, even all",
			live: join(companies(1, 6, "finance", ""), companies(7, 7, "retail", "")),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{finance: companies(1, 6, "finance", "")},
			want: assessment.ReleasePlan{all: assessment.Hide, finance: assessment.Carry, retail: assessment.Hide},
		},
		{
			// Five newcomers in retail: all (1-10 → 1-15) and retail (new, 11-15) are
			// published; finance keeps 1-10 (no change). All against finance: 5 differ.
			name: "newcomers in one industry: the others keep theirs",
			live: join(companies(1, 10, "finance", ""), companies(11, 15, "retail", "")),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{all: companies(1, 10, "finance", ""), finance: companies(1, 10, "finance", "")},
			want: assessment.ReleasePlan{all: assessment.Publish, finance: assessment.Carry, retail: assessment.Publish},
		},
		{
			// Issue 16: small firms 1-5 were withheld (against finance 1-4 they differed by
			// company 5). Company 11 joins them: now 6, and 6 − 4 would pass the difference
			// rule, but their appearance would say that the one newcomer is a small firm, and
			// that there had been 5. They stay hidden; all keeps its figures.
			name: "one newcomer does not make a withheld group appear",
			live: join(companies(1, 4, "finance", "1-49"), companies(5, 5, "retail", "1-49"), companies(6, 10, "retail", "50-249"), companies(11, 11, "", "1-49")),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{
				all: join(companies(1, 4, "finance", "1-49"), companies(5, 5, "retail", "1-49"), companies(6, 10, "retail", "50-249")),
				// retail 5-10 against medium 6-10 differ by company 5: medium gave way.
				retail: join(companies(5, 5, "retail", "1-49"), companies(6, 10, "retail", "50-249")),
			},
			want: assessment.ReleasePlan{all: assessment.Carry, finance: assessment.Hide, retail: assessment.Carry, small: assessment.Hide, medium: assessment.Hide},
		},
		{
			// Five newcomers make small firms appear: 5 of its companies differ.
			name: "five newcomers make a withheld group appear",
			live: join(companies(1, 4, "finance", "1-49"), companies(5, 5, "retail", "1-49"), companies(6, 10, "retail", "50-249"), companies(11, 15, "", "1-49")),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{
				all:    join(companies(1, 4, "finance", "1-49"), companies(5, 5, "retail", "1-49"), companies(6, 10, "retail", "50-249")),
				retail: join(companies(5, 5, "retail", "1-49"), companies(6, 10, "retail", "50-249")),
			},
			want: assessment.ReleasePlan{all: assessment.Publish, finance: assessment.Hide, retail: assessment.Carry, small: assessment.Publish, medium: assessment.Hide},
		},
		{
			// Finance 1-6 was withheld beside all 1-7. Five shops join: all is published
			// anew (1-12), and finance, whose companies did not change, may appear now: its
			// appearance says nothing about anyone who joined.
			name: "a withheld group whose companies did not change may appear",
			live: join(companies(1, 6, "finance", ""), companies(7, 12, "retail", "")),
			last: map[assessment.PeerGroup][]assessment.ReleaseMember{all: join(companies(1, 6, "finance", ""), companies(7, 7, "retail", ""))},
			want: assessment.ReleasePlan{all: assessment.Publish, finance: assessment.Publish, retail: assessment.Publish},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			previous := tt.previous
			if previous == nil && tt.last != nil {
				previous = []assessment.ReleaseMember{}
				for _, g := range slices.SortedFunc(maps.Keys(tt.last), func(a, b assessment.PeerGroup) int { return strings.Compare(a.Group+a.Value, b.Group+b.Value) }) {
					for _, m := range tt.last[g] {
						if !slices.Contains(previous, m) {
							previous = append(previous, m)
						}
					}
				}
			}
			got := assessment.PlanRelease(tt.live, tt.last, previous)
			if !maps.Equal(got, tt.want) {
				t.Errorf("PlanRelease =\n%s\nwant\n%s", planString(got), planString(tt.want))
			}
			if want := slices.Contains(slices.Collect(maps.Values(tt.want)), assessment.Publish); got.Publishes() != want {
				t.Errorf("Publishes = %v, want %v", got.Publishes(), want)
			}
		})
	}
}

func planString(p assessment.ReleasePlan) string {
	names := []string{"hide", "withdraw", "carry", "publish"}
	var out []string
	for g, d := range p {
		out = append(out, fmt.Sprintf("  %s:%s %s", g.Group, g.Value, names[d]))
	}
	slices.Sort(out)
	return fmt.Sprint(out)
}

func TestReleaseDue(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		s    assessment.ReleaseStatus
		now  time.Time
		want bool
	}{
		{"no release, never attempted", assessment.ReleaseStatus{Generation: 3, Attempted: -1}, t0, true},
		{"no release, attempted on this pool", assessment.ReleaseStatus{Generation: 3, Attempted: 3}, t0, false},
		{"no release, the pool changed since", assessment.ReleaseStatus{Generation: 4, Attempted: 3}, t0, true},
		{"a release 23 hours old", assessment.ReleaseStatus{Latest: 5, MadeAt: t0, Generation: 4, Attempted: 3}, t0.Add(23 * time.Hour), false},
		{"a release 24 hours old", assessment.ReleaseStatus{Latest: 5, MadeAt: t0, Generation: 4, Attempted: 3}, t0.Add(24 * time.Hour), true},
		{"a release 2 days old, nothing changed since the last attempt", assessment.ReleaseStatus{Latest: 5, MadeAt: t0, Generation: 4, Attempted: 4}, t0.Add(48 * time.Hour), false},
	} {
		if got := tt.s.Due(tt.now); got != tt.want {
			t.Errorf("%s: Due = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAtom(t *testing.T) {
	q := mustQuestionnaire(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := q.NewPoolEntry("client:7", assessment.Company{Industry: "retail"}, uniform(3, 4), at)
	moved := a
	moved.Profile.Industry = "finance"
	later := q.NewPoolEntry("client:7", assessment.Company{Industry: "retail"}, uniform(3, 4), at.Add(time.Second))
	other := q.NewPoolEntry("client:7", assessment.Company{Industry: "retail"}, uniform(3, 5), at)
	if a.Atom() != moved.Atom() {
		t.Error("a corrected profile changed the atom: the company would count as changed in groups it stays in")
	}
	if a.Atom() == later.Atom() || a.Atom() == other.Atom() {
		t.Error("a later result or other answers kept the atom")
	}
	if m := a.Member(); m.Identity != later.Member().Identity || m.Identity == assessment.Identity("client:8", a.Atom()) {
		t.Error("identity must follow the key")
	}
	if got := assessment.Identity("", 42); got != 42 {
		t.Errorf("Identity of an erased key = %d, want the atom 42", got)
	}
}
