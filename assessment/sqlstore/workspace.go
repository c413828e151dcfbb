package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores the consultant workspace's accounts and clients. Every method that reads
// or writes a tenant's data takes the workspace id and filters on it, so another workspace's
// id answers ENOTFOUND exactly like an id that does not exist.

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// isUnique reports whether err is a UNIQUE constraint violation, on either engine.
func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || isUniqueViolation(err))
}

// EnsureWorkspace returns the workspace called name, creating it if it does not exist.
func (db *DB) EnsureWorkspace(ctx context.Context, name string) (*assessment.Workspace, error) {
	name, fes := assessment.CleanText("workspace", name, assessment.MaxWorkspaceName)
	if len(fes) > 0 || name == "" {
		return nil, assessment.NewError(assessment.EINVALID, assessment.MsgWorkspaceName, assessment.Args{"Max": assessment.MaxWorkspaceName})
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("ensure workspace: %w", err)
	}
	defer tx.Rollback()
	now := db.Now()
	if _, err := tx.ExecContext(ctx, "INSERT INTO workspaces (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, formatTime(now)); err != nil {
		return nil, fmt.Errorf("ensure workspace: %w", err)
	}
	var w assessment.Workspace
	var created string
	if err := tx.QueryRowContext(ctx, "SELECT id, name, created_at FROM workspaces WHERE name = ?", name).Scan(&w.ID, &w.Name, &created); err != nil {
		return nil, fmt.Errorf("ensure workspace: %w", err)
	}
	if w.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("ensure workspace: %w", err)
	}
	return &w, tx.Commit()
}

// CreateUser adds u (validated by assessment.NewUser) to workspace wsID with the given
// password hash. An email already in use is ECONFLICT. It sets u.ID, u.WorkspaceID and
// u.CreatedAt.
func (db *DB) CreateUser(ctx context.Context, wsID int64, u *assessment.User, passwordHash string) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	defer tx.Rollback()
	id, err := tx.insertID(ctx, "INSERT INTO users (workspace_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		wsID, u.Email, u.Name, u.Role, passwordHash, formatTime(now))
	if isUnique(err) {
		return assessment.NewError(assessment.ECONFLICT, assessment.MsgMemberExists, assessment.Args{"Email": u.Email})
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	u.ID, u.WorkspaceID, u.CreatedAt = id, wsID, now
	return nil
}

// userColumns are a user's columns, from users u and their workspace w. An operator has no
// workspace (a LEFT JOIN finds none): workspace 0, no name, not suspended.
const userColumns = "u.id, COALESCE(u.workspace_id, 0), COALESCE(w.name, ''), u.email, u.name, u.role, u.created_at, CASE WHEN w.suspended_at <> '' THEN 1 ELSE 0 END"

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*assessment.User, error) {
	var u assessment.User
	var created string
	dst := append([]any{&u.ID, &u.WorkspaceID, &u.Workspace, &u.Email, &u.Name, &u.Role, &created, &u.Suspended}, extra...)
	if err := row.Scan(dst...); err != nil {
		return nil, err
	}
	var err error
	u.CreatedAt, err = parseTime(created)
	return &u, err
}

// UserByEmail returns the member with the given email (any case) and their password hash.
func (db *DB) UserByEmail(ctx context.Context, email string) (*assessment.User, string, error) {
	var hash string
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+", u.password_hash FROM users u LEFT JOIN workspaces w ON w.id = u.workspace_id WHERE u.email = ?",
		strings.ToLower(strings.TrimSpace(email))), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", assessment.ErrNoMember
	}
	if err != nil {
		return nil, "", fmt.Errorf("find user: %w", err)
	}
	return u, hash, nil
}

// Members lists the members of workspace wsID by name.
func (db *DB) Members(ctx context.Context, wsID int64) ([]assessment.User, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+userColumns+" FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.workspace_id = ? ORDER BY u.name, u.id", wsID)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var out []assessment.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list members: %w", err)
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

var errNoMember = assessment.ErrNoMember

func memberTx(ctx context.Context, q queryer, wsID, id int64) (*assessment.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.id = ? AND u.workspace_id = ?", id, wsID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoMember
	}
	if err != nil {
		return nil, fmt.Errorf("find member: %w", err)
	}
	return u, nil
}

// memberChangeTx loads the acting member and the target member of workspace wsID and the
// number of its admins, inside tx, so the rule of the change is checked against the state
// the change is made in: two admins demoting each other at once cannot both succeed.
func memberChangeTx(ctx context.Context, tx *Tx, wsID, actorID, id int64) (actor, target *assessment.User, admins int, err error) {
	if actor, err = memberTx(ctx, tx, wsID, actorID); err != nil {
		if errors.Is(err, errNoMember) {
			err = assessment.ErrAdminOnly
		}
		return nil, nil, 0, err
	}
	if target, err = memberTx(ctx, tx, wsID, id); err != nil {
		return nil, nil, 0, err
	}
	if err = tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE workspace_id = ? AND role = ?", wsID, assessment.RoleAdmin).Scan(&admins); err != nil {
		return nil, nil, 0, fmt.Errorf("count admins: %w", err)
	}
	return actor, target, admins, nil
}

// RemoveMember removes member id from workspace wsID on behalf of member actorID, under
// assessment.CheckRemoveMember. The member's sessions and API tokens are deleted in the same
// transaction, so whatever they had open stops working at once. It returns the removed
// member.
func (db *DB) RemoveMember(ctx context.Context, wsID, actorID, id int64) (*assessment.User, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("remove member: %w", err)
	}
	defer tx.Rollback()
	actor, target, admins, err := memberChangeTx(ctx, tx, wsID, actorID, id)
	if err != nil {
		return nil, err
	}
	if err := assessment.CheckRemoveMember(actor, target, admins); err != nil {
		return nil, err
	}
	for _, stmt := range []string{
		"DELETE FROM sessions WHERE user_id = ?",
		"DELETE FROM api_tokens WHERE user_id = ?",
		"DELETE FROM users WHERE id = ?",
	} {
		if _, err := tx.ExecContext(ctx, stmt, target.ID); err != nil {
			return nil, fmt.Errorf("remove member: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("remove member: %w", err)
	}
	return target, nil
}

// SetMemberRole gives member id of workspace wsID the role role on behalf of member
// actorID, under assessment.CheckRoleChange. The change applies to the member's open
// sessions and API tokens from their next request, since those read the role afresh. It
// returns the member with their new role.
func (db *DB) SetMemberRole(ctx context.Context, wsID, actorID, id int64, role string) (*assessment.User, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("set member role: %w", err)
	}
	defer tx.Rollback()
	actor, target, admins, err := memberChangeTx(ctx, tx, wsID, actorID, id)
	if err != nil {
		return nil, err
	}
	if err := assessment.CheckRoleChange(actor, target, role, admins); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE users SET role = ? WHERE id = ? AND workspace_id = ?", role, target.ID, wsID); err != nil {
		return nil, fmt.Errorf("set member role: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("set member role: %w", err)
	}
	target.Role = role
	return target, nil
}

// CreateSession stores a session of user userID under the hash of its token, and deletes
// the sessions that have expired.
func (db *DB) CreateSession(ctx context.Context, userID int64, tokenHash, csrf string, expires time.Time) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", formatTime(now)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		tokenHash, userID, csrf, formatTime(now), formatTime(expires)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return tx.Commit()
}

// Session returns the unexpired session stored under tokenHash; anything else is
// EUNAUTHORIZED.
func (db *DB) Session(ctx context.Context, tokenHash string) (*assessment.Session, error) {
	var s assessment.Session
	var expires, created string
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+", s.csrf, s.expires_at, s.created_at FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN workspaces w ON w.id = u.workspace_id WHERE s.token_hash = ? AND s.expires_at > ? AND COALESCE(w.suspended_at, '') = ''",
		tokenHash, formatTime(db.Now())), &s.CSRF, &expires, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.NewError(assessment.EUNAUTHORIZED, assessment.MsgSignIn, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	s.User = *u
	if s.ExpiresAt, err = parseTime(expires); err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return &s, nil
}

// DeleteSession ends the session stored under tokenHash (logout). An unknown session is not
// an error: the outcome is the same.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return tx.Commit()
}

const clientColumns = "id, workspace_id, name, industry, size, country, nps_years, benchmark_consent, archived, created_at, updated_at"

func scanClient(row interface{ Scan(...any) error }) (*assessment.Client, error) {
	var c assessment.Client
	var created, updated string
	p := &c.Profile
	if err := row.Scan(&c.ID, &c.WorkspaceID, &p.Name, &p.Industry, &p.Size, &p.Country, &p.NPSYears, &c.BenchmarkConsent, &c.Archived, &created, &updated); err != nil {
		return nil, err
	}
	var err1, err2 error
	c.CreatedAt, err1 = parseTime(created)
	c.UpdatedAt, err2 = parseTime(updated)
	return &c, errors.Join(err1, err2)
}

var errNoClient = assessment.NewError(assessment.ENOTFOUND, assessment.MsgClientNotFound, nil)

// CreateClient stores c (validated by Questionnaire.NewClient) in workspace wsID and sets
// its ID, WorkspaceID and times.
func (db *DB) CreateClient(ctx context.Context, wsID int64, c *assessment.Client) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create client: %w", err)
	}
	defer tx.Rollback()
	id, err := insertClientTx(ctx, tx, wsID, c, now)
	if err != nil {
		return fmt.Errorf("create client: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create client: %w", err)
	}
	c.ID, c.WorkspaceID, c.CreatedAt, c.UpdatedAt, c.Archived = id, wsID, now, now, false
	return nil
}

// insertClientTx stores c as a new client of workspace wsID created at now, and returns its
// id.
func insertClientTx(ctx context.Context, tx *Tx, wsID int64, c *assessment.Client, now time.Time) (int64, error) {
	p := c.Profile
	return tx.insertID(ctx, `INSERT INTO clients (workspace_id, name, industry, size, country, nps_years, benchmark_consent, archived, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`, wsID, p.Name, p.Industry, p.Size, p.Country, p.NPSYears, c.BenchmarkConsent, formatTime(now), formatTime(now))
}

// Client returns client id of workspace wsID.
func (db *DB) Client(ctx context.Context, wsID, id int64) (*assessment.Client, error) {
	c, err := scanClient(db.read.QueryRowContext(ctx, "SELECT "+clientColumns+" FROM clients WHERE id = ? AND workspace_id = ?", id, wsID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoClient
	}
	if err != nil {
		return nil, fmt.Errorf("find client: %w", err)
	}
	return c, nil
}

// Clients lists the clients of workspace wsID by name: the active ones, or the archived ones.
func (db *DB) Clients(ctx context.Context, wsID int64, archived bool) ([]assessment.Client, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+clientColumns+" FROM clients WHERE workspace_id = ? AND archived = ? ORDER BY lower(name), id", wsID, archived)
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	defer rows.Close()
	var out []assessment.Client
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return nil, fmt.Errorf("list clients: %w", err)
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// UpdateClient stores the profile and consent of c (validated by Questionnaire.NewClient),
// which must belong to workspace wsID. In the same transaction the client's benchmark pool
// entry follows: withdrawing consent takes it out, giving consent (or changing the profile)
// puts its latest closed round in, scored with q.
func (db *DB) UpdateClient(ctx context.Context, q *assessment.Questionnaire, wsID int64, c *assessment.Client) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update client: %w", err)
	}
	defer tx.Rollback()
	p := c.Profile
	res, err := tx.ExecContext(ctx, `UPDATE clients SET name = ?, industry = ?, size = ?, country = ?, nps_years = ?, benchmark_consent = ?, updated_at = ?
		WHERE id = ? AND workspace_id = ?`, p.Name, p.Industry, p.Size, p.Country, p.NPSYears, c.BenchmarkConsent, formatTime(now), c.ID, wsID)
	if err != nil {
		return fmt.Errorf("update client: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errNoClient
	}
	if err := syncPoolTx(ctx, tx, q, wsID, c.ID); err != nil {
		return fmt.Errorf("update client: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update client: %w", err)
	}
	c.UpdatedAt = now
	return nil
}

// SetClientArchived archives or restores client id. Archiving keeps every round and the
// client's place in the benchmark pool.
func (db *DB) SetClientArchived(ctx context.Context, wsID, id int64, archived bool) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("archive client: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "UPDATE clients SET archived = ?, updated_at = ? WHERE id = ? AND workspace_id = ?", archived, formatTime(db.Now()), id, wsID)
	if err != nil {
		return fmt.Errorf("archive client: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errNoClient
	}
	return tx.Commit()
}

// DeleteClient deletes client id with every round, participant, answer and battle of it,
// and takes it out of the benchmark pool, in one transaction.
func (db *DB) DeleteClient(ctx context.Context, wsID, id int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete client: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM clients WHERE id = ? AND workspace_id = ?", id, wsID)
	if err != nil {
		return fmt.Errorf("delete client: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errNoClient
	}
	if err := removeClientFromPoolTx(ctx, tx, id); err != nil {
		return fmt.Errorf("delete client: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete client: %w", err)
	}
	db.erased(ctx)
	return nil
}

// CreateDevice remembers a device (the hash of its cookie's token) on which member userID
// signed in, until expires, and deletes the devices that have expired.
func (db *DB) CreateDevice(ctx context.Context, userID int64, tokenHash string, expires time.Time) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create device: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM devices WHERE expires_at <= ?", formatTime(now)); err != nil {
		return fmt.Errorf("create device: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO devices (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		tokenHash, userID, formatTime(now), formatTime(expires)); err != nil {
		return fmt.Errorf("create device: %w", err)
	}
	return tx.Commit()
}

// DeviceUser returns the member a known, unexpired device signed in as, or 0.
func (db *DB) DeviceUser(ctx context.Context, tokenHash string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, "SELECT user_id FROM devices WHERE token_hash = ? AND expires_at > ?", tokenHash, formatTime(db.Now())).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("device: %w", err)
	}
	return id, nil
}
