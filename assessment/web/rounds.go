package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"rsc.io/qr"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// round loads the round named by the :id parameter from the member's workspace.
func (s *Server) round(c echo.Context) (*assessment.Round, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.db.rounds.Round(c.Request().Context(), currentUser(c).WorkspaceID, id)
}

func roundURL(id int64, suffix string) string {
	return "/w/rounds/" + strconv.FormatInt(id, 10) + suffix
}

// openRound opens a workshop round for a client and goes to its dashboard.
func (s *Server) openRound(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	title := c.FormValue("title")
	r, err := s.q.NewRound(title, c.FormValue("lang"))
	if err != nil {
		if assessment.ErrorCode(err) != assessment.EINVALID {
			return err
		}
		msg := ""
		for _, fe := range assessment.FieldErrors(err) {
			msg = loc(c).Hint(fe)
		}
		return s.renderClient(c, cl, http.StatusUnprocessableEntity, title, msg)
	}
	if err := s.db.rounds.CreateRound(c.Request().Context(), currentUser(c).WorkspaceID, cl.ID, &r); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// backTo returns where a control of the round sends the consultant afterwards: the page it
// was used on (?back= or the form's back field: dashboard, report or a presentation step),
// never anywhere else.
func backTo(c echo.Context, r *assessment.Round) string {
	back := c.FormValue("back")
	switch {
	case back == "report":
		return roundURL(r.ID, "/report")
	case back == "present":
		return roundURL(r.ID, "/present")
	case strings.HasPrefix(back, "present/") && validStep(strings.TrimPrefix(back, "present/")):
		return roundURL(r.ID, "/"+back)
	}
	return roundURL(r.ID, "")
}

// revealRound shows the room's result on the projector and to the participants who answered,
// or hides it again.
func (s *Server) revealRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	revealed := c.FormValue("revealed") == "1"
	if revealed {
		ps, err := s.db.participants.RoundParticipants(c.Request().Context(), r.WorkspaceID, r.ID)
		if err != nil {
			return err
		}
		if err := s.checkReveal(c.Request().Context(), r, ps); err != nil {
			return err
		}
	}
	if err := s.db.rounds.SetRoundRevealed(c.Request().Context(), r.WorkspaceID, r.ID, revealed); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, backTo(c, r))
}

// setCountdown starts a countdown for answering (minutes) or stops it (stop=1).
func (s *Server) setCountdown(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	var deadline time.Time
	if c.FormValue("stop") != "1" {
		minutes, _ := strconv.Atoi(c.FormValue("minutes"))
		if deadline, err = assessment.NewDeadline(s.now(), minutes); err != nil {
			return err
		}
	}
	if err := s.db.rounds.SetRoundDeadline(c.Request().Context(), r.WorkspaceID, r.ID, deadline); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, backTo(c, r))
}

// confirmPage asks the consultant to confirm a change of the round that cannot be taken back
// lightly, saying what it does.
func (s *Server) confirmPage(c echo.Context, r *assessment.Round, status int, kind string) error {
	l := loc(c)
	cl, err := s.db.clients.Client(c.Request().Context(), r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	p := views.RoundConfirmPage{WSPage: s.wsPage(c, "ws.confirm."+kind+".title"), RoundID: r.ID, Round: r.Title, Client: cl.Profile.Name,
		Kind: kind, Action: roundURL(r.ID, "/"+kind), Back: roundURL(r.ID, "")}
	p.Section = "clients"
	p.Points = []string{l.T("ws.confirm." + kind + ".what")}
	switch {
	case kind == "close" && cl.BenchmarkConsent:
		p.Points = append(p.Points, l.T("ws.confirm.close.pool"))
	case kind == "close":
		p.Points = append(p.Points, l.T("ws.confirm.close.nopool"))
	case kind == "reopen" && cl.BenchmarkConsent:
		p.Points = append(p.Points, l.T("ws.confirm.reopen.pool"))
	}
	if status == http.StatusUnprocessableEntity {
		p.Error = l.T("ws.delete.unconfirmed")
	}
	return render(c, status, views.RoundConfirm(p))
}

// closeRoundForm asks to confirm closing, saying what it does.
func (s *Server) closeRoundForm(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if !r.Open() {
		return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
	}
	return s.confirmPage(c, r, http.StatusOK, "close")
}

// closeRound freezes a round once confirmed; a closed round cannot be closed again.
func (s *Server) closeRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return s.confirmPage(c, r, http.StatusUnprocessableEntity, "close")
	}
	if _, err := s.db.rounds.CloseRound(c.Request().Context(), s.q, r.WorkspaceID, r.ID); err != nil && assessment.ErrorCode(err) != assessment.ECONFLICT {
		return err
	} else if err == nil {
		s.audit(c, assessment.AuditEvent{Action: assessment.AuditRoundClosed, Target: assessment.AuditTarget(assessment.TargetRound, r.ID)})
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// reopenRoundForm asks to confirm re-opening a closed round.
func (s *Server) reopenRoundForm(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if r.Open() {
		return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
	}
	return s.confirmPage(c, r, http.StatusOK, "reopen")
}

// reopenRound opens a closed round again once confirmed.
func (s *Server) reopenRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return s.confirmPage(c, r, http.StatusUnprocessableEntity, "reopen")
	}
	if _, err := s.db.rounds.ReopenRound(c.Request().Context(), s.q, r.WorkspaceID, r.ID); err != nil && assessment.ErrorCode(err) != assessment.ECONFLICT {
		return err
	} else if err == nil {
		s.audit(c, assessment.AuditEvent{Action: assessment.AuditRoundReopened, Target: assessment.AuditTarget(assessment.TargetRound, r.ID)})
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// participant loads participant :pid of the round, for the removal pages.
func (s *Server) participant(c echo.Context, r *assessment.Round) (*assessment.Participant, error) {
	pid, err := idParam(c, "pid")
	if err != nil {
		return nil, err
	}
	ps, err := s.db.participants.RoundParticipants(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if ps[i].ID == pid {
			return &ps[i], nil
		}
	}
	return nil, assessment.NewError(assessment.ENOTFOUND, assessment.MsgParticipantNotFound, nil)
}

// removeParticipantPage asks to confirm taking a participant (a duplicate, a test entry) out
// of the round, naming them as the consultant knows them: name, when they joined, status.
func (s *Server) removeParticipantPage(c echo.Context, status int) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if err := r.CheckRemoveParticipant(); err != nil {
		return err
	}
	p, err := s.participant(c, r)
	if err != nil {
		return err
	}
	l := loc(c)
	// The way back keeps the dashboard's participant list where the consultant left it.
	back := listQuery(peopleFilter(c), c.QueryParam("show") == "1")
	name := p.Name
	if name == "" {
		name = l.T("ws.part.unnamed")
	}
	page := views.RoundConfirmPage{WSPage: s.wsPage(c, "ws.confirm.remove.title"), RoundID: r.ID, Round: r.Title, Kind: "remove",
		Action: roundURL(r.ID, fmt.Sprintf("/participants/%d/remove", p.ID)) + back, Back: roundURL(r.ID, back) + "#people",
		Subject: l.F("ws.confirm.remove.who", views.Args{"Name": name, "Time": p.CreatedAt.Format("15:04"), "Status": l.T("ws.part.status." + p.Status())})}
	page.Section = "clients"
	page.Points = []string{l.T("ws.confirm.remove.what")}
	if status == http.StatusUnprocessableEntity {
		page.Error = l.T("ws.delete.unconfirmed")
	}
	return render(c, status, views.RoundConfirm(page))
}

func (s *Server) removeParticipantForm(c echo.Context) error {
	return s.removeParticipantPage(c, http.StatusOK)
}

// removeParticipant takes a participant out of the round once confirmed.
func (s *Server) removeParticipant(c echo.Context) error {
	if c.FormValue("confirm") != "yes" {
		return s.removeParticipantPage(c, http.StatusUnprocessableEntity)
	}
	r, err := s.removeRoundParticipant(c)
	if err != nil {
		return err
	}
	// Back to the list as it was (the page, search and filter of the action's query).
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, listQuery(peopleFilter(c), c.QueryParam("show") == "1"))+"#people")
}

// removeRoundParticipant takes participant :pid out of round :id, for the page and the API
// alike, and logs it; a closed round is frozen (ECONFLICT) and nothing changes.
func (s *Server) removeRoundParticipant(c echo.Context) (*assessment.Round, error) {
	r, err := s.round(c)
	if err != nil {
		return nil, err
	}
	pid, err := idParam(c, "pid")
	if err != nil {
		return nil, err
	}
	if err := s.db.participants.RemoveParticipant(c.Request().Context(), r.WorkspaceID, r.ID, pid); err != nil {
		return nil, err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditResultDeleted, Target: assessment.AuditTarget(assessment.TargetParticipant, pid)})
	return r, nil
}

// joinHost is where a participant types the short code, as the room reads it: "HOST/j", on
// the base URL's host as joinURL.
func (s *Server) joinHost(c echo.Context) string {
	u := s.absoluteURL(c, "/j")
	return u[strings.Index(u, "://")+3:]
}

// joinURL is the absolute participant link of a round: on the base URL, or without one on
// the host the consultant uses (baseurl.go).
func (s *Server) joinURL(c echo.Context, code string) string {
	return s.absoluteURL(c, "/j/"+code)
}

// roundQR draws the participant link as a QR code in SVG: one path of unit squares, no
// style attribute or element, so it passes the CSP.
func (s *Server) roundQR(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	svg, err := qrSVG(s.joinURL(c, r.Code))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

// qrSVG encodes text as a QR code (error correction M) with the standard 4-module quiet zone.
func qrSVG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	n := code.Size + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := range code.Size {
		for x := range code.Size {
			if code.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+4, y+4)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}
