package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// Storing a participant's answers (join.go has the rest of the participants' side): every
// tapped answer as a draft, and the complete form, sent once.

// saveDraft stores one tapped answer (competency, field, value) of this browser's participant
// while the round is open: 204, nothing to render. workshop.js sends it on every tap.
func (s *Server) saveDraft(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	tok := participantToken(c)
	if tok == "" {
		return assessment.NewError(assessment.EFORBIDDEN, assessment.MsgNotJoined, nil)
	}
	n, _ := strconv.Atoi(c.FormValue("competency"))
	field := c.FormValue("field")
	v, ok := scaleValue(c.FormValue("value"))
	if !ok {
		return assessment.Invalid([]assessment.FieldError{{Competency: n, Field: field, Rule: assessment.RuleInteger,
			Args: assessment.Args{"Value": strconv.Quote(c.FormValue("value"))}}})
	}
	if err := s.q.DraftAnswer(n, field, float64(v)); err != nil {
		return err
	}
	if err := s.db.participants.SaveDraftAnswer(c.Request().Context(), r.Code, auth.HashToken(tok), n, field, v); err != nil {
		if assessment.ErrorCode(err) == assessment.ENOTFOUND {
			return assessment.NewError(assessment.EFORBIDDEN, assessment.MsgNotJoined, nil)
		}
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// scaleValue reads a score typed as a plain whole number ("3"), nothing else.
func scaleValue(raw string) (int, bool) {
	if raw == "" || len(raw) > 3 {
		return 0, false
	}
	for _, ch := range raw {
		if ch < '0' || ch > '9' {
			return 0, false
		}
	}
	v, err := strconv.Atoi(raw)
	return v, err == nil
}

// submitParticipation stores this browser's complete answers while the round is open: the
// form's submit, which works without JavaScript too. The form's one-time id (once.go) makes
// a repeat (taps, a retry) store nothing and lead where the first went; answers changed after
// Back under an id already used lead back to the form with the answers stored, to be sent
// again on purpose.
func (s *Server) submitParticipation(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return readError(err)
	}
	once, err := formOnce(onceScopeJoinForm+strconv.FormatInt(r.ID, 10), form)
	if err != nil {
		return err
	}
	if once != nil {
		first, err := s.db.assessments.OnceResponse(c.Request().Context(), once)
		if done, err := repeatedParticipation(c, r, first, err); done || err != nil {
			return err
		}
	}
	c.Set(onceKey, once)
	answers, given, parseProblems := s.parseAnswerForm(c)
	name, role := c.FormValue("name"), c.FormValue("role")
	p, err := s.q.NewParticipant(name, role, answers)
	if err == nil && len(parseProblems) > 0 {
		err = assessment.Invalid(parseProblems)
	}
	if err == nil && !r.Open() {
		err = assessment.NewError(assessment.ECONFLICT, assessment.MsgRoundClosed, nil)
	}
	if err == nil {
		err = s.saveParticipant(c, r, &p)
	}
	var first *repeated
	if errors.As(err, &first) {
		_, err := repeatedParticipation(c, r, first.response, first.err)
		return err
	}
	switch assessment.ErrorCode(err) {
	case "":
		return c.Redirect(http.StatusSeeOther, joinPath(r, "?saved=1"))
	case assessment.EINVALID:
		own, serr := s.self(c, r)
		if serr != nil {
			return serr
		}
		page, perr := s.participatePage(c, r, own, given, name, role, mergeProblems(assessment.FieldErrors(err), parseProblems))
		if perr != nil {
			return perr
		}
		// Nothing was stored: the corrected form may go with the same id.
		if once != nil {
			page.Test.Once = form.Get(onceField)
		}
		return render(c, http.StatusUnprocessableEntity, views.Participate(page))
	case assessment.EFORBIDDEN:
		return s.refuse(c, err) // a team round's shared code admits nobody new
	case assessment.ECONFLICT:
		r.ClosedAt = s.now() // closed meanwhile: show the closed page
		page, perr := s.participatePage(c, r, nil, given, name, role, nil)
		if perr != nil {
			return perr
		}
		return render(c, http.StatusConflict, views.Participate(page))
	}
	return err
}

// saveParticipant replaces the answers of the participant this browser's cookie names, or
// stores a new participant and gives the browser its cookie: each browser counts once. With
// the form's one-time id (onceKey) a repeat stores nothing and returns a *repeated.
func (s *Server) saveParticipant(c echo.Context, r *assessment.Round, p *assessment.Participant) error {
	ctx := c.Request().Context()
	once, _ := c.Get(onceKey).(*assessment.Once)
	resp := assessment.OnceResponse{Status: http.StatusSeeOther, Location: joinPath(r, "?saved=1")}
	save := func(hash string, replace bool) error {
		first, err := s.db.participants.SaveParticipantOnce(ctx, r.Code, hash, replace, p, once, resp)
		if first != nil {
			return &repeated{response: first, err: err}
		}
		return err
	}
	if tok := participantToken(c); tok != "" {
		err := save(auth.HashToken(tok), true)
		if err == nil {
			s.metrics.answersSubmitted("form")
		}
		if assessment.ErrorCode(err) != assessment.ENOTFOUND {
			return err
		}
	}
	tok, hash := auth.NewToken()
	if err := save(hash, false); err != nil {
		return err
	}
	s.metrics.answersSubmitted("form")
	s.setParticipantCookie(c, r, tok)
	return nil
}

// onceKey holds the Once of a participant's form for saveParticipant.
const onceKey = "join.once"

// repeated is a participant's form whose one-time id was used before: response is the first
// answer, err assessment.ErrOnceMismatch when the answers differ.
type repeated struct {
	response *assessment.OnceResponse
	err      error
}

func (r *repeated) Error() string { return "participant's form sent again" }

// repeatedParticipation answers a participant's form whose one-time id was used before: the
// same answers go where the first went; other answers (changed after Back) go back to the
// form, which shows the answers stored and says they were sent. It reports whether it
// answered.
func repeatedParticipation(c echo.Context, r *assessment.Round, first *assessment.OnceResponse, err error) (bool, error) {
	switch {
	case errors.Is(err, assessment.ErrOnceMismatch):
		return true, c.Redirect(http.StatusSeeOther, joinPath(r, "?edit=1"))
	case err != nil:
		return true, err
	case first != nil:
		return true, c.Redirect(http.StatusSeeOther, first.Location)
	}
	return false, nil
}
