package assessment

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// This file holds every rule of who is whose peer in the benchmark: which companies count and
// how often (one per company, its latest result, on one questionnaire version), which result
// represents a workshop client, which groups exist and which may be shown, and that a company
// is never compared with itself. The stores only store and load; the statistics are in
// benchmark.go, their noise in noise.go, and when and what a release publishes in release.go.

// MinPeers is the smallest number of peer companies a benchmark group must have before any
// statistic is shown. Below it a group shows nothing at all, so no single company can be
// inferred from an aggregate.
const MinPeers = 5

// Peer groups. One dimension at a time: free combinations could isolate a company.
const (
	GroupAll      = "all"
	GroupIndustry = "industry"
	GroupSize     = "size"
	GroupNPSYears = "nps_years"
	// GroupWorkspace is "our clients": the other consenting clients of a consultant's
	// workspace. Only a client is compared in it (its report, comparison and client page); it
	// is never listed or described on the public overview, which does not know it exists.
	GroupWorkspace = "workspace"
)

// Groups lists the public peer groups in the order a group switch shows them: the groups a
// five-minute test is compared in and the overview offers.
var Groups = []string{GroupAll, GroupIndustry, GroupSize, GroupNPSYears}

// ClientGroups lists the peer groups a consultant's client is compared in, in switch order:
// the public groups and "our clients".
var ClientGroups = []string{GroupAll, GroupIndustry, GroupSize, GroupNPSYears, GroupWorkspace}

// GroupValue returns the profile value that selects the company's peers in group, and false
// when the profile has none (only GroupAll needs no value).
func GroupValue(group string, c Company) (string, bool) {
	switch group {
	case GroupAll:
		return "", true
	case GroupIndustry:
		return c.Industry, c.Industry != ""
	case GroupSize:
		return c.Size, c.Size != ""
	case GroupNPSYears:
		return c.NPSYears, c.NPSYears != ""
	case GroupWorkspace:
		return c.Workspace, c.Workspace != ""
	}
	return "", false
}

// PeerGroupSize is how many companies one peer group has.
type PeerGroupSize struct {
	Group     string
	Value     string
	Companies int
}

// PoolEntry is one company in the benchmark pool: its profile, its company-level ratings and
// their metric values, quantized. Only companies an attacker cannot create in bulk are in the
// pool: consultants' clients, five-minute tests the operator verified, and synthetic companies
// (which count in demo mode only). See release.go.
type PoolEntry struct {
	// Key identifies the company: "name:<normalized name>|<country>" for a named test,
	// "anon:<token>" for an anonymous one, "domain:<domain>" for a test confirmed by work
	// email (verification.go), "client:<id>" for a consultant's client,
	// "demo:<seed>:<n>" for synthetic data. A newer entry with the same key replaces an older.
	Key                  string
	QuestionnaireVersion string
	Profile              Company
	Synthetic            bool
	At                   time.Time
	// Source is the id of the five-minute test the entry was made from (0 for a client or a
	// synthetic company): the result that, viewed through its link, is left out of its own
	// comparison.
	Source int64
	// AsIs and ToBe hold the quantized metric values in Questionnaire.Metrics order.
	AsIs []int64
	ToBe []int64
}

// NewPoolEntry scores ratings and returns the pool entry of a company.
func (q *Questionnaire) NewPoolEntry(key string, profile Company, r Ratings, at time.Time) PoolEntry {
	res := q.Score(r)
	a, b := res.MetricValues()
	e := PoolEntry{Key: key, QuestionnaireVersion: q.Version, Profile: profile, At: at,
		AsIs: make([]int64, len(a)), ToBe: make([]int64, len(b))}
	for i := range a {
		e.AsIs[i], e.ToBe[i] = Quantize(a[i]), Quantize(b[i])
	}
	return e
}

// VerifiedTestEntry returns the pool entry of a five-minute test that has passed the check
// that lets a test count in the benchmark (the operator verified it: docs/privacy.md), and
// false when it must stay out all the same: without consent, or answered on another version
// of the questionnaire than q. A test no one has verified is never in the pool, whatever it
// says about itself: anyone can submit any number of tests.
func (q *Questionnaire) VerifiedTestEntry(a *Assessment) (PoolEntry, bool) {
	if !a.BenchmarkConsent || a.QuestionnaireVersion != q.Version {
		return PoolEntry{}, false
	}
	profile := a.Company
	profile.Name = ""
	e := q.NewPoolEntry(CompanyKey(a), profile, a.Ratings, a.CreatedAt)
	e.Source = a.ID
	return e, true
}

// CompanyKey returns the pool key of an assessment: a test confirmed by work email is the
// company of its domain, whatever name it typed; otherwise companies with the same name
// (ignoring case, spaces and punctuation) and country are one company, and an unnamed test
// is its own.
func CompanyKey(a *Assessment) string {
	if a.VerifiedDomain != "" {
		return CompanyDomainKey(a.VerifiedDomain)
	}
	name := NormalizeCompanyName(a.Company.Name)
	if name == "" {
		return "anon:" + a.Token
	}
	return "name:" + name + "|" + strings.ToUpper(a.Company.Country)
}

// NormalizeCompanyName lowercases a company name and drops everything but letters and
// digits, so "ACME A/S", "Acme A/S" and "acme as" are the same company.
func NormalizeCompanyName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PeerGroup names one peer group: a dimension and the profile value that selects it ("" for
// all companies).
type PeerGroup struct {
	Group string
	Value string
}

// GroupsOf returns the peer groups a company counts in: all companies, and each dimension its
// profile has a value for (a client's workspace included).
func GroupsOf(p Company) []PeerGroup {
	gs := []PeerGroup{{GroupAll, ""}}
	for _, g := range ClientGroups[1:] {
		if v, ok := GroupValue(g, p); ok {
			gs = append(gs, PeerGroup{g, v})
		}
	}
	return gs
}

// GroupFor returns the peer group named group that a company with profile belongs to. A group
// the company has no profile value for, or an unknown group, is EINVALID, with the field that
// is missing or wrong.
func GroupFor(group string, profile Company) (PeerGroup, error) {
	if v, ok := GroupValue(group, profile); ok {
		return PeerGroup{group, v}, nil
	}
	if slices.Contains(Groups, group) {
		e := NewError(EINVALID, MsgGroupUnset, Args{"Group": group, "Field": "company." + group})
		e.Fields = []FieldError{Required("company." + group)}
		return PeerGroup{}, e
	}
	e := NewError(EINVALID, MsgGroupUnknown, Args{"Group": group})
	e.Fields = []FieldError{Choice("group", group, Groups)}
	return PeerGroup{}, e
}

// ClientGroupFor is GroupFor for a consultant's client, whose profile (with its Workspace set)
// can also select "our clients".
func ClientGroupFor(group string, profile Company) (PeerGroup, error) {
	if group == GroupWorkspace {
		if profile.Workspace == "" {
			return GroupFor(group, profile)
		}
		return PeerGroup{GroupWorkspace, profile.Workspace}, nil
	}
	return GroupFor(group, profile)
}

// PageGroupFor is GroupFor for a page: a group the company cannot be compared in falls back to
// all companies, so a link from another result never ends on an error page.
func PageGroupFor(group string, profile Company) PeerGroup {
	g, err := ClientGroupFor(group, profile)
	if err != nil {
		return PeerGroup{GroupAll, ""}
	}
	return g
}

// PeersFor returns the statistics a company is compared with in group g: pool, the group as
// a release publishes it, without the company's own entry when that entry is one of the
// companies the statistics were computed from. own is that entry as the release's snapshot
// holds it, or nil when the release does not hold it.
//
// Who "the company's own entry" is matters: it must be this very result (a five-minute test
// whose result link is being viewed) or a consultant's own client, never a company that merely
// has the same name. Taking a company out by name would let anyone type a pooled company's
// name into a test and read the benchmark without that company: the difference between the two
// benchmarks is the company.
func PeersFor(pool PeerPool, own *PoolEntry, g PeerGroup) PeerPool {
	if own == nil {
		return pool
	}
	if v, in := GroupValue(g.Group, own.Profile); !in || v != g.Value {
		return pool
	}
	return pool.Without(*own)
}

// Replaces reports whether e takes the place of old, the same company's entry in the pool:
// only a company's latest result counts, so an older result arriving late changes nothing.
func (e PoolEntry) Replaces(old PoolEntry) bool { return !old.At.After(e.At) }

// ShownGroups returns the peer groups an overview may offer, from the sizes of every group of
// the pool: each group other than "all" with at least MinPeers companies, in the
// questionnaire's order (industries, size bands, NPS segments, each in its list's order).
// Smaller groups are neither listed nor described, and a workspace's "our clients" never is:
// that a consultancy has so many consenting clients is its own business.
func (q *Questionnaire) ShownGroups(sizes []PeerGroupSize) []PeerGroupSize {
	order := map[PeerGroup]int{}
	add := func(group, key string) { order[PeerGroup{group, key}] = len(order) + 1 }
	for _, o := range q.Industries {
		add(GroupIndustry, o.Key)
	}
	for _, o := range q.SizeBands {
		add(GroupSize, o.Key)
	}
	for _, sg := range q.Segments {
		add(GroupNPSYears, sg.Key)
	}
	var out []PeerGroupSize
	for _, g := range sizes {
		if g.Group != GroupAll && g.Group != GroupWorkspace && g.Companies >= MinPeers {
			out = append(out, g)
		}
	}
	slices.SortStableFunc(out, func(a, b PeerGroupSize) int {
		return order[PeerGroup{a.Group, a.Value}] - order[PeerGroup{b.Group, b.Value}]
	})
	return out
}

// ShowsGroup reports whether an overview may describe g: all companies, or one of shown (the
// result of ShownGroups). Asking for any other group by URL must reveal nothing, not even
// that it is small.
func ShowsGroup(shown []PeerGroupSize, g PeerGroup) bool {
	if g.Group == GroupAll {
		return true
	}
	return slices.ContainsFunc(shown, func(s PeerGroupSize) bool { return s.Group == g.Group && s.Value == g.Value })
}

// RoundAnswers is a closed workshop round with its participants' ratings.
type RoundAnswers struct {
	Round        Round
	Participants []Ratings
}

// ClientEntry returns the pool entry that represents a workshop client, and false when the
// client has none and must not be in the pool: without consent; without a closed round that
// has at least one participant; or when its latest such round was answered on another version
// of the questionnaire than q (the pool never mixes versions). The entry is the company-level
// result (the participants' mean) of the latest closed round, keyed by client, dated when the
// round closed, and without the client's name: the pool keeps no names.
func (q *Questionnaire) ClientEntry(c Client, closed []RoundAnswers) (PoolEntry, bool) {
	if !c.BenchmarkConsent {
		return PoolEntry{}, false
	}
	var latest *RoundAnswers
	for i := range closed {
		r := &closed[i]
		if r.Round.Open() || len(r.Participants) == 0 {
			continue
		}
		if latest == nil || r.Round.ClosedAt.After(latest.Round.ClosedAt) ||
			(r.Round.ClosedAt.Equal(latest.Round.ClosedAt) && r.Round.ID > latest.Round.ID) {
			latest = r
		}
	}
	if latest == nil || latest.Round.QuestionnaireVersion != q.Version {
		return PoolEntry{}, false
	}
	profile := c.Profile
	profile.Name = ""
	profile.Workspace = c.WorkspaceKey()
	agg := q.Aggregate(latest.Participants)
	return q.NewPoolEntry(c.PoolKey(), profile, agg.Mean, latest.Round.ClosedAt), true
}

// WorkspaceKey is the value that selects the client's "our clients" group (GroupWorkspace): its
// workspace's id.
func (c *Client) WorkspaceKey() string { return strconv.FormatInt(c.WorkspaceID, 10) }

// BenchmarkProfile is the profile a client is compared with its peers by: its profile with
// its workspace, so that it can be compared in "our clients" too.
func (c *Client) BenchmarkProfile() Company {
	p := c.Profile
	p.Workspace = c.WorkspaceKey()
	return p
}

// PoolKey is the benchmark pool key of a client: one company per client.
func (c *Client) PoolKey() string { return fmt.Sprintf("client:%d", c.ID) }
