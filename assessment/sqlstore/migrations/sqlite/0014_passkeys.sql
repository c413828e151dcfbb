-- Passkeys (issue 20): WebAuthn credentials a member signs in with instead of a password.
--
-- passkey_handles keeps each member's WebAuthn user handle: random bytes (base64url), not the
-- member's id or email, the same for all of the member's passkeys, and what a discoverable
-- credential returns at sign-in to name its member. Stored once per member so that it
-- cannot drift between passkeys.
CREATE TABLE passkey_handles (
	user_id INTEGER NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	handle  TEXT NOT NULL UNIQUE
);

-- passkeys holds the public half of each credential: credential_id (base64url, unique across
-- the database, so a credential names one member), the library's credential record as JSON
-- (public key, sign counter, flags: no private key and no biometric ever reaches the
-- server), the member's name for it and its dates. clone_warning marks a credential whose
-- sign counter went backwards; it no longer signs in. Rows go with the member.
CREATE TABLE passkeys (
	id            INTEGER PRIMARY KEY,
	user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	credential_id TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	record        TEXT NOT NULL,
	clone_warning INTEGER NOT NULL DEFAULT 0 CHECK (clone_warning IN (0, 1)),
	created_at    TEXT NOT NULL,
	last_used_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX passkeys_user ON passkeys(user_id, id);

-- passkey_challenges is the server's half of each ceremony in progress: the challenge sent
-- to the browser (its SHA-256, the key), register or login, the member registering (NULL
-- when signing in), the library's session data and the expiry. A row is deleted when its
-- answer arrives, so a challenge completes at most once; expired rows are deleted whenever a
-- new ceremony starts.
CREATE TABLE passkey_challenges (
	challenge_hash TEXT NOT NULL PRIMARY KEY,
	kind           TEXT NOT NULL CHECK (kind IN ('register', 'login')),
	user_id        INTEGER REFERENCES users(id) ON DELETE CASCADE,
	data           TEXT NOT NULL,
	expires_at     TEXT NOT NULL
);
CREATE INDEX passkey_challenges_expires ON passkey_challenges(expires_at);
