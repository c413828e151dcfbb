package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// A consultant's client is compared with its peers like a five-minute test, in the public
// groups and in "our clients" (assessment.GroupWorkspace): the other consenting clients of the
// same workspace, as the current release publishes them, never with itself. The client is
// represented by its latest closed round, the round its pool entry comes from.

// latestClosed returns the client's latest closed round that has a result, with that result,
// or nil when the client has none.
func (s *Server) latestClosed(ctx context.Context, ws int64, cl *assessment.Client) (*assessment.Round, *assessment.Result, error) {
	rounds, err := s.db.rounds.Rounds(ctx, ws, cl.ID)
	if err != nil {
		return nil, nil, err
	}
	closed := slices.DeleteFunc(slices.Clone(rounds), func(r assessment.Round) bool { return r.Open() })
	slices.SortStableFunc(closed, func(a, b assessment.Round) int {
		if c := b.ClosedAt.Compare(a.ClosedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	for i := range closed {
		r := &closed[i]
		ps, err := s.db.participants.RoundParticipants(ctx, ws, r.ID)
		if err != nil {
			return nil, nil, err
		}
		shown, _, err := s.shownRatings(ctx, r, ps)
		if err != nil {
			return nil, nil, err
		}
		if len(shown) > 0 {
			res := s.q.Aggregate(shown).Result
			return r, &res, nil
		}
	}
	return nil, nil, nil
}

// Reasons a client's benchmark is not available, in the API.
const (
	reasonTooFewPeers   = "too_few_peers"
	reasonNoClosedRound = "no_closed_round"
)

// apiClientBenchmark is a client's benchmark as JSON: the shape of an assessment's, with the
// round it is of and, when it is not available, why.
type apiClientBenchmark struct {
	apiBenchmark
	Round   *apiBenchmarkRound `json:"round,omitempty"`
	Reason  string             `json:"reason,omitempty"`
	Message string             `json:"message,omitempty"`
}

// apiBenchmarkRound names the round a client is compared by.
type apiBenchmarkRound struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// apiGetClientBenchmark is GET /api/v1/clients/{id}/benchmark?group=&lang=: the client's latest
// closed round compared with one peer group of the current release; group=workspace is "our
// clients". Another workspace's client is 404; a group the client's profile cannot select is
// 422; a group the release does not publish for it, or fewer than MinPeers other companies,
// is available: false with the reason.
func (s *Server) apiGetClientBenchmark(c echo.Context) error {
	ctx := c.Request().Context()
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	profile := cl.BenchmarkProfile()
	g, err := assessment.ClientGroupFor(requestedGroup(c), profile)
	if err != nil {
		return err
	}
	l := loc(c)
	out := apiClientBenchmark{apiBenchmark: apiBenchmark{Group: g.Group, GroupValue: g.Value}}
	r, res, err := s.latestClosed(ctx, currentUser(c).WorkspaceID, cl)
	if err != nil {
		return err
	}
	if r == nil {
		out.Reason, out.Message = reasonNoClosedRound, l.T("bench.client.noround")
		return c.JSON(http.StatusOK, out)
	}
	out.Round = &apiBenchmarkRound{ID: r.ID, Title: r.Title}
	cmp, err := s.compareWithPeers(ctx, self{key: cl.PoolKey()}, r.QuestionnaireVersion, res, g)
	if err != nil {
		return err
	}
	out.apiBenchmark = s.toAPIBenchmark(l, cmp)
	if !cmp.Available {
		out.Reason, out.Message = reasonTooFewPeers, l.F(unavailableKey(g.Group), views.Args{"Min": assessment.MinPeers})
	}
	return c.JSON(http.StatusOK, out)
}

// clientBenchmarkView is the benchmark section of a client's page: its latest closed round
// against the group of ?group=, with the group switch linking back to path. ok is false when
// the client has no closed round with a result.
func (s *Server) clientBenchmarkView(c echo.Context, cl *assessment.Client, path string) (views.BenchmarkView, bool, error) {
	r, res, err := s.latestClosed(c.Request().Context(), currentUser(c).WorkspaceID, cl)
	if err != nil || r == nil {
		return views.BenchmarkView{}, false, err
	}
	v, err := s.roundBenchmarkView(c, cl, r, res, path)
	return v, err == nil, err
}

// roundBenchmarkView is the benchmark section of one of a client's rounds (its result res)
// against the group of ?group=, the client itself left out.
func (s *Server) roundBenchmarkView(c echo.Context, cl *assessment.Client, r *assessment.Round, res *assessment.Result, path string) (views.BenchmarkView, error) {
	profile := cl.BenchmarkProfile()
	cmp, err := s.pageBenchmark(c, self{key: cl.PoolKey()}, profile, r.QuestionnaireVersion, res)
	if err != nil {
		return views.BenchmarkView{}, err
	}
	l := loc(c)
	v := s.benchmarkView(l, profile, cmp, path, "bench.group.missing.client", "bench.pending.client")
	date := r.ClosedAt
	if r.Open() {
		date = r.OpenedAt
	}
	v.Of = l.F("bench.client.of", views.Args{"Round": r.Title, "Date": formatDate(l, date)})
	return v, nil
}

// groupKeys are the groups a company with profile is compared in: a client's (with its
// workspace) has "our clients" too.
func groupKeys(profile assessment.Company) []string {
	if profile.Workspace != "" {
		return assessment.ClientGroups
	}
	return assessment.Groups
}
