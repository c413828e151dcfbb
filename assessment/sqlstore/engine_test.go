package sqlstore

import (
	"reflect"
	"testing"
)

// TestPostgresQuery: '?' placeholders become $1, $2, … in order; SQLite's numbered ?NNN keep
// their number; a '?' inside quotes is text; SQLite's queries are left alone.
func TestPostgresQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"WHERE v = ?1 AND d = ?2 OR v = ?1", "WHERE v = $1 AND d = $2 OR v = $1"},
		{"WHERE x = '?' AND y = ?", "WHERE x = '?' AND y = $1"},
		{`SELECT "a?b" FROM t WHERE y = ?`, `SELECT "a?b" FROM t WHERE y = $1`},
		{"VALUES (?, ?, 'as_is', ?), (?, ?, 'to_be', ?)", "VALUES ($1, $2, 'as_is', $3), ($4, $5, 'to_be', $6)"},
		{"WHERE s = 'it''s ?' AND t = ?", "WHERE s = 'it''s ?' AND t = $1"},
	}
	for _, tt := range tests {
		if got := postgresEngine.query(tt.in); got != tt.want {
			t.Errorf("postgres query(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := sqliteEngine.query(tt.in); got != tt.in {
			t.Errorf("sqlite query(%q) = %q, want it unchanged", tt.in, got)
		}
	}
}

// TestPostgresArgs: PostgreSQL gets flags as 0 and 1, in a copy of the caller's arguments.
func TestPostgresArgs(t *testing.T) {
	in := []any{"a", true, int64(3), false}
	got := postgresEngine.args(in)
	if want := []any{"a", int64(1), int64(3), int64(0)}; !reflect.DeepEqual(got, want) {
		t.Errorf("postgres args = %v, want %v", got, want)
	}
	if in[1] != true || in[3] != false {
		t.Errorf("the caller's arguments changed: %v", in)
	}
	if got := sqliteEngine.args(in); &got[0] != &in[0] {
		t.Error("sqlite args were copied")
	}
}
