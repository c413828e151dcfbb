package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckSchema: a freshly opened store has exactly the migrations this program embeds;
// a file another program changed afterwards (one migrated further by a newer program, one
// with a migration missing as in an older copy) or a closed store is not current.
func TestCheckSchema(t *testing.T) {
	tests := []struct {
		name   string
		change string // SQL run on the file behind the store's back, "" for none
		close  bool
		want   string // a part of the error, "" for none
	}{
		{"current", "", false, ""},
		{"newer program migrated it", "INSERT INTO schema_migrations (version, applied_at) VALUES (9999, '2030-01-01')", false, "9999"},
		{"a migration missing", "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)", false, "this program embeds"},
		{"closed store", "", true, "closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "loyalty.db")
			db := open(t, path)
			if tt.change != "" {
				raw, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := raw.Exec(tt.change); err != nil {
					t.Fatal(err)
				}
				raw.Close()
			}
			if tt.close {
				db.Close()
			}
			err := db.CheckSchema(ctx)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckSchema = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("CheckSchema = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
