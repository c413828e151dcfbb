package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"rsc.io/qr"

	"github.com/loyalty-cx/loyalty/assessment"
)

// round loads the round named by the :id parameter from the member's workspace.
func (s *Server) round(c echo.Context) (*assessment.Round, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.store.Round(c.Request().Context(), currentUser(c).WorkspaceID, id)
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
	if err := s.store.CreateRound(c.Request().Context(), currentUser(c).WorkspaceID, cl.ID, &r); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// revealRound shows the aggregate to the participants, or hides it again.
func (s *Server) revealRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if err := s.store.SetRoundRevealed(c.Request().Context(), r.WorkspaceID, r.ID, c.FormValue("revealed") == "1"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// closeRound freezes a round; a closed round cannot be closed again.
func (s *Server) closeRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if _, err := s.store.CloseRound(c.Request().Context(), s.q, r.WorkspaceID, r.ID); err != nil && assessment.ErrorCode(err) != assessment.ECONFLICT {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
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
