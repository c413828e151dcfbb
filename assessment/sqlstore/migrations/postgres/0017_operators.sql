-- Operator accounts, suspended workspaces and the operator audit log (issue 21).
--
-- An operator runs the installation (/ops): approves tests into the benchmark pool, creates
-- and suspends workspaces, watches the outbox. An operator is a row of users with role
-- 'operator' and no workspace, so that sign-in, sessions, TOTP, passkeys and password resets
-- are the members' own code, and every query that joins a member's workspace (clients,
-- rounds, answers, API tokens) finds nothing for an operator.
ALTER TABLE users ALTER COLUMN workspace_id DROP NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'consultant', 'operator'));
-- An operator has no workspace; every member has one.
ALTER TABLE users ADD CONSTRAINT users_operator_check CHECK ((role = 'operator') = (workspace_id IS NULL));

-- suspended_at is when an operator suspended the workspace ('' while it is in use): its
-- members cannot sign in or use the API, and their sessions were ended at that moment.
ALTER TABLE workspaces ADD COLUMN suspended_at TEXT NOT NULL DEFAULT '';

-- scope 'operator' marks the operator audit log's events (assessment.AuditScopeOperator):
-- they belong to no workspace (workspace_id NULL) and only operators read them.
ALTER TABLE audit_events ADD COLUMN scope TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_events_scope ON audit_events(scope, id);

-- pool_rejected_at is when an operator rejected a consenting test ('' otherwise): it is not
-- offered for verification again (it can still be verified by its id).
ALTER TABLE assessments ADD COLUMN pool_rejected_at TEXT NOT NULL DEFAULT '';
