package assessment_test

import (
	"slices"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestGroupFor(t *testing.T) {
	retail := assessment.Company{Industry: "retail", NPSYears: "1-5"}
	tests := []struct {
		group   string
		profile assessment.Company
		want    assessment.PeerGroup
		// field is the FieldError's field when the group cannot be used; page is the group a
		// page falls back to.
		field string
		page  assessment.PeerGroup
	}{
		{"all", assessment.Company{}, assessment.PeerGroup{Group: "all"}, "", assessment.PeerGroup{Group: "all"}},
		{"industry", retail, assessment.PeerGroup{Group: "industry", Value: "retail"}, "", assessment.PeerGroup{Group: "industry", Value: "retail"}},
		{"nps_years", retail, assessment.PeerGroup{Group: "nps_years", Value: "1-5"}, "", assessment.PeerGroup{Group: "nps_years", Value: "1-5"}},
		{"size", retail, assessment.PeerGroup{}, "company.size", assessment.PeerGroup{Group: "all"}},
		{"region", retail, assessment.PeerGroup{}, "group", assessment.PeerGroup{Group: "all"}},
	}
	for _, tt := range tests {
		got, err := assessment.GroupFor(tt.group, tt.profile)
		if got != tt.want {
			t.Errorf("GroupFor(%q) = %+v, want %+v", tt.group, got, tt.want)
		}
		switch fes := assessment.FieldErrors(err); {
		case tt.field == "" && err != nil:
			t.Errorf("GroupFor(%q) error = %v, want none", tt.group, err)
		case tt.field != "" && (assessment.ErrorCode(err) != assessment.EINVALID || len(fes) != 1 || fes[0].Field != tt.field):
			t.Errorf("GroupFor(%q) error = %v, want EINVALID on %s", tt.group, err, tt.field)
		}
		if got := assessment.PageGroupFor(tt.group, tt.profile); got != tt.page {
			t.Errorf("PageGroupFor(%q) = %+v, want %+v", tt.group, got, tt.page)
		}
	}
}

func TestGroupsOf(t *testing.T) {
	got := assessment.GroupsOf(assessment.Company{Industry: "retail", Size: "50-249"})
	want := []assessment.PeerGroup{{Group: "all"}, {Group: "industry", Value: "retail"}, {Group: "size", Value: "50-249"}}
	if !slices.Equal(got, want) {
		t.Errorf("GroupsOf = %+v, want %+v", got, want)
	}
}

// TestPeersFor checks that a company is left out of its own comparison exactly when its entry
// is counted in the group's statistics.
func TestPeersFor(t *testing.T) {
	q := mustQuestionnaire(t)
	retail := assessment.Company{Industry: "retail"}
	own := q.NewPoolEntry("name:acme|DK", retail, uniform(5, 5), time.Time{})
	// The pool holds the company (all 5s) and two others.
	pool := poolOf(q, uniform(1, 2), uniform(5, 5), uniform(2, 3))
	tests := []struct {
		name  string
		own   *assessment.PoolEntry
		g     assessment.PeerGroup
		peers int
		max   float64 // the highest overall AS-IS among the peers
	}{
		{"not in the release", nil, assessment.PeerGroup{Group: "all"}, 3, 5},
		{"in all companies", &own, assessment.PeerGroup{Group: "all"}, 2, 2},
		{"in its industry", &own, assessment.PeerGroup{Group: "industry", Value: "retail"}, 2, 2},
		{"another industry", &own, assessment.PeerGroup{Group: "industry", Value: "finance"}, 3, 5},
		{"a group its profile has no value for", &own, assessment.PeerGroup{Group: "size", Value: "1-49"}, 3, 5},
	}
	for _, tt := range tests {
		got := assessment.PeersFor(pool, tt.own, tt.g)
		if got.Peers() != tt.peers || got.AsIs[0].Hist.Quantile(1) != tt.max {
			t.Errorf("%s: PeersFor has %d peers, max %g; want %d, %g", tt.name, got.Peers(), got.AsIs[0].Hist.Quantile(1), tt.peers, tt.max)
		}
	}
	if pool.Peers() != 3 || pool.AsIs[0].Hist.N() != 3 {
		t.Errorf("PeersFor changed the pool it was given: %d peers", pool.Peers())
	}
}

func TestReplaces(t *testing.T) {
	jan, feb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		old, new time.Time
		want     bool
	}{{jan, feb, true}, {feb, jan, false}, {jan, jan, true}} {
		if got := (assessment.PoolEntry{At: tt.new}).Replaces(assessment.PoolEntry{At: tt.old}); got != tt.want {
			t.Errorf("entry of %s replaces one of %s = %v, want %v", tt.new.Format("Jan"), tt.old.Format("Jan"), got, tt.want)
		}
	}
}

func TestShownGroups(t *testing.T) {
	q := mustQuestionnaire(t)
	sizes := []assessment.PeerGroupSize{
		{Group: "all", Companies: 40},
		{Group: "nps_years", Value: "5+", Companies: 5},
		{Group: "industry", Value: "retail", Companies: 12},
		{Group: "industry", Value: "finance", Companies: 4}, // below MinPeers
		{Group: "size", Value: "50-249", Companies: 9},
		{Group: "industry", Value: "industry", Companies: 5},
	}
	got := q.ShownGroups(sizes)
	// Questionnaire order: industries (finance, industry, …, retail, …), sizes, segments.
	want := []assessment.PeerGroupSize{
		{Group: "industry", Value: "industry", Companies: 5},
		{Group: "industry", Value: "retail", Companies: 12},
		{Group: "size", Value: "50-249", Companies: 9},
		{Group: "nps_years", Value: "5+", Companies: 5},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ShownGroups =\n%+v\nwant\n%+v", got, want)
	}
	for _, tt := range []struct {
		g    assessment.PeerGroup
		want bool
	}{
		{assessment.PeerGroup{Group: "all"}, true},
		{assessment.PeerGroup{Group: "industry", Value: "retail"}, true},
		{assessment.PeerGroup{Group: "industry", Value: "finance"}, false},
		{assessment.PeerGroup{Group: "industry", Value: "mining"}, false},
	} {
		if got := assessment.ShowsGroup(got, tt.g); got != tt.want {
			t.Errorf("ShowsGroup(%+v) = %v, want %v", tt.g, got, tt.want)
		}
	}
}

// TestClientEntry checks which result represents a workshop client in the pool.
func TestClientEntry(t *testing.T) {
	q := mustQuestionnaire(t)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	round := func(id int64, closed time.Time, version string) assessment.Round {
		return assessment.Round{ID: id, ClosedAt: closed, QuestionnaireVersion: version}
	}
	client := assessment.Client{ID: 7, BenchmarkConsent: true,
		Profile: assessment.Company{Name: "Acme A/S", Industry: "retail", Country: "DK"}}
	// Round 1 (closed 2 March): one participant, all 2s. Round 2 (closed 5 March): two
	// participants, 1s and 3s (mean 2, 4 for TO-BE: 3 and 5). Round 3 is open.
	closed := []assessment.RoundAnswers{
		{Round: round(1, day(2), q.Version), Participants: []assessment.Ratings{uniform(2, 2)}},
		{Round: round(2, day(5), q.Version), Participants: []assessment.Ratings{uniform(1, 3), uniform(3, 5)}},
		{Round: round(3, time.Time{}, q.Version), Participants: []assessment.Ratings{uniform(5, 5)}},
	}
	e, ok := q.ClientEntry(client, closed)
	if !ok {
		t.Fatal("ClientEntry = none, want the latest closed round")
	}
	if e.Key != "client:7" || !e.At.Equal(day(5)) || e.Profile.Name != "" || e.Profile.Industry != "retail" {
		t.Errorf("entry = key %q at %s, profile %+v; want client:7 at 5 March, retail, no name", e.Key, e.At, e.Profile)
	}
	// Overall AS-IS of round 2 is the mean of 1 and 3: 2 (quantized 20000); TO-BE 4.
	if e.AsIs[0] != 20000 || e.ToBe[0] != 40000 {
		t.Errorf("overall = %d / %d, want 20000 / 40000", e.AsIs[0], e.ToBe[0])
	}

	for _, tt := range []struct {
		name   string
		client assessment.Client
		closed []assessment.RoundAnswers
	}{
		{"no consent", assessment.Client{ID: 7}, closed},
		{"no closed round", client, closed[2:]},
		{"closed round without participants", client, []assessment.RoundAnswers{{Round: round(4, day(9), q.Version)}}},
		{"latest round on another version", client, append(closed[:2:2], assessment.RoundAnswers{Round: round(5, day(9), "old"),
			Participants: []assessment.Ratings{uniform(4, 4)}})},
	} {
		if _, ok := q.ClientEntry(tt.client, tt.closed); ok {
			t.Errorf("%s: ClientEntry = an entry, want none", tt.name)
		}
	}
}

func TestAdviceFor(t *testing.T) {
	q := mustQuestionnaire(t)
	starting := q.StageFor(10) // segment "<1"
	for _, tt := range []struct {
		stage   assessment.Stage
		profile assessment.Company
		want    string
		own     bool
	}{
		{starting, assessment.Company{}, "<1", false},
		{starting, assessment.Company{NPSYears: "5+"}, "5+", true},
		{q.StageFor(70), assessment.Company{}, "1-5", false},
		{q.StageFor(70), assessment.Company{NPSYears: "bogus"}, "1-5", false},
	} {
		seg, own := q.AdviceFor(tt.stage, tt.profile)
		if seg.Key != tt.want || own != tt.own {
			t.Errorf("AdviceFor(%s, %q) = %s, %v; want %s, %v", tt.stage.Key, tt.profile.NPSYears, seg.Key, own, tt.want, tt.own)
		}
	}
}

// TestVerifiedTestEntry checks which verified five-minute tests enter the pool, and as what.
func TestVerifiedTestEntry(t *testing.T) {
	q := mustQuestionnaire(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := &assessment.Assessment{ID: 9, Token: "tok", QuestionnaireVersion: q.Version, CreatedAt: at, BenchmarkConsent: true,
		Company: assessment.Company{Name: "Acme A/S", Country: "DK", Industry: "retail"}, Ratings: uniform(2, 4)}
	e, ok := q.VerifiedTestEntry(a)
	if !ok || e.Key != "name:acmeas|DK" || e.Source != 9 || !e.At.Equal(at) || e.Profile.Name != "" || e.Profile.Industry != "retail" || e.AsIs[0] != 20000 {
		t.Errorf("VerifiedTestEntry = %+v, %v; want key name:acmeas|DK, source 9, the test's time, retail, no name, overall 2", e, ok)
	}
	noConsent, otherVersion := *a, *a
	noConsent.BenchmarkConsent = false
	otherVersion.QuestionnaireVersion = "1999.1"
	for name, a := range map[string]*assessment.Assessment{"no consent": &noConsent, "another version": &otherVersion} {
		if _, ok := q.VerifiedTestEntry(a); ok {
			t.Errorf("%s: VerifiedTestEntry = an entry, want none", name)
		}
	}
}
