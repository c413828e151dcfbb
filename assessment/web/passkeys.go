package web

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is passkeys (WebAuthn, with github.com/go-webauthn/webauthn): a member registers
// them on /w/account/passkeys and signs in with one on /login, without a password.
//
// The relying party is the app's public address: its RP ID is the host of -base-url and the
// only origin it accepts is -base-url itself. Without -base-url, a server that listens on a
// loopback or wildcard address is http://localhost:PORT (browsers treat localhost as secure,
// and WebAuthn does not accept an IP address as RP ID), so two README commands still try
// passkeys on one machine. Any other origin that is not HTTPS has no passkeys: the page says
// why and every ceremony answers 409.
//
// Each ceremony's challenge is random (the library's 32 bytes), stored server-side with what
// the library needs to check the answer (passkey_challenges), taken, i.e. deleted, by the one
// answer that uses it, and refused after assessment.PasskeyChallengeTTL by the store's clock.
// The answer finds its ceremony by the challenge the browser signed, so a replayed answer
// finds none. A registration's challenge names its member; a sign-in's names nobody, and the
// member is the one whose user handle and credential the authenticator returns, both of
// which must be stored for that member. The sign counter is written back after each sign-in;
// one that does not move forward (two copies of a key) blocks the passkey (CloneWarning).

// passkeyOrigin returns the origin and RP ID of passkeys on this server: from the base URL
// when there is one, else from the listen address (see the top of this file). An origin
// that is neither HTTPS nor localhost is an error saying why.
func passkeyOrigin(baseURL, addr string) (origin, rpID string, err error) {
	if baseURL == "" {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return "", "", fmt.Errorf("passkeys: no -base-url and listen address %q: %w", addr, err)
		}
		switch host {
		case "", "localhost", "127.0.0.1", "::1", "0.0.0.0", "::":
		default:
			return "", "", fmt.Errorf("passkeys: no -base-url, and the listen address %q is not local: set -base-url to the public https:// address", addr)
		}
		origin = "http://localhost"
		if port != "80" {
			origin += ":" + port
		}
		return origin, "localhost", nil
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", "", fmt.Errorf("passkeys: base URL %q: %w", baseURL, err)
	}
	host := u.Hostname()
	local := host == "localhost" || strings.HasSuffix(host, ".localhost")
	switch {
	case net.ParseIP(host) != nil:
		return "", "", fmt.Errorf("passkeys: base URL %q: WebAuthn needs a domain name, not an IP address (use localhost for local runs)", baseURL)
	case u.Scheme != "https" && !local:
		return "", "", fmt.Errorf("passkeys: base URL %q is not https: browsers offer passkeys only on secure origins", baseURL)
	}
	return baseURL, host, nil
}

// newPasskeys returns the relying party of this server, or nil with the reason passkeys are
// off.
func newPasskeys(baseURL, addr string) (*webauthn.WebAuthn, error) {
	origin, rpID, err := passkeyOrigin(baseURL, addr)
	if err != nil {
		return nil, err
	}
	timeout := webauthn.TimeoutConfig{Timeout: assessment.PasskeyChallengeTTL, TimeoutUVD: assessment.PasskeyChallengeTTL}
	return webauthn.New(&webauthn.Config{
		RPID:          rpID,
		RPDisplayName: "LOYALTY",
		RPOrigins:     []string{origin},
		// Discoverable credentials (passkeys) with user verification preferred: the device's
		// screen lock when it has one. No attestation: which authenticator it is matters not.
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification:   protocol.VerificationPreferred,
		},
		AttestationPreference: protocol.PreferNoAttestation,
		// The timeout is the browser's; the server enforces the challenge's expiry itself,
		// on the store's clock (TakePasskeyChallenge).
		Timeouts: webauthn.TimeoutsConfig{Login: timeout, Registration: timeout},
	})
}

// passkeyUser is a member as the library sees them: the user handle and their credentials.
type passkeyUser struct {
	u      *assessment.User
	handle []byte
	creds  []webauthn.Credential
}

func (p *passkeyUser) WebAuthnID() []byte                         { return p.handle }
func (p *passkeyUser) WebAuthnName() string                       { return p.u.Email }
func (p *passkeyUser) WebAuthnDisplayName() string                { return p.u.Name }
func (p *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

// ceremony is what a challenge keeps for its answer: the library's session data and, when
// registering, the name the member chose.
type ceremony struct {
	Session webauthn.SessionData `json:"session"`
	Name    string               `json:"name,omitempty"`
}

// auditPasskey records a passkey event of member u in the workspace's audit log: a passkey is
// a second factor (added, removed), and a copied one is a failed sign-in.
func (s *Server) auditPasskey(c echo.Context, action string, u *assessment.User) {
	s.audit(c, assessment.AuditEvent{WorkspaceID: u.WorkspaceID, ActorID: u.ID, ActorName: u.Name, Scope: auditScope(u), Action: action,
		Target: assessment.AuditTarget(assessment.TargetMember, u.ID)})
}

// errPasskeysOff answers a ceremony on a server without passkeys.
var errPasskeysOff = assessment.NewError(assessment.ECONFLICT, assessment.MsgPasskeyUnavailable, nil)

// jsonErrors makes the error mapping answer the request with a problem in JSON in the
// page's language (the ceremonies are fetched by static/js/passkeys.js, which shows it).
func jsonErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(jsonErrorsKey, true)
		return next(c)
	}
}

const jsonErrorsKey = "web.jsonErrors"

// passkeysDone maps the ?done= of the page after a change to its confirmation.
var passkeysDone = map[string]string{"added": "ws.passkeys.added", "renamed": "ws.passkeys.renamed", "removed": "ws.passkeys.removed"}

func (s *Server) passkeysPage(c echo.Context) error {
	p := views.PasskeysPage{}
	if key, ok := passkeysDone[c.QueryParam("done")]; ok {
		p.Notice = loc(c).T(key)
	}
	return s.renderPasskeys(c, http.StatusOK, p)
}

// renderPasskeys shows the member's passkeys with form (a name and its problem).
func (s *Server) renderPasskeys(c echo.Context, status int, form views.PasskeysPage) error {
	u := currentUser(c)
	ps, err := s.db.passkeys.Passkeys(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	l := loc(c)
	p := form
	p.WSPage = s.wsPage(c, "ws.passkeys.title")
	p.Section = "passkeys"
	p.Available = s.passkeys != nil
	p.Page.Passkeys = p.Available
	if !p.Available {
		p.Unavailable = l.Error(errPasskeysOff)
	}
	for _, k := range ps {
		p.Passkeys = append(p.Passkeys, passkeyRow(l, k))
	}
	return render(c, status, views.Passkeys(p))
}

func passkeyRow(l views.Loc, k assessment.Passkey) views.PasskeyRow {
	r := views.PasskeyRow{ID: k.ID, Name: k.Name, Created: formatDate(l, k.CreatedAt), LastUsed: l.T("ws.passkeys.never_used"), Blocked: k.CloneWarning}
	if !k.LastUsedAt.IsZero() {
		r.LastUsed = formatDate(l, k.LastUsedAt)
	}
	return r
}

// passkeyUserOf loads the member's handle (made on first use) and credentials.
func (s *Server) passkeyUserOf(c echo.Context, u *assessment.User) (*passkeyUser, []assessment.Passkey, error) {
	ctx := c.Request().Context()
	candidate := make([]byte, 32)
	rand.Read(candidate)
	handle, err := s.db.passkeys.PasskeyHandle(ctx, u.ID, candidate)
	if err != nil {
		return nil, nil, err
	}
	ps, err := s.db.passkeys.Passkeys(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	pu := &passkeyUser{u: u, handle: handle}
	for _, k := range ps {
		var cred webauthn.Credential
		if err := json.Unmarshal(k.Record, &cred); err != nil {
			return nil, nil, fmt.Errorf("passkey %d: %w", k.ID, err)
		}
		pu.creds = append(pu.creds, cred)
	}
	return pu, ps, nil
}

// saveCeremony stores the server's half of a ceremony under its challenge.
func (s *Server) saveCeremony(c echo.Context, kind string, userID int64, cer ceremony) error {
	data, err := json.Marshal(cer)
	if err != nil {
		return err
	}
	return s.db.passkeys.SavePasskeyChallenge(c.Request().Context(), assessment.PasskeyChallenge{Challenge: cer.Session.Challenge, Kind: kind,
		UserID: userID, Data: data, ExpiresAt: s.now().Add(assessment.PasskeyChallengeTTL)})
}

// takeCeremony takes the ceremony of kind that challenge (from the browser's signed client
// data) started.
func (s *Server) takeCeremony(c echo.Context, kind, challenge string) (*assessment.PasskeyChallenge, ceremony, error) {
	var cer ceremony
	ch, err := s.db.passkeys.TakePasskeyChallenge(c.Request().Context(), challenge, kind)
	if err != nil {
		return nil, cer, err
	}
	if err := json.Unmarshal(ch.Data, &cer); err != nil {
		return nil, cer, fmt.Errorf("passkey ceremony: %w", err)
	}
	// The store checked the expiry on its clock; the library's own check is on the wall
	// clock, which tests do not control.
	cer.Session.Expires = time.Time{}
	return ch, cer, nil
}

// beginPasskey starts registering a passkey named by the form's name: it answers the
// options for navigator.credentials.create, or the name's problem (422) before the browser
// asks anything.
func (s *Server) beginPasskey(c echo.Context) error {
	if s.passkeys == nil {
		return errPasskeysOff
	}
	name, err := assessment.PasskeyName(c.FormValue("name"))
	if err != nil {
		return err
	}
	u := currentUser(c)
	pu, ps, err := s.passkeyUserOf(c, u)
	if err != nil {
		return err
	}
	if len(ps) >= assessment.MaxPasskeys {
		return assessment.ErrPasskeysFull
	}
	// The member's authenticators that hold a passkey here already are excluded, so the
	// browser says so instead of making a second one on the same device.
	creation, session, err := s.passkeys.BeginRegistration(pu, webauthn.WithExclusions(webauthn.Credentials(pu.creds).CredentialDescriptors()),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired))
	if err != nil {
		return fmt.Errorf("begin passkey registration: %w", err)
	}
	if err := s.saveCeremony(c, assessment.PasskeyRegister, u.ID, ceremony{Session: *session, Name: name}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, creation)
}

// addPasskey finishes registering: the browser's answer (the form's credential, the JSON of
// the PublicKeyCredential) must answer a registration this member started, from this
// origin; the passkey is stored under the name chosen when it began.
func (s *Server) addPasskey(c echo.Context) error {
	if s.passkeys == nil {
		return errPasskeysOff
	}
	u := currentUser(c)
	parsed, err := protocol.ParseCredentialCreationResponseBytes([]byte(c.FormValue("credential")))
	if err != nil {
		s.log.InfoContext(c.Request().Context(), "passkey registration refused", "user", u.ID, "err", err)
		return assessment.ErrPasskeyRejected
	}
	ch, cer, err := s.takeCeremony(c, assessment.PasskeyRegister, parsed.Response.CollectedClientData.Challenge)
	if err != nil {
		return err
	}
	if ch.UserID != u.ID {
		// Another member's registration: it is not this member's to finish.
		return assessment.ErrPasskeyChallenge
	}
	pu, _, err := s.passkeyUserOf(c, u)
	if err != nil {
		return err
	}
	cred, err := s.passkeys.CreateCredential(pu, cer.Session, parsed)
	if err != nil {
		s.log.InfoContext(c.Request().Context(), "passkey registration refused", "user", u.ID, "err", describeWebAuthn(err))
		return assessment.ErrPasskeyRejected
	}
	record, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	k := assessment.Passkey{CredentialID: cred.ID, Name: cer.Name, Record: record}
	if err := s.db.passkeys.AddPasskey(c.Request().Context(), u.ID, &k); err != nil {
		return err
	}
	s.auditPasskey(c, assessment.AuditSecondFactorAdded, u)
	return c.JSON(http.StatusOK, map[string]string{"redirect": "/w/account/passkeys?done=added"})
}

// describeWebAuthn is the library's detail of a refusal, for the log only.
func describeWebAuthn(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return pe.Type + ": " + pe.Details + " " + pe.DevInfo
	}
	return err.Error()
}

// ownPasskey loads the signed-in member's passkey named by :id; anyone else's is
// ErrNoPasskey.
func (s *Server) ownPasskey(c echo.Context) (*assessment.Passkey, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, assessment.ErrNoPasskey
	}
	return s.db.passkeys.Passkey(c.Request().Context(), currentUser(c).ID, id)
}

// renamePasskey gives one of the member's passkeys a new name; a problem re-shows the page
// with 422 and the name's message beside its field.
func (s *Server) renamePasskey(c echo.Context) error {
	k, err := s.ownPasskey(c)
	if err != nil {
		return err
	}
	name, err := assessment.PasskeyName(c.FormValue("name"))
	if err != nil {
		fes := assessment.FieldErrors(err)
		if len(fes) == 0 {
			return err
		}
		return s.renderPasskeys(c, http.StatusUnprocessableEntity, views.PasskeysPage{RenameID: k.ID, RenameError: loc(c).Hint(fes[0])})
	}
	if err := s.db.passkeys.RenamePasskey(c.Request().Context(), currentUser(c).ID, k.ID, name); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/account/passkeys?done=renamed")
}

// removePasskeyForm asks for confirmation, and for the password when the member did not
// sign in recently (assessment.MayRemovePasskey).
func (s *Server) removePasskeyForm(c echo.Context) error {
	k, err := s.ownPasskey(c)
	if err != nil {
		return err
	}
	return s.renderRemovePasskey(c, http.StatusOK, k, "")
}

func (s *Server) renderRemovePasskey(c echo.Context, status int, k *assessment.Passkey, problem string) error {
	p := views.PasskeyRemovePage{WSPage: s.wsPage(c, "ws.passkeys.remove.submit"), Passkey: passkeyRow(loc(c), *k),
		NeedPassword: !assessment.MayRemovePasskey(sessionStart(c), s.now()), Error: problem}
	p.Section = "passkeys"
	return render(c, status, views.PasskeyRemove(p))
}

// removePasskey removes one of the member's passkeys: at once within RecentSignIn of signing
// in, else only with the member's password (403 and the form again otherwise). A wrong
// password counts against the sign-in limits like a failed sign-in.
func (s *Server) removePasskey(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	k, err := s.ownPasskey(c)
	if err != nil {
		return err
	}
	if !assessment.MayRemovePasskey(sessionStart(c), s.now()) {
		ip := c.RealIP()
		pair := u.Email + " " + ip
		for _, lk := range []struct {
			l   *auth.Limiter
			key string
		}{{s.ws.ipLimit, ip}, {s.ws.pairLimit, pair}} {
			if blocked, wait, err := lk.l.Blocked(ctx, lk.key); err != nil {
				return err
			} else if blocked {
				c.Response().Header().Set("Retry-After", strconvSeconds(wait))
				return assessment.NewError(assessment.ETOOMANY, assessment.MsgTooMany, nil)
			}
		}
		ok := false
		if pw := c.FormValue("password"); len(pw) <= assessment.MaxPassword {
			_, hash, err := s.db.accounts.UserByEmail(ctx, u.Email)
			if err != nil {
				return err
			}
			if ok, err = auth.CheckPassword(ctx, hash, pw); err != nil {
				return err
			}
		}
		if !ok {
			for _, lk := range []struct {
				l   *auth.Limiter
				key string
			}{{s.ws.ipLimit, ip}, {s.ws.pairLimit, pair}} {
				if err := lk.l.Fail(ctx, lk.key); err != nil {
					return err
				}
			}
			return s.renderRemovePasskey(c, http.StatusForbidden, k, loc(c).Error(assessment.ErrPasskeyPassword))
		}
	}
	if _, err := s.db.passkeys.RemovePasskey(ctx, u.ID, k.ID); err != nil {
		return err
	}
	s.auditPasskey(c, assessment.AuditSecondFactorRemoved, u)
	return c.Redirect(http.StatusSeeOther, "/w/account/passkeys?done=removed")
}

// checkLoginCSRF checks the double-submit token of the sign-in page (see loginCSRFCookie).
func checkLoginCSRF(c echo.Context) error {
	if ck, err := c.Cookie(loginCSRFCookie); err != nil || !auth.Equal(c.FormValue(csrfField), ck.Value) {
		return assessment.NewError(assessment.EFORBIDDEN, assessment.MsgFormExpired, nil)
	}
	return nil
}

// beginPasskeyLogin starts a sign-in with a discoverable passkey: the options for
// navigator.credentials.get, for the button and for autofill (conditional mediation) alike.
// An address at its limit of failed sign-ins gets 429 here already.
func (s *Server) beginPasskeyLogin(c echo.Context) error {
	if s.passkeys == nil {
		return errPasskeysOff
	}
	if err := checkLoginCSRF(c); err != nil {
		return err
	}
	if err := s.passkeyLimit(c); err != nil {
		return err
	}
	ip := c.RealIP()
	blocked, wait, err := s.ws.passkeyBegins.Blocked(c.Request().Context(), ip)
	if err != nil {
		return err
	}
	if blocked {
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		return assessment.NewError(assessment.ETOOMANY, assessment.MsgTooMany, nil)
	}
	if err := s.ws.passkeyBegins.Fail(c.Request().Context(), ip); err != nil {
		return err
	}
	assertion, session, err := s.passkeys.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return fmt.Errorf("begin passkey sign-in: %w", err)
	}
	if err := s.saveCeremony(c, assessment.PasskeyLogin, 0, ceremony{Session: *session}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, assertion)
}

// passkeyLimit refuses an address that reached its limit of failed sign-ins (passwords and
// passkeys count together).
func (s *Server) passkeyLimit(c echo.Context) error {
	blocked, wait, err := s.ws.ipLimit.Blocked(c.Request().Context(), c.RealIP())
	if err != nil {
		return err
	}
	if blocked {
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		return assessment.NewError(assessment.ETOOMANY, assessment.MsgTooMany, nil)
	}
	return nil
}

// passkeyLogin finishes a sign-in with a passkey: the answer must use a challenge this server
// gave for signing in (once, in time), come from this origin, name a member by their user
// handle, and be signed by a passkey of that member that is not blocked. Then the member is
// signed in as with their password. Every refusal counts as a failed sign-in of the address
// (and of the member and address, when the answer named one).
func (s *Server) passkeyLogin(c echo.Context) error {
	if s.passkeys == nil {
		return errPasskeysOff
	}
	ctx := c.Request().Context()
	if err := checkLoginCSRF(c); err != nil {
		return err
	}
	if err := s.passkeyLimit(c); err != nil {
		return err
	}
	var who *assessment.User
	var key *assessment.Passkey
	fail := func(refusal error, detail error) error {
		ip := c.RealIP()
		if err := s.ws.ipLimit.Fail(ctx, ip); err != nil {
			return err
		}
		if who != nil {
			if err := s.ws.pairLimit.Fail(ctx, who.Email+" "+ip); err != nil {
				return err
			}
		}
		s.log.InfoContext(ctx, "passkey sign-in refused", "err", detail)
		return refusal
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(c.FormValue("credential")))
	if err != nil {
		return fail(assessment.ErrPasskeyRejected, err)
	}
	_, cer, err := s.takeCeremony(c, assessment.PasskeyLogin, parsed.Response.CollectedClientData.Challenge)
	if err != nil {
		if assessment.ErrorCode(err) == assessment.EINTERNAL {
			return err
		}
		return fail(err, err)
	}
	var lookup error
	_, cred, err := s.passkeys.ValidatePasskeyLogin(func(rawID, handle []byte) (webauthn.User, error) {
		u, err := s.db.passkeys.PasskeyUser(ctx, handle)
		if err != nil {
			lookup = err
			return nil, err
		}
		who = u
		k, err := s.db.passkeys.PasskeyByCredential(ctx, rawID)
		if err != nil {
			lookup = err
			return nil, err
		}
		// The credential must be this member's: another member's credential with this
		// member's handle is a forgery.
		if k.UserID != u.ID || k.CloneWarning {
			lookup = assessment.ErrPasskeyRejected
			return nil, lookup
		}
		key = k
		var c webauthn.Credential
		if err := json.Unmarshal(k.Record, &c); err != nil {
			lookup = fmt.Errorf("passkey %d: %w", k.ID, err)
			return nil, lookup
		}
		return &passkeyUser{u: u, handle: handle, creds: []webauthn.Credential{c}}, nil
	}, cer.Session, parsed)
	if lookup != nil && assessment.ErrorCode(lookup) == assessment.EINTERNAL {
		return lookup
	}
	if err != nil {
		return fail(assessment.ErrPasskeyRejected, errors.New(describeWebAuthn(err)))
	}
	record, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	if err := s.db.passkeys.UsePasskey(ctx, key.ID, record, cred.Authenticator.CloneWarning); err != nil {
		return err
	}
	if cred.Authenticator.CloneWarning {
		// The sign counter went backwards: two copies of the key may exist. The passkey is
		// blocked from now on (its owner sees why on the passkeys page).
		s.auditPasskey(c, assessment.AuditSignInFailed, who)
		return fail(assessment.ErrPasskeyRejected, errors.New("sign counter did not increase"))
	}
	if err := s.ws.pairLimit.Reset(ctx, who.Email+" "+c.RealIP()); err != nil {
		return err
	}
	if err := s.startSession(c, who); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"redirect": safeNext(c.FormValue("next"))})
}
