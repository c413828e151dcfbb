// Package store declares the storage contract of the LOYALTY app, split by concern: one
// small interface per thing stored, each in the file of its concern, and Store, the union
// the web layer is given. Consumers take the narrow interface they use (web keeps one field
// per concern, so that every call names what it touches; the email worker takes
// email.Outbox; the rate limits auth.FailureStore).
//
// Every method that touches a tenant's data takes the workspace id and answers ENOTFOUND
// for another workspace's. assessment/sqlstore implements all of it, on SQLite and
// PostgreSQL; every engine passes the conformance suite in assessment/storetest.
package store

import "context"

// Store is everything the web layer needs from storage.
type Store interface {
	Health
	Assessments
	Pool
	Accounts
	Clients
	Rounds
	Limits
	Tokens
	Teams
	Mail
	Audit
	SecondFactors
	Passkeys
	Verification
	Domains
	Console
	Participants
	Battles
	Invitations
}

// Health reports whether the database can serve this program, for /readyz.
type Health interface {
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// CheckSchema reports whether the database's schema is exactly the one this program
	// was built for (its migrations, no more, no fewer).
	CheckSchema(ctx context.Context) error
}
