package web

import (
	"net/http"
	"testing"
)

// TestHealthAndReadiness: /healthz answers 200 whatever the database's state, /readyz only
// when the database answers with the schema this program embeds, and 503 with a short
// reason (no internal detail) when it is closed, migrated further by a newer program, or
// missing a migration.
func TestHealthAndReadiness(t *testing.T) {
	tests := []struct {
		name      string
		change    string // SQL run on the file behind the server's back
		close     bool
		wantReady int
		wantBody  string
	}{
		{"current", "", false, http.StatusOK, "ready\n"},
		{"newer program migrated it", "INSERT INTO schema_migrations (version, applied_at) VALUES (9999, '2030-01-01')", false,
			http.StatusServiceUnavailable, "database schema not current\n"},
		{"a migration missing", "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)", false,
			http.StatusServiceUnavailable, "database schema not current\n"},
		{"database closed", "", true, http.StatusServiceUnavailable, "database unavailable\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newEnv(t)
			if tt.change != "" {
				if _, err := a.raw.Exec(tt.change); err != nil {
					t.Fatal(err)
				}
			}
			if tt.close {
				a.db.Close()
			}
			if res := a.get("/healthz"); res.StatusCode != http.StatusOK || string(res.Body) != "ok\n" {
				t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\"", res.StatusCode, res.Body)
			}
			res := a.get("/readyz")
			if res.StatusCode != tt.wantReady || string(res.Body) != tt.wantBody {
				t.Errorf("GET /readyz = %d %q, want %d %q", res.StatusCode, res.Body, tt.wantReady, tt.wantBody)
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
				t.Errorf("GET /readyz Content-Type = %q, want text/plain", ct)
			}
		})
	}
}
