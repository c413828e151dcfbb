package web

import "github.com/loyalty-cx/loyalty/assessment/store"

// stores is the database by concern (assessment/store): each handler calls the narrow
// interface of what it touches, s.db.rounds.Round rather than a store of everything.
type stores struct {
	health       store.Health
	assessments  store.Assessments
	pool         store.Pool
	accounts     store.Accounts
	tokens       store.Tokens
	factors      store.SecondFactors
	passkeys     store.Passkeys
	audit        store.Audit
	mail         store.Mail
	clients      store.Clients
	rounds       store.Rounds
	participants store.Participants
	battles      store.Battles
	teams        store.Teams
	invitations  store.Invitations
	verification store.Verification
	domains      store.Domains
	console      store.Console
}

// newStores splits one store into its concerns.
func newStores(st store.Store) stores {
	return stores{
		health:       st,
		assessments:  st,
		pool:         st,
		accounts:     st,
		tokens:       st,
		factors:      st,
		passkeys:     st,
		audit:        st,
		mail:         st,
		clients:      st,
		rounds:       st,
		participants: st,
		battles:      st,
		teams:        st,
		invitations:  st,
		verification: st,
		domains:      st,
		console:      st,
	}
}
