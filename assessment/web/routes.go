package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
)

// table registers the routes under one prefix with the middleware they share. Every GET route
// answers HEAD too (RFC 9110 §9.3.2: same headers, no body; net/http drops the body), so HEAD
// is listed in Allow. The middleware goes on each route rather than on an echo Group: a Group
// with middleware registers a catch-all 404 route under its prefix, which made a known path
// with the wrong method answer 404 instead of 405 with Allow.
type table struct {
	e      *echo.Echo
	prefix string
	mw     []echo.MiddlewareFunc
}

func (t table) add(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	t.e.Add(method, t.prefix+path, h, append(slices.Clone(t.mw), m...)...)
}

// GET registers h for GET and HEAD.
func (t table) GET(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	t.add(http.MethodGet, path, h, m...)
	t.add(http.MethodHead, path, h, m...)
}

// POST registers h for POST.
func (t table) POST(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	t.add(http.MethodPost, path, h, m...)
}

// PATCH registers h for PATCH.
func (t table) PATCH(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	t.add(http.MethodPatch, path, h, m...)
}

// DELETE registers h for DELETE.
func (t table) DELETE(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	t.add(http.MethodDelete, path, h, m...)
}

// routes is the route table: every page and endpoint, with the middleware that guards it. The
// middleware every request passes (recover, request ID, logging, metrics, security headers,
// no-store for the API, language, body limit, compression, cross-origin refusal) is in New. Handlers live in files named after their page:
// /r/{token} in result.go, /w/rounds/{id}/report in report.go, and so on.
func (s *Server) routes() {
	e := table{e: s.echo}
	session := []echo.MiddlewareFunc{s.requireSession, s.checkCSRF}
	token := s.requireToken
	join := s.limitJoin

	// Public pages (home.go, test.go, result.go, result_delete.go, benchmark.go, export.go).
	e.GET("/static/*", echo.WrapHandler(s.static))
	e.GET("/healthz", s.healthz) // health.go
	e.GET("/readyz", s.readyz)   // health.go
	e.GET("/", s.home)
	e.GET("/test", s.testForm)
	e.POST("/test", s.submitTest)
	e.GET("/r/:token", s.result)
	e.GET("/r/:token/export.:format", s.exportResult)    // export.go
	e.GET("/r/:token/email", s.resultEmailForm)          // result_email.go
	e.POST("/r/:token/email", s.emailResult)             // result_email.go
	e.GET("/r/:token/verification", s.verifyRequestForm) // verification.go
	e.POST("/r/:token/verification", s.requestVerification)
	e.GET("/verify/:token", s.verifyPage) // a GET never confirms: mail scanners follow links
	e.POST("/verify/:token", s.confirmVerification)
	e.GET("/r/:token/delete", s.deleteResultForm) // result_delete.go
	e.POST("/r/:token/delete", s.deleteResult)    // result_delete.go
	e.GET("/deleted", s.resultDeleted)            // result_delete.go
	e.GET("/benchmark", s.benchmarkOverview)
	e.GET("/privacy", s.privacy) // privacy.go

	// Team rounds (team.go): a result's holder opens one for the leadership team; the team
	// link (/t/{team}) is its own credential and leads nowhere else. Colleagues join by the
	// personal links the holder makes (/i/{token}), then answer at /j like any participant.
	e.GET("/r/:token/team", s.teamInvite)
	e.POST("/r/:token/team", s.openTeam)
	e.GET("/t/:team", s.teamPage)
	e.GET("/t/:team/live", s.teamLive)
	e.GET("/t/:team/events", s.teamEvents) // events.go
	e.POST("/t/:team/reveal", s.teamReveal)
	e.POST("/t/:team/colleagues", s.addColleagues)
	e.POST("/t/:team/colleagues/:id/remove", s.removeColleague)
	e.POST("/t/:team/colleagues/:id/email", s.emailColleague) // team_email.go
	e.POST("/t/:team/cap", s.setTeamCap)
	// Personal links (invitation.go): the only way into a team round, one device each.
	e.GET("/i/:token", s.invitationPage)
	e.POST("/i/:token", s.startInvitation)

	// Consultants: sign-in (login.go) and the workspace behind a session and CSRF token.
	e.GET("/invite/:token", s.invitePage)        // member_invitation.go: a workspace invitation's link
	e.POST("/invite/:token", s.acceptInvite)     // member_invitation.go
	e.GET("/password/forgot", s.forgotForm)      // password.go
	e.POST("/password/forgot", s.forgot)         // password.go
	e.GET("/password/reset/:token", s.resetForm) // password.go
	e.POST("/password/reset/:token", s.reset)    // password.go
	e.GET("/login", s.loginForm)
	e.POST("/login", s.login)
	e.GET("/login/totp", s.totpPrompt)  // totp.go
	e.POST("/login/totp", s.verifyTOTP) // totp.go
	e.POST("/logout", s.logout, session...)
	e.POST("/login/passkey/begin", s.beginPasskeyLogin, jsonErrors) // passkeys.go
	e.POST("/login/passkey", s.passkeyLogin, jsonErrors)            // passkeys.go
	// The ceremonies answer JSON, errors too (jsonErrors first, so a refused session or
	// CSRF token is JSON as well): static/js/passkeys.js fetches them.
	jsonSession := append([]echo.MiddlewareFunc{jsonErrors}, session...)
	e.POST("/w/account/passkeys/begin", s.beginPasskey, jsonSession...) // passkeys.go
	e.POST("/w/account/passkeys", s.addPasskey, jsonSession...)         // passkeys.go
	w := table{e: s.echo, prefix: "/w", mw: session}
	w.GET("", s.clientsPage)                                               // clients.go
	w.GET("/clients", s.clientsPage)                                       // clients.go
	w.GET("/clients/new", s.newClientForm)                                 // clients.go
	w.POST("/clients", s.createClient)                                     // clients.go
	w.GET("/clients/:id", s.clientPage)                                    // clients.go
	w.GET("/clients/:id/edit", s.editClientForm)                           // clients.go
	w.POST("/clients/:id", s.updateClient)                                 // clients.go
	w.POST("/clients/:id/archive", s.archiveClient)                        // clients.go
	w.GET("/clients/:id/delete", s.deleteClientForm)                       // clients.go
	w.POST("/clients/:id/delete", s.deleteClient)                          // clients.go
	w.POST("/clients/:id/rounds", s.openRound)                             // rounds.go
	w.GET("/clients/:id/compare", s.compareRounds)                         // compare.go
	w.GET("/clients/:id/export.:format", s.exportHistory)                  // export.go
	w.GET("/rounds/:id", s.dashboard)                                      // dashboard.go
	w.GET("/rounds/:id/live", s.dashboardLive)                             // dashboard.go
	w.GET("/rounds/:id/events", s.dashboardEvents)                         // events.go
	w.GET("/rounds/:id/qr.svg", s.roundQR)                                 // rounds.go
	w.POST("/rounds/:id/reveal", s.revealRound)                            // rounds.go
	w.POST("/rounds/:id/countdown", s.setCountdown)                        // rounds.go
	w.GET("/rounds/:id/close", s.closeRoundForm)                           // rounds.go
	w.POST("/rounds/:id/close", s.closeRound)                              // rounds.go
	w.GET("/rounds/:id/reopen", s.reopenRoundForm)                         // rounds.go
	w.POST("/rounds/:id/reopen", s.reopenRound)                            // rounds.go
	w.GET("/rounds/:id/participants/:pid/remove", s.removeParticipantForm) // rounds.go
	w.POST("/rounds/:id/participants/:pid/remove", s.removeParticipant)    // rounds.go
	w.GET("/rounds/:id/present", s.present)                                // present.go
	w.GET("/rounds/:id/present/:step", s.present)                          // present.go
	w.GET("/rounds/:id/present/:step/live", s.presentLive)                 // present.go
	w.GET("/rounds/:id/present/:step/events", s.presentEvents)             // events.go
	w.GET("/rounds/:id/report", s.roundReport)                             // report.go
	w.GET("/rounds/:id/export.:format", s.exportRound)                     // export.go
	w.POST("/rounds/:id/battles", s.addBattle)                             // report.go
	w.POST("/rounds/:id/battles/:bid", s.updateBattle)                     // report.go
	w.POST("/rounds/:id/battles/:bid/delete", s.deleteBattle)              // report.go
	w.POST("/rounds/:id/notes", s.saveNote)                                // report.go
	w.GET("/portfolio", s.portfolio)                                       // portfolio.go
	w.GET("/portfolio/export.:format", s.exportPortfolio)                  // export.go
	w.GET("/members", s.membersPage)                                       // members.go
	w.POST("/members", s.addMember)                                        // members.go
	w.POST("/members/:id/role", s.setMemberRole)                           // members.go
	w.GET("/members/:id/remove", s.removeMemberForm)                       // members.go
	w.POST("/members/:id/remove", s.removeMember)                          // members.go
	w.POST("/invitations", s.createInvitation)                             // member_invitation.go
	w.POST("/invitations/:id/resend", s.resendInvitation)                  // member_invitation.go
	w.POST("/invitations/:id/revoke", s.revokeInvitation)                  // member_invitation.go
	w.GET("/tokens", s.tokensPage)                                         // tokens.go
	w.POST("/tokens", s.createToken)                                       // tokens.go
	w.GET("/tokens/:id/revoke", s.revokeTokenForm)                         // tokens.go
	w.POST("/tokens/:id/revoke", s.revokeToken)                            // tokens.go
	w.POST("/teams/import", s.importTeam)                                  // team_import.go
	w.GET("/account", s.accountPage)                                       // account.go
	w.POST("/account/password", s.changePassword)                          // account.go
	w.GET("/account/totp", s.totpSetupForm)                                // totp.go
	w.POST("/account/totp", s.confirmTOTP)                                 // totp.go
	w.POST("/account/totp/disable", s.disableTOTP)                         // totp.go
	w.POST("/account/require", s.setRequireSecondFactor)                   // totp.go
	w.GET("/audit", s.auditPage)                                           // audit.go
	w.GET("/account/passkeys", s.passkeysPage)                             // passkeys.go
	w.POST("/account/passkeys/:id/name", s.renamePasskey)                  // passkeys.go
	w.GET("/account/passkeys/:id/remove", s.removePasskeyForm)             // passkeys.go
	w.POST("/account/passkeys/:id/remove", s.removePasskey)                // passkeys.go

	// The operator console (ops.go, ops_approval.go): operator sessions with a second factor
	// only; a member's session gets 404.
	ops := table{e: s.echo, prefix: "/ops", mw: []echo.MiddlewareFunc{s.requireSession, s.requireOperator, s.checkCSRF}}
	ops.GET("", s.opsHome)                                          // ops.go
	ops.GET("/approvals", s.approvalsPage)                          // ops_approval.go
	ops.POST("/approvals/:id/approve", s.approveTest)               // ops_approval.go
	ops.POST("/approvals/:id/reject", s.rejectTest)                 // ops_approval.go
	ops.POST("/approvals/:id/unverify", s.unverifyTest)             // ops_approval.go
	ops.POST("/approvals/domains/:domain/approve", s.approveDomain) // ops_approval.go
	ops.POST("/approvals/domains/:domain/reject", s.rejectDomain)   // ops_approval.go
	ops.GET("/pool", s.opsPool)                                     // ops.go
	ops.GET("/workspaces", s.opsWorkspaces)                         // ops.go
	ops.POST("/workspaces", s.createWorkspace)                      // ops.go
	ops.GET("/workspaces/:id", s.opsWorkspacePage)                  // ops.go
	ops.POST("/workspaces/:id/suspend", s.suspendWorkspace)         // ops.go
	ops.POST("/workspaces/:id/resume", s.resumeWorkspace)           // ops.go
	ops.GET("/outbox", s.opsOutbox)                                 // ops.go
	ops.GET("/audit", s.opsAuditPage)                               // ops.go

	// Workshop participants (join.go): the link's code is the credential; unknown codes are
	// rate-limited per address, and a code that names a round always gets in.
	e.GET("/j", s.joinForm, join)
	e.GET("/j/:code", s.participate, join)
	e.POST("/j/:code", s.submitParticipation, join)
	e.POST("/j/:code/start", s.startParticipation, join)
	e.POST("/j/:code/draft", s.saveDraft, join)
	e.GET("/j/:code/state", s.roomState, join)
	e.GET("/j/:code/room", s.roomView, join)
	e.GET("/j/:code/events", s.roomEvents, join) // events.go

	// The JSON API (docs/api.md): tests are public; the workspace needs a Bearer token. No
	// answer may be kept by a shared cache (noStoreAPI, in New). Every resource read carries
	// an ETag (etag.go).
	api := table{e: s.echo, prefix: "/api/v1", mw: []echo.MiddlewareFunc{etags}}
	api.GET("/openapi.json", s.apiOpenAPI)                                     // openapi.go (openapi.yaml)
	api.POST("/assessments", s.apiCreateAssessment)                            // api_assessments.go
	api.GET("/assessments/:token", s.apiGetAssessment)                         // api_assessments.go
	api.DELETE("/assessments/:token", s.apiDeleteAssessment)                   // result_delete.go
	api.GET("/assessments/:token/benchmark", s.apiGetBenchmark)                // result_benchmark.go
	api.GET("/assessments/:token/export", s.exportResult)                      // export.go
	api.POST("/assessments/:token/team", s.apiOpenTeam)                        // api_teams.go
	api.POST("/assessments/:token/verification", s.apiRequestVerification)     // verification.go
	api.GET("/teams/:team", s.apiGetTeam)                                      // api_teams.go
	api.PATCH("/teams/:team", s.apiPatchTeam)                                  // api_teams.go
	api.GET("/teams/:team/invitations", s.apiListInvitations)                  // api_teams.go
	api.POST("/teams/:team/invitations", s.apiAddInvitations)                  // api_teams.go
	api.DELETE("/teams/:team/invitations/:id", s.apiRemoveInvitation)          // api_teams.go
	api.GET("/benchmark", s.apiBenchmarkOverview)                              // benchmark.go
	api.POST("/clients", s.apiCreateClient, token)                             // api_rounds.go
	api.GET("/clients", s.apiListClients, token)                               // api_rounds.go
	api.GET("/clients/:id", s.apiGetClient, token)                             // api_rounds.go
	api.GET("/clients/:id/benchmark", s.apiGetClientBenchmark, token)          // client_benchmark.go
	api.GET("/clients/:id/export", s.exportHistory, token)                     // export.go
	api.POST("/clients/:id/rounds", s.apiCreateRound, token)                   // api_rounds.go
	api.GET("/rounds/:id", s.apiGetRound, token)                               // api_rounds.go
	api.GET("/rounds/:id/export", s.exportRound, token)                        // export.go
	api.POST("/rounds/:id/close", s.apiCloseRound, token)                      // api_rounds.go
	api.POST("/rounds/:id/reveal", s.apiRevealRound, token)                    // api_rounds.go
	api.POST("/rounds/:id/hide", s.apiHideRound, token)                        // api_rounds.go
	api.POST("/rounds/:id/reopen", s.apiReopenRound, token)                    // api_rounds.go
	api.GET("/rounds/:id/participants", s.apiListParticipants, token)          // api_rounds.go
	api.DELETE("/rounds/:id/participants/:pid", s.apiRemoveParticipant, token) // api_rounds.go
	api.GET("/rounds/:id/battles", s.apiListBattles, token)                    // api_rounds.go
	api.POST("/rounds/:id/battles", s.apiCreateBattle, token)                  // api_rounds.go
	api.GET("/battles/:id", s.apiGetBattle, token)                             // api_rounds.go
	api.PATCH("/battles/:id", s.apiUpdateBattle, token)                        // api_rounds.go
	api.GET("/portfolio/export", s.exportPortfolio, token)                     // export.go
	api.DELETE("/tokens/:id", s.apiRevokeToken, token)                         // tokens.go
	api.POST("/invitations", s.apiCreateInvitation, token)                     // member_invitation.go
	api.GET("/invitations", s.apiListMemberInvitations, token)                 // member_invitation.go
	api.GET("/invitations/:id", s.apiGetMemberInvitation, token)               // member_invitation.go
	api.DELETE("/invitations/:id", s.apiRevokeMemberInvitation, token)         // member_invitation.go
	api.GET("/audit", s.apiAudit, token)                                       // audit.go
	api.POST("/join/:code", s.apiJoin, join)                                   // api_rounds.go
}
