package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file keeps members' passkeys (WebAuthn credentials) and the ceremonies in progress.
// Every method that lists, renames or removes takes the owner's id, so another member's
// passkey is ErrNoPasskey exactly like one that does not exist. A challenge is deleted by
// the one request that takes it, so it completes at most once, on either engine.

var b64 = base64.RawURLEncoding

// PasskeyHandle returns the WebAuthn user handle of member userID, storing candidate (fresh
// random bytes from the caller) as the handle if the member has none yet.
func (db *DB) PasskeyHandle(ctx context.Context, userID int64, candidate []byte) ([]byte, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("passkey handle: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "INSERT INTO passkey_handles (user_id, handle) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
		userID, b64.EncodeToString(candidate)); err != nil {
		return nil, fmt.Errorf("passkey handle: %w", err)
	}
	var h string
	if err := tx.QueryRowContext(ctx, "SELECT handle FROM passkey_handles WHERE user_id = ?", userID).Scan(&h); err != nil {
		return nil, fmt.Errorf("passkey handle: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("passkey handle: %w", err)
	}
	return b64.DecodeString(h)
}

// PasskeyUser returns the member whose user handle is handle: ErrPasskeyRejected for a
// handle nobody has.
func (db *DB) PasskeyUser(ctx context.Context, handle []byte) (*assessment.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM passkey_handles h JOIN users u ON u.id = h.user_id LEFT JOIN workspaces w ON w.id = u.workspace_id WHERE h.handle = ?",
		b64.EncodeToString(handle)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrPasskeyRejected
	}
	if err != nil {
		return nil, fmt.Errorf("passkey user: %w", err)
	}
	return u, nil
}

// AddPasskey stores p as a passkey of member userID and sets its ID, UserID and CreatedAt. A
// credential stored already (for anyone) is ErrPasskeyExists; a member who has
// assessment.MaxPasskeys is ErrPasskeysFull.
func (db *DB) AddPasskey(ctx context.Context, userID int64, p *assessment.Passkey) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add passkey: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM passkeys WHERE user_id = ?", userID).Scan(&n); err != nil {
		return fmt.Errorf("add passkey: %w", err)
	}
	if n >= assessment.MaxPasskeys {
		return assessment.ErrPasskeysFull
	}
	id, err := tx.insertID(ctx, "INSERT INTO passkeys (user_id, credential_id, name, record, created_at) VALUES (?, ?, ?, ?, ?)",
		userID, b64.EncodeToString(p.CredentialID), p.Name, string(p.Record), formatTime(now))
	if isUnique(err) {
		return assessment.ErrPasskeyExists
	}
	if err != nil {
		return fmt.Errorf("add passkey: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add passkey: %w", err)
	}
	p.ID, p.UserID, p.CreatedAt = id, userID, now
	return nil
}

const passkeyColumns = "id, user_id, credential_id, name, record, clone_warning, created_at, last_used_at"

func scanPasskey(row interface{ Scan(...any) error }) (*assessment.Passkey, error) {
	var p assessment.Passkey
	var cred, record, created, used string
	var clone int
	if err := row.Scan(&p.ID, &p.UserID, &cred, &p.Name, &record, &clone, &created, &used); err != nil {
		return nil, err
	}
	var err1, err2, err3 error
	p.CredentialID, err1 = b64.DecodeString(cred)
	p.CreatedAt, err2 = parseTime(created)
	p.LastUsedAt, err3 = parseTime(used)
	p.Record, p.CloneWarning = []byte(record), clone != 0
	return &p, errors.Join(err1, err2, err3)
}

// Passkeys lists the passkeys of member userID, oldest first.
func (db *DB) Passkeys(ctx context.Context, userID int64) ([]assessment.Passkey, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+passkeyColumns+" FROM passkeys WHERE user_id = ? ORDER BY id", userID)
	if err != nil {
		return nil, fmt.Errorf("list passkeys: %w", err)
	}
	defer rows.Close()
	var out []assessment.Passkey
	for rows.Next() {
		p, err := scanPasskey(rows)
		if err != nil {
			return nil, fmt.Errorf("list passkeys: %w", err)
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// HasPasskey reports whether member userID has at least one passkey (a second factor, for
// the rule that a workspace may require one).
func (db *DB) HasPasskey(ctx context.Context, userID int64) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM passkeys WHERE user_id = ? AND clone_warning = 0", userID).Scan(&n); err != nil {
		return false, fmt.Errorf("has passkey: %w", err)
	}
	return n > 0, nil
}

// Passkey returns passkey id of member userID.
func (db *DB) Passkey(ctx context.Context, userID, id int64) (*assessment.Passkey, error) {
	p, err := scanPasskey(db.read.QueryRowContext(ctx, "SELECT "+passkeyColumns+" FROM passkeys WHERE id = ? AND user_id = ?", id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrNoPasskey
	}
	if err != nil {
		return nil, fmt.Errorf("find passkey: %w", err)
	}
	return p, nil
}

// PasskeyByCredential returns the passkey of a credential id, whoever owns it (signing in:
// the caller checks that it is the member the authenticator names). Unknown:
// ErrPasskeyRejected.
func (db *DB) PasskeyByCredential(ctx context.Context, credentialID []byte) (*assessment.Passkey, error) {
	p, err := scanPasskey(db.read.QueryRowContext(ctx, "SELECT "+passkeyColumns+" FROM passkeys WHERE credential_id = ?", b64.EncodeToString(credentialID)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrPasskeyRejected
	}
	if err != nil {
		return nil, fmt.Errorf("find passkey: %w", err)
	}
	return p, nil
}

// RenamePasskey gives passkey id of member userID the name name (validated by
// assessment.PasskeyName).
func (db *DB) RenamePasskey(ctx context.Context, userID, id int64, name string) error {
	res, err := db.write.ExecContext(ctx, "UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ?", name, id, userID)
	if err != nil {
		return fmt.Errorf("rename passkey: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return assessment.ErrNoPasskey
	}
	return nil
}

// RemovePasskey deletes passkey id of member userID and returns it: it no longer signs in.
func (db *DB) RemovePasskey(ctx context.Context, userID, id int64) (*assessment.Passkey, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("remove passkey: %w", err)
	}
	defer tx.Rollback()
	p, err := scanPasskey(tx.QueryRowContext(ctx, "SELECT "+passkeyColumns+" FROM passkeys WHERE id = ? AND user_id = ?", id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrNoPasskey
	}
	if err != nil {
		return nil, fmt.Errorf("remove passkey: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM passkeys WHERE id = ?", id); err != nil {
		return nil, fmt.Errorf("remove passkey: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("remove passkey: %w", err)
	}
	return p, nil
}

// UsePasskey records a sign-in with passkey id at the time of the store's clock: the
// updated credential record (its sign counter) and whether it showed signs of a clone.
func (db *DB) UsePasskey(ctx context.Context, id int64, record []byte, cloneWarning bool) error {
	clone := 0
	if cloneWarning {
		clone = 1
	}
	if _, err := db.write.ExecContext(ctx, "UPDATE passkeys SET record = ?, clone_warning = ?, last_used_at = ? WHERE id = ?",
		string(record), clone, formatTime(db.Now()), id); err != nil {
		return fmt.Errorf("record passkey use: %w", err)
	}
	return nil
}

// challengeHash keys a challenge by its SHA-256: the table holds nothing a browser could
// answer with.
func challengeHash(challenge string) string {
	sum := sha256.Sum256([]byte(challenge))
	return hex.EncodeToString(sum[:])
}

// SavePasskeyChallenge stores the server's half of a ceremony, and deletes the expired ones.
func (db *DB) SavePasskeyChallenge(ctx context.Context, c assessment.PasskeyChallenge) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save passkey challenge: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM passkey_challenges WHERE expires_at <= ?", formatTime(db.Now())); err != nil {
		return fmt.Errorf("save passkey challenge: %w", err)
	}
	var user any
	if c.UserID != 0 {
		user = c.UserID
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO passkey_challenges (challenge_hash, kind, user_id, data, expires_at) VALUES (?, ?, ?, ?, ?)",
		challengeHash(c.Challenge), c.Kind, user, string(c.Data), formatTime(c.ExpiresAt)); err != nil {
		return fmt.Errorf("save passkey challenge: %w", err)
	}
	return tx.Commit()
}

// TakePasskeyChallenge deletes the ceremony of challenge and kind and returns it, so that
// no second answer can use it. One that is unknown, of the other kind, taken already or
// expired by the store's clock is assessment.ErrPasskeyChallenge.
func (db *DB) TakePasskeyChallenge(ctx context.Context, challenge, kind string) (*assessment.PasskeyChallenge, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("take passkey challenge: %w", err)
	}
	defer tx.Rollback()
	h := challengeHash(challenge)
	c := assessment.PasskeyChallenge{Challenge: challenge, Kind: kind}
	var user sql.NullInt64
	var data, expires string
	err = tx.QueryRowContext(ctx, "SELECT user_id, data, expires_at FROM passkey_challenges WHERE challenge_hash = ? AND kind = ?", h, kind).
		Scan(&user, &data, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrPasskeyChallenge
	}
	if err != nil {
		return nil, fmt.Errorf("take passkey challenge: %w", err)
	}
	// Only the request whose DELETE removed the row may go on: on PostgreSQL two requests
	// can both read it, and one of them deletes nothing.
	res, err := tx.ExecContext(ctx, "DELETE FROM passkey_challenges WHERE challenge_hash = ?", h)
	if err != nil {
		return nil, fmt.Errorf("take passkey challenge: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, assessment.ErrPasskeyChallenge
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("take passkey challenge: %w", err)
	}
	c.UserID, c.Data = user.Int64, []byte(data)
	if c.ExpiresAt, err = parseTime(expires); err != nil {
		return nil, fmt.Errorf("take passkey challenge: %w", err)
	}
	if c.Expired(db.Now()) {
		return nil, assessment.ErrPasskeyChallenge
	}
	return &c, nil
}
