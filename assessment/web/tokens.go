package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is a member's API tokens: /w/tokens lists the signed-in member's own tokens and
// makes new ones, showing a new token's secret once; a token is revoked after a confirmation
// page, or through DELETE /api/v1/tokens/{id}. Another member's token is 404 everywhere.

// tokensDone maps the ?done= of the page after a change to its confirmation.
var tokensDone = map[string]string{"revoked": "ws.tokens.revoked"}

func (s *Server) tokensPage(c echo.Context) error {
	p := views.TokensPage{Expires: "90"}
	if key, ok := tokensDone[c.QueryParam("done")]; ok {
		p.Notice = loc(c).T(key)
	}
	return s.renderTokens(c, http.StatusOK, p)
}

// renderTokens shows the member's tokens with form (the form's input, its problems, a new
// token's secret).
func (s *Server) renderTokens(c echo.Context, status int, form views.TokensPage) error {
	u := currentUser(c)
	ts, err := s.db.tokens.APITokens(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	l := loc(c)
	p := form
	p.WSPage = s.wsPage(c, "ws.tokens.title")
	p.Section = "tokens"
	for _, t := range ts {
		p.Tokens = append(p.Tokens, s.tokenRow(l, t))
	}
	for _, v := range assessment.TokenLifetimes {
		label := l.T("ws.tokens.expiry.never")
		if n, err := strconv.Atoi(v); err == nil {
			label = l.N("ws.tokens.expiry.days", n)
		}
		p.Lifetimes = append(p.Lifetimes, views.Choice{Value: v, Label: label})
	}
	return render(c, status, views.Tokens(p))
}

// tokenRow formats a token for the list.
func (s *Server) tokenRow(l views.Loc, t assessment.APIToken) views.TokenRow {
	r := views.TokenRow{ID: t.ID, Name: t.Name, Created: formatDate(l, t.CreatedAt),
		LastUsed: l.T("ws.tokens.never_used"), Expires: l.T("ws.tokens.never_expires"), Expired: t.Expired(s.now())}
	if r.Name == "" {
		r.Name = l.T("ws.tokens.unnamed")
	}
	if !t.LastUsedAt.IsZero() {
		r.LastUsed = formatDate(l, t.LastUsedAt)
	}
	if !t.ExpiresAt.IsZero() {
		r.Expires = formatDate(l, t.ExpiresAt)
	}
	return r
}

// createToken makes a token for the signed-in member and shows its secret, this once, on
// the page that answers the form (no-store, like every page). A problem re-shows the form
// with 422.
func (s *Server) createToken(c echo.Context) error {
	l := loc(c)
	form := views.TokensPage{Name: c.FormValue("name"), Expires: c.FormValue("expires")}
	life, problems := assessment.TokenLifetime(form.Expires)
	t, err := assessment.NewAPIToken(form.Name, life, s.now())
	// NewAPIToken's only errors are field problems: report them with the lifetime's.
	problems = append(assessment.FieldErrors(err), problems...)
	if len(problems) > 0 {
		for _, fe := range problems {
			switch fe.Field {
			case "token.name":
				form.NameError = l.Hint(fe)
			case "token.expires":
				form.ExpiresError = l.Hint(fe)
			}
		}
		return s.renderTokens(c, http.StatusUnprocessableEntity, form)
	}
	secret, hash := auth.NewToken()
	if err := s.db.tokens.CreateAPIToken(c.Request().Context(), currentUser(c).ID, hash, &t); err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditTokenCreated, Target: assessment.AuditTarget(assessment.TargetToken, t.ID)})
	return s.renderTokens(c, http.StatusOK, views.TokensPage{Expires: form.Expires, NewToken: secret, NewTokenName: t.Name})
}

// ownToken loads the signed-in member's token named by :id; anyone else's is ErrNoToken.
func (s *Server) ownToken(c echo.Context) (*assessment.APIToken, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, assessment.ErrNoToken
	}
	return s.db.tokens.APIToken(c.Request().Context(), currentUser(c).ID, id)
}

// revokeTokenForm asks for confirmation before a token is revoked.
func (s *Server) revokeTokenForm(c echo.Context) error {
	t, err := s.ownToken(c)
	if err != nil {
		return err
	}
	p := views.TokenRevokePage{WSPage: s.wsPage(c, "ws.tokens.revoke.submit"), Token: s.tokenRow(loc(c), *t)}
	p.Section = "tokens"
	return render(c, http.StatusOK, views.TokenRevoke(p))
}

// revokeToken revokes one of the signed-in member's tokens; requests that send it are
// refused from now on.
func (s *Server) revokeToken(c echo.Context) error {
	t, err := s.ownToken(c)
	if err != nil {
		return err
	}
	if err := s.db.tokens.RevokeAPIToken(c.Request().Context(), currentUser(c).ID, t.ID); err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditTokenRevoked, Target: assessment.AuditTarget(assessment.TargetToken, t.ID)})
	return c.Redirect(http.StatusSeeOther, "/w/tokens?done=revoked")
}

// apiRevokeToken is DELETE /api/v1/tokens/{id}: the member of the Bearer token revokes one
// of their own tokens (that one too): 204, or 404 for a token that is not theirs.
func (s *Server) apiRevokeToken(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return assessment.ErrNoToken
	}
	if err := s.db.tokens.RevokeAPIToken(c.Request().Context(), currentUser(c).ID, id); err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditTokenRevoked, Target: assessment.AuditTarget(assessment.TargetToken, id)})
	return c.NoContent(http.StatusNoContent)
}
