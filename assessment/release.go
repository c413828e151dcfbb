package assessment

import (
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"time"
)

// This file holds when the benchmark is published and what a publication may contain.
//
// Nothing a page or an endpoint shows is computed from the live pool. The pool is published in
// releases: at most once per ReleaseInterval, each peer group's statistics are recomputed from
// a snapshot of the pool, with their noise drawn once (noise.go), and stored. Until the next
// release every reader sees exactly the same numbers.
//
// A release publishes a group's new statistics only when that cannot single out a company
// (PlanRelease): the group has at least MinPeers companies; it differs from its previous
// statistics by at least MinPeers companies (otherwise the previous statistics are kept); and
// no two groups an attacker knows differ by between 1 and MinPeers−1 companies (all companies
// against one industry, an industry against a size band, …), counting both the statistics of
// this release and those kept from earlier ones. docs/privacy.md has the threat model.

// ReleaseInterval is the least time between two releases of the benchmark.
const ReleaseInterval = 24 * time.Hour

// ReleaseStatus is what a reader knows cheaply about the releases of one pool (a questionnaire
// version, with or without demo companies), enough to tell whether to attempt a new one.
type ReleaseStatus struct {
	// Latest is the id of the latest release (0: none yet) and MadeAt when it was made.
	Latest int64
	MadeAt time.Time
	// Generation is the pool's generation now: it changes with every change of the pool.
	Generation int64
	// Attempted is the generation the last attempt planned from (-1: none), whether or not it
	// made a release.
	Attempted int64
}

// Due reports whether a new release should be attempted at now: the pool changed since the
// last attempt (otherwise the attempt would decide the same), and there is no release yet or
// the latest is at least ReleaseInterval old.
func (s ReleaseStatus) Due(now time.Time) bool {
	if s.Generation == s.Attempted {
		return false
	}
	return s.Latest == 0 || !now.Before(s.MadeAt.Add(ReleaseInterval))
}

// Release is one publication of the benchmark: what every page and endpoint shows until the
// next one.
type Release struct {
	ID     int64
	MadeAt time.Time
	Groups []ReleasedGroup
}

// ReleasedGroup is one peer group in a release.
type ReleasedGroup struct {
	PeerGroup
	// Content identifies the group's statistics; Snapshot the release whose snapshot of the
	// pool they were computed from (this release, or an earlier one whose statistics are kept).
	Content  int64
	Snapshot int64
	// AsOf is when that snapshot was taken: the date of the figures.
	AsOf      time.Time
	Companies int
	Synthetic bool
	// Visible is false for a group withdrawn because it has fallen below MinPeers companies:
	// its last statistics are kept only to check later releases against.
	Visible bool
}

// Group returns the visible group g of the release.
func (r *Release) Group(g PeerGroup) (ReleasedGroup, bool) {
	for _, rg := range r.Groups {
		if rg.Visible && rg.PeerGroup == g {
			return rg, true
		}
	}
	return ReleasedGroup{}, false
}

// Sizes returns the size of every visible group of the release, the input of ShownGroups.
func (r *Release) Sizes() []PeerGroupSize {
	var out []PeerGroupSize
	for _, rg := range r.Groups {
		if rg.Visible {
			out = append(out, PeerGroupSize{Group: rg.Group, Value: rg.Value, Companies: rg.Companies})
		}
	}
	return out
}

// Atom returns a fingerprint of the entry: its key, its time and its values. Two snapshots
// hold the same company unchanged exactly when they hold the same atom; a changed answer, a
// later result or another company is another atom. The profile is left out, so a company
// whose industry is corrected moves between groups without counting as a change of the
// groups it stays in.
func (e PoolEntry) Atom() uint64 {
	h := fnv.New64a()
	h.Write([]byte(e.Key))
	h.Write([]byte{0})
	h.Write([]byte(e.At.UTC().Format(time.RFC3339Nano)))
	var b [8]byte
	for _, side := range [][]int64{e.AsIs, e.ToBe} {
		h.Write([]byte{0})
		for _, v := range side {
			binary.LittleEndian.PutUint64(b[:], uint64(v))
			h.Write(b[:])
		}
	}
	return h.Sum64()
}

// ReleaseMember is one company of the pool as the release planner sees it: the fingerprint of
// its entry (PoolEntry.Atom), who it is (Identity: a changed company is one company that
// differs, not two) and its profile.
type ReleaseMember struct {
	Atom     uint64
	Identity uint64
	Profile  Company
}

// Identity returns who a pool entry with key is, for counting companies rather than entries;
// an entry whose key has been erased (a deleted result) is a company of its own.
func Identity(key string, atom uint64) uint64 {
	if key == "" {
		return atom
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// Member returns the entry as the release planner sees it.
func (e PoolEntry) Member() ReleaseMember {
	a := e.Atom()
	return ReleaseMember{Atom: a, Identity: Identity(e.Key, a), Profile: e.Profile}
}

// Decision is what a release does with one peer group.
type Decision int

// Decisions, from least to most published.
const (
	// Hide: not published, and nothing to keep (never published, or too small).
	Hide Decision = iota
	// Withdraw: published before, now below MinPeers companies: shown no more.
	Withdraw
	// Carry: the group keeps its statistics from an earlier release.
	Carry
	// Publish: new statistics from the pool as it is now.
	Publish
)

// ReleasePlan is the decision for every peer group.
type ReleasePlan map[PeerGroup]Decision

// Publishes reports whether the plan publishes anything new; a plan that does not makes no
// release.
func (p ReleasePlan) Publishes() bool {
	for _, d := range p {
		if d == Publish {
			return true
		}
	}
	return false
}

// PlanRelease decides, for every peer group, what the next release does with it. live is the
// pool now; last holds, for every group the latest release carries (visible or withdrawn), the
// members its statistics were computed from; previous is the pool as the latest release's
// snapshot holds it (nil before the first release). Companies are counted by Identity: one
// that changed its answers differs once. The rules, with k = MinPeers:
//
//  1. A group with fewer than k companies now is withdrawn if it was published, else hidden.
//  2. A group never published before is published in the first release. Later, it appears
//     only if none or at least k of its companies differ from its members in previous: a
//     group that appeared because one to k−1 companies joined it (or left, or changed) would
//     give away their industry, size band or NPS segment, and its size what they were.
//  3. A group published before is published anew only if at least k of its companies
//     differ (joined, left or changed); otherwise it keeps its statistics.
//  4. Every two groups an attacker knows after the release (new statistics, statistics kept,
//     and the last statistics of withdrawn groups) are the same companies or differ in at
//     least k: a difference of 1 to k−1 companies would reveal them. While a pair breaks the
//     rule and one of the two is to be published, that one is not: it keeps its statistics,
//     or is hidden if it has none. When both are, the smaller gives way, but never all
//     companies to a peer group.
//
// Pairs of which neither is published anew are not checked: both were known before, and were
// checked when the newer of them was published.
func PlanRelease(live []ReleaseMember, last map[PeerGroup][]ReleaseMember, previous []ReleaseMember) ReleasePlan {
	// Atoms and identities are numbered densely, so that set differences are array work.
	idx, who := map[uint64]int32{}, map[uint64]int32{}
	var identity []int32 // atom number → identity number
	id := func(m ReleaseMember) int32 {
		i, ok := idx[m.Atom]
		if !ok {
			i = int32(len(idx))
			idx[m.Atom] = i
			w, ok := who[m.Identity]
			if !ok {
				w = int32(len(who))
				who[m.Identity] = w
			}
			identity = append(identity, w)
		}
		return i
	}
	now := map[PeerGroup][]int32{}
	for _, m := range live {
		i := id(m)
		for _, g := range GroupsOf(m.Profile) {
			now[g] = append(now[g], i)
		}
	}
	before := map[PeerGroup][]int32{}
	for g, ms := range last {
		s := make([]int32, len(ms))
		for j, m := range ms {
			s[j] = id(m)
		}
		before[g] = s
	}
	seen := map[PeerGroup][]int32{}
	for _, m := range previous {
		i := id(m)
		for _, g := range GroupsOf(m.Profile) {
			seen[g] = append(seen[g], i)
		}
	}
	groups := make([]PeerGroup, 0, len(now)+len(before))
	for g := range now {
		groups = append(groups, g)
	}
	for g := range before {
		if _, ok := now[g]; !ok {
			groups = append(groups, g)
		}
	}
	slices.SortFunc(groups, comparePeerGroups)

	// support counts the companies with an entry in one of a and b but not the other.
	coef := make([]int8, len(idx))
	counted := make([]int32, len(who)) // the call that last counted an identity
	calls := int32(0)
	var touched []int32
	support := func(a, b []int32) int {
		calls++
		touched = touched[:0]
		for _, i := range a {
			coef[i]++
			touched = append(touched, i)
		}
		for _, i := range b {
			coef[i]--
			touched = append(touched, i)
		}
		n := 0
		for _, i := range touched {
			if coef[i] != 0 {
				if w := identity[i]; counted[w] != calls {
					counted[w] = calls
					n++
				}
				coef[i] = 0
			}
		}
		return n
	}

	plan := ReleasePlan{}
	for _, g := range groups {
		old, had := before[g]
		switch n := len(now[g]); {
		case n < MinPeers && had:
			plan[g] = Withdraw
		case n < MinPeers:
			plan[g] = Hide
		case !had && previous == nil:
			plan[g] = Publish
		case !had:
			if d := support(now[g], seen[g]); d == 0 || d >= MinPeers {
				plan[g] = Publish
			} else {
				plan[g] = Hide
			}
		case support(now[g], old) >= MinPeers:
			plan[g] = Publish
		default:
			plan[g] = Carry
		}
	}
	known := func(g PeerGroup) ([]int32, bool) {
		switch plan[g] {
		case Publish:
			return now[g], true
		case Carry, Withdraw:
			return before[g], true
		}
		return nil, false
	}
	giveWay := func(g, h PeerGroup) PeerGroup {
		switch {
		case plan[g] != Publish:
			return h
		case plan[h] != Publish || g.Group != GroupAll && h.Group == GroupAll:
			return g
		case h.Group != GroupAll && len(now[g]) < len(now[h]):
			return g
		}
		return h
	}
	for changed := true; changed; {
		changed = false
	pairs:
		for i, g := range groups {
			for _, h := range groups[i+1:] {
				if plan[g] != Publish && plan[h] != Publish {
					continue
				}
				a, okA := known(g)
				b, okB := known(h)
				if !okA || !okB {
					continue
				}
				if d := support(a, b); d == 0 || d >= MinPeers {
					continue
				}
				w := giveWay(g, h)
				if _, had := before[w]; had {
					plan[w] = Carry
				} else {
					plan[w] = Hide
				}
				changed = true
				break pairs
			}
		}
	}
	return plan
}

// comparePeerGroups orders groups as a group switch shows them: all companies, then industry,
// size, NPS years and workspaces, each by value.
func comparePeerGroups(a, b PeerGroup) int {
	return cmp.Or(cmp.Compare(slices.Index(ClientGroups, a.Group), slices.Index(ClientGroups, b.Group)), cmp.Compare(a.Value, b.Value))
}

// HistoryPoint is what one release published of one public peer group, kept for the
// benchmark over time: the date, the group's size and the median of every category (by key),
// AS-IS and TO-BE. These are the published figures, noise included, never recomputed: the
// history shows exactly what readers saw, and nothing more of any company.
type HistoryPoint struct {
	ReleasedAt time.Time
	Companies  int
	AsIs       map[string]float64
	ToBe       map[string]float64
}

// HistoryPoint returns the point of the history a release records for a group whose new
// figures are pool, and false for a group the history leaves out: below MinPeers (it is not
// published) and a workspace's "our clients" (never public).
func (q *Questionnaire) HistoryPoint(g PeerGroup, pool PeerPool, at time.Time) (HistoryPoint, bool) {
	if g.Group == GroupWorkspace {
		return HistoryPoint{}, false
	}
	sum := q.DescribePool(pool)
	if !sum.Available {
		return HistoryPoint{}, false
	}
	p := HistoryPoint{ReleasedAt: at, Companies: sum.Companies, AsIs: map[string]float64{}, ToBe: map[string]float64{}}
	first := 1 + len(q.Themes)
	for i, c := range q.Categories {
		p.AsIs[c.Key], p.ToBe[c.Key] = sum.AsIs[first+i].Median, sum.ToBe[first+i].Median
	}
	return p, true
}
