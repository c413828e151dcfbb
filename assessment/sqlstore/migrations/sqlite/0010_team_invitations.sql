-- Personal links of team rounds (issue 16): a team round admits colleagues only through
-- links its holder makes, one per colleague, each admitting one device once; the round's
-- join code admits nobody new (assessment/invitation.go).
--
-- token is the link's secret (/i/{token}), 128 bits from crypto/rand, kept in clear like the
-- team link's, because the holder's team page shows the links again to copy. label is the
-- name the holder gave it. used_at is when a device pressed Start on it ('' while unused);
-- a used link stays used, so that it never admits a second device, even once its
-- participant is removed (participant_id then becomes NULL).
CREATE TABLE team_invitations (
	id             INTEGER PRIMARY KEY,
	round_id       INTEGER NOT NULL REFERENCES team_rounds(round_id) ON DELETE CASCADE,
	token          TEXT    NOT NULL UNIQUE,
	label          TEXT    NOT NULL,
	created_at     TEXT    NOT NULL,
	used_at        TEXT    NOT NULL DEFAULT '',
	participant_id INTEGER UNIQUE REFERENCES participants(id) ON DELETE SET NULL,
	UNIQUE (round_id, label)
);

-- cap is the most colleagues the holder lets join; 0 means one place per personal link.
ALTER TABLE team_rounds ADD COLUMN cap INTEGER NOT NULL DEFAULT 0 CHECK (cap >= 0);
