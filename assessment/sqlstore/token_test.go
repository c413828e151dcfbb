package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAPITokensMigration: tokens made before migration 0005 (hash, user, time only) still
// work after it, listed without a name and without expiry.
func TestAPITokensMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("migrations/sqlite/*.sql")
	sort.Strings(files)
	for _, file := range files {
		v, _ := strconv.Atoi(strings.SplitN(filepath.Base(file), "_", 2)[0])
		if v >= 5 {
			break
		}
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if _, err := raw.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES (?, 'x')", v); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		"INSERT INTO workspaces (id, name, created_at) VALUES (1, 'W', '2026-01-01T00:00:00.000000000Z')",
		"INSERT INTO users (id, workspace_id, email, name, role, password_hash, created_at) VALUES (7, 1, 'ann@a.example', 'Ann', 'admin', 'x', '2026-01-01T00:00:00.000000000Z')",
		"INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ('old-hash', 7, '2026-01-02T00:00:00.000000000Z')",
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db := open(t, path)
	u, err := db.APITokenUser(ctx, "old-hash")
	if err != nil || u.ID != 7 {
		t.Fatalf("old token after the migration = %+v, %v; want Ann", u, err)
	}
	list, err := db.APITokens(ctx, 7)
	if err != nil || len(list) != 1 || list[0].Name != "" || !list[0].ExpiresAt.IsZero() ||
		!list[0].CreatedAt.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("APITokens after the migration = %+v, %v; want one unnamed token without expiry, created 2 January", list, err)
	}
}
