package web

import (
	"context"

	"github.com/loyalty-cx/loyalty/assessment"
)

// release returns the benchmark release every page and endpoint reads, making the next one
// first when one is due (assessment.ReleaseStatus.Due). Releases are made on the first read
// after they fall due rather than on a timer, so no request path waits on a clock and tests
// move time by moving Config.Now. Several processes on one database may all find a release
// due: the store makes it once. A failure to make one is logged and the latest is shown.
func (s *Server) release(ctx context.Context) (*assessment.Release, error) {
	st, err := s.db.pool.ReleaseStatus(ctx, s.q.Version, s.demo)
	if err != nil {
		return nil, err
	}
	if st.Due(s.now()) {
		if st, err = s.makeRelease(ctx); err != nil {
			return nil, err
		}
	}
	if st.Latest == 0 {
		return &assessment.Release{}, nil
	}
	return s.db.pool.Release(ctx, st.Latest)
}

// makeRelease makes the release that is due, one at a time in this process, and returns the
// status after it.
func (s *Server) makeRelease(ctx context.Context) (assessment.ReleaseStatus, error) {
	s.releaseMu.Lock()
	defer s.releaseMu.Unlock()
	// The release belongs to every reader, not to this request: a reader that goes away must
	// not cancel it half-way.
	ctx = context.WithoutCancel(ctx)
	// Another request of this process may have made it while this one waited.
	st, err := s.db.pool.ReleaseStatus(ctx, s.q.Version, s.demo)
	if err != nil || !st.Due(s.now()) {
		return st, err
	}
	made, err := s.db.pool.MakeRelease(ctx, s.q, s.demo, s.noise)
	if err != nil {
		s.log.ErrorContext(ctx, "benchmark release", "err", err)
	} else if made {
		s.metrics.releaseMade()
		s.log.InfoContext(ctx, "benchmark release made", "questionnaire", s.q.Version, "demo", s.demo)
	}
	return s.db.pool.ReleaseStatus(ctx, s.q.Version, s.demo)
}
