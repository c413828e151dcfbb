package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthz answers 200 while the process serves requests: a liveness probe that restarts the
// process when it fails must not fail because the database is slow or a deploy is migrating
// it, which a restart would not mend. Whether the instance should get traffic is readyz.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 when the database answers and its schema is the one this program was
// built for and the process is not shutting down (Drain), and 503 with a short reason
// otherwise, so that a load balancer sends requests
// only to instances that can serve them. The details go to the log, not to the caller.
func (s *Server) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	if s.draining.Load() {
		return c.String(http.StatusServiceUnavailable, "shutting down\n")
	}
	if err := s.db.health.Ping(ctx); err != nil {
		s.log.ErrorContext(ctx, "readiness check", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable\n")
	}
	if err := s.db.health.CheckSchema(ctx); err != nil {
		s.log.ErrorContext(ctx, "readiness check", "err", err)
		return c.String(http.StatusServiceUnavailable, "database schema not current\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
