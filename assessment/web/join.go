package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the participants' side of a workshop round, on their phones: joining (by link,
// QR or short code), answering with every tap saved, following the room (reveal, hide, the
// countdown) without a reload, and seeing the room's result once they have answered.

// participantCookie recognises a participant's browser in one round: its Path is the
// round's link, so it is sent nowhere else.
const participantCookie = "loyalty_participant"

// joinBlocked is what missedCode returns for a code that names no round while this address
// has missed too many: limitJoin answers it with 429.
type joinBlocked struct{ wait time.Duration }

func (e *joinBlocked) Error() string { return "join: too many unknown codes from this address" }

// limitJoin answers 429 to an address that has named too many unknown workshop codes, when it
// names one more. Only the failed guess is refused: a code that names a round always gets in,
// so that the typos of a whole office behind one address never lock out the room (the full
// link's code carries at least 128 random bits and cannot be guessed; what a short code's 40
// bits allow is in README.md, Security). The join form without a code is always shown.
func (s *Server) limitJoin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		var blocked *joinBlocked
		if !errors.As(err, &blocked) {
			return err
		}
		wait := blocked.wait
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		minutes := int(wait.Minutes()) + 1
		if isAPI(c) {
			return assessment.NewError(assessment.ETOOMANY, assessment.MsgJoinTooMany, assessment.Args{"Count": minutes})
		}
		c.Response().Header().Set("X-Robots-Tag", "noindex")
		p := views.JoinPage{Page: s.participantPage(c, "ws.join.title"), Error: loc(c).N("ws.join.too_many", minutes)}
		return render(c, http.StatusTooManyRequests, views.Join(p))
	}
}

// missedCode is called with the error of looking a code up. When the code named no round, it
// returns a *joinBlocked if this address has reached its limit of misses, and otherwise counts
// the miss and returns nil, so the caller answers its own "unknown". It fails when the count
// cannot be read or recorded.
func (s *Server) missedCode(c echo.Context, err error) error {
	if assessment.ErrorCode(err) != assessment.ENOTFOUND {
		return nil
	}
	ctx, ip := c.Request().Context(), c.RealIP()
	blocked, wait, err := s.ws.joinLimit.Blocked(ctx, ip)
	if err != nil {
		return err
	}
	if blocked {
		return &joinBlocked{wait: wait}
	}
	return s.ws.joinLimit.Fail(ctx, ip)
}

// joinForm is where a participant types the short code shown in the room, or lands from a
// link with ?code=. A well-formed code that names no open round counts against the
// address; a malformed one is refused without a lookup, so it tells nothing and counts not.
func (s *Server) joinForm(c echo.Context) error {
	p := views.JoinPage{Page: s.participantPage(c, "ws.join.title"), Code: c.QueryParam("code")}
	if p.Code == "" {
		return render(c, http.StatusOK, views.Join(p))
	}
	short, ok := assessment.NormalizeShortCode(p.Code)
	if ok {
		r, err := s.store.OpenRoundByShortCode(c.Request().Context(), short)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/j/"+url.PathEscape(r.Code))
		}
		if assessment.ErrorCode(err) != assessment.ENOTFOUND {
			return err
		}
		if err := s.missedCode(c, err); err != nil {
			return err
		}
	}
	p.Error = loc(c).T("ws.join.unknown")
	return render(c, http.StatusNotFound, views.Join(p))
}

// roundByCode loads the round of the :code link and, unless the participant chose a
// language, shows it in the round's language. An unknown code counts against the address.
func (s *Server) roundByCode(c echo.Context) (*assessment.Round, error) {
	r, err := s.store.RoundByCode(c.Request().Context(), c.Param("code"))
	if err != nil {
		if ferr := s.missedCode(c, err); ferr != nil {
			return nil, ferr
		}
		return nil, err
	}
	s.roundLang(c, r)
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
	return r, nil
}

// roundLang shows the page in round r's language unless the participant chose one.
func (s *Server) roundLang(c echo.Context, r *assessment.Round) {
	if c.QueryParam("lang") == "" && slices.Contains(s.langs, r.Lang) {
		if _, err := c.Cookie(langCookie); err != nil {
			c.Set(langKey, r.Lang)
		}
	}
}

// participantToken returns the token of this browser's participant in round r, if any.
func participantToken(c echo.Context) string {
	if ck, err := c.Cookie(participantCookie); err == nil {
		return ck.Value
	}
	return ""
}

// self returns the participant this browser is in round r, or nil.
func (s *Server) self(c echo.Context, r *assessment.Round) (*assessment.Participant, error) {
	tok := participantToken(c)
	if tok == "" {
		return nil, nil
	}
	p, err := s.store.Participant(c.Request().Context(), r.ID, auth.HashToken(tok))
	if assessment.ErrorCode(err) == assessment.ENOTFOUND {
		return nil, nil
	}
	return p, err
}

// roundNames returns how a participant's pages name round r: its client and its title, or
// for a team round the company of the result it was opened from and the pages' own name.
func (s *Server) roundNames(c echo.Context, r *assessment.Round) (client, title string, err error) {
	ctx := c.Request().Context()
	if r.IsTeam() {
		team, err := s.store.TeamOfRound(ctx, r.ID)
		if err != nil {
			return "", "", err
		}
		return team.Company.Name, loc(c).T("team.round.title"), nil
	}
	cl, err := s.store.Client(ctx, r.WorkspaceID, r.ClientID)
	if err != nil {
		return "", "", err
	}
	return cl.Profile.Name, r.Title, nil
}

// participantsOf lists the participants of round r, a workspace's or a team's.
func (s *Server) participantsOf(ctx context.Context, r *assessment.Round) ([]assessment.Participant, error) {
	if r.IsTeam() {
		return s.store.TeamParticipants(ctx, r.ID)
	}
	return s.store.RoundParticipants(ctx, r.WorkspaceID, r.ID)
}

func joinPath(r *assessment.Round, suffix string) string {
	return "/j/" + url.PathEscape(r.Code) + suffix
}

// participate shows a participant's page: the welcome (who sees what, an optional name, Start)
// to a browser that has not joined; the form with its own answers so far to one that has;
// to one that has sent them, the done state (thank you, what happens next, Change my
// answers, which is the form again at ?edit=1); once the round has closed, their own answers
// read-only, or to anyone else the thank-you.
func (s *Server) participate(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	own, err := s.self(c, r)
	if err != nil {
		return err
	}
	if own == nil && r.Open() {
		if err := r.CheckJoinByCode(); err != nil {
			return s.refuse(c, err)
		}
		return s.renderWelcome(c, r, http.StatusOK, "", "", nil)
	}
	given := map[string]string{}
	name, role := "", ""
	if own != nil {
		for i, x := range own.Draft {
			if !isMissing(x.AsIs) {
				given[fmt.Sprintf("c%d_as_is", i+1)] = strconv.FormatFloat(x.AsIs, 'f', -1, 64)
			}
			if !isMissing(x.ToBe) {
				given[fmt.Sprintf("c%d_to_be", i+1)] = strconv.FormatFloat(x.ToBe, 'f', -1, 64)
			}
		}
		name, role = own.Name, own.Role
	}
	p, err := s.participatePage(c, r, own, given, name, role, nil)
	if err != nil {
		return err
	}
	// Sent and open: the done state, until the participant asks to change their answers.
	p.Done = own != nil && own.Finished() && r.Open() && c.QueryParam("edit") != "1"
	if p.Done {
		p.EditURL = joinPath(r, "?edit=1")
	}
	if own != nil && own.Finished() && !r.Open() {
		p.Own = s.ownAnswers(loc(c), own.Ratings)
	}
	return render(c, http.StatusOK, views.Participate(p))
}

// renderWelcome shows the start of a round: what it is, who will see what, an optional name
// and role, and the Start button.
func (s *Server) renderWelcome(c echo.Context, r *assessment.Round, status int, name, role string, err error) error {
	p, werr := s.welcomePage(c, r, name, role, err)
	if werr != nil {
		return werr
	}
	return render(c, status, views.Welcome(p))
}

// welcomePage is the start of round r on its link, with the name and role given and err's
// problems beside them.
func (s *Server) welcomePage(c echo.Context, r *assessment.Round, name, role string, err error) (views.WelcomePage, error) {
	client, title, cerr := s.roundNames(c, r)
	if cerr != nil {
		return views.WelcomePage{}, cerr
	}
	l := loc(c)
	p := views.WelcomePage{Page: s.participantPage(c, "ws.welcome.title"), Code: r.Code, Title: title, Client: client, Team: r.IsTeam(),
		Name: name, Role: role, Errors: map[string]string{}, Countdown: s.countdown(l, r), MinDetail: s.q.MinParticipantsForDetail,
		StartAction: joinPath(r, "/start")}
	p.Page.Title = title
	p.Path = joinPath(r, "")
	for _, fe := range assessment.FieldErrors(err) {
		p.Errors[fe.Field] = l.Hint(fe)
	}
	return p, nil
}

// startParticipation joins this browser to the round with the name and role it gave (both
// optional) and gives it its cookie: from now on it counts as joined.
func (s *Server) startParticipation(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	if own, err := s.self(c, r); err != nil {
		return err
	} else if own != nil {
		return c.Redirect(http.StatusSeeOther, joinPath(r, ""))
	}
	if err := r.CheckJoinByCode(); err != nil {
		return s.refuse(c, err)
	}
	nameIn, roleIn := c.FormValue("name"), c.FormValue("role")
	name, role, err := assessment.NewParticipantName(nameIn, roleIn)
	if err != nil {
		return s.renderWelcome(c, r, http.StatusUnprocessableEntity, nameIn, roleIn, err)
	}
	tok, hash := auth.NewToken()
	p := assessment.Participant{Name: name, Role: role}
	if err := s.store.JoinRound(c.Request().Context(), r.Code, hash, &p); err != nil {
		if assessment.ErrorCode(err) == assessment.EFORBIDDEN {
			return s.refuse(c, err) // a team round's shared code admits nobody new
		}
		return err
	}
	s.setParticipantCookie(c, r, tok)
	return c.Redirect(http.StatusSeeOther, joinPath(r, ""))
}

// participantCookieAge is how long a browser stays recognised as a round's participant, in
// seconds: 90 days.
const participantCookieAge = 90 * 24 * 60 * 60

func (s *Server) setParticipantCookie(c echo.Context, r *assessment.Round, tok string) {
	c.SetCookie(&http.Cookie{Name: participantCookie, Value: tok, Path: "/j/" + r.Code, MaxAge: participantCookieAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

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
	if err := s.store.SaveDraftAnswer(c.Request().Context(), r.Code, auth.HashToken(tok), n, field, v); err != nil {
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

// ownAnswers formats a participant's own ratings by category for the read-only summary of
// a closed round.
func (s *Server) ownAnswers(l views.Loc, r assessment.Ratings) []views.OwnCategory {
	var out []views.OwnCategory
	for _, cat := range s.q.Categories {
		oc := views.OwnCategory{Letter: cat.Letter, Name: l.Text(cat.Name)}
		for _, comp := range s.q.CategoryCompetencies(cat.Key) {
			if comp.Number < 1 || comp.Number > len(r) {
				continue
			}
			x := r[comp.Number-1]
			gap := x.ToBe - x.AsIs
			oc.Items = append(oc.Items, views.OwnAnswer{Number: comp.Number, Name: s.competencyTitle(l, comp.Number),
				AsIs: l.Num(x.AsIs, decimals(x.AsIs)), ToBe: l.Num(x.ToBe, decimals(x.ToBe)), Gap: l.Signed(gap, decimals(gap))})
		}
		out = append(out, oc)
	}
	return out
}

func (s *Server) participatePage(c echo.Context, r *assessment.Round, own *assessment.Participant, given map[string]string, name, role string, problems []assessment.FieldError) (views.ParticipatePage, error) {
	client, title, err := s.roundNames(c, r)
	if err != nil {
		return views.ParticipatePage{}, err
	}
	tp := s.testPage(c, given, role, "", profileForm{}, problems)
	tp.Title = title
	tp.Path = joinPath(r, "")
	tp.Audience = views.AudienceParticipant
	p := views.ParticipatePage{Test: tp, Code: r.Code, Title: title, Client: client, Name: name, Open: r.Open(),
		Team: r.IsTeam(), MinDetail: s.q.MinParticipantsForDetail,
		Revealed: r.Revealed, Known: own != nil, StateURL: joinPath(r, "/state"), DraftURL: joinPath(r, "/draft"),
		RoomURL: joinPath(r, "/room"), LivePollMS: s.livePoll.Milliseconds(), Countdown: s.countdown(loc(c), r)}
	if own != nil {
		p.Finished = own.Finished()
	}
	return p, nil
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
		first, err := s.store.OnceResponse(c.Request().Context(), once)
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
		first, err := s.store.SaveParticipantOnce(ctx, r.Code, hash, replace, p, once, resp)
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

// participantState is what a participant's phone polls to follow the room.
type participantState struct {
	Status   string `json:"status"`
	Revealed bool   `json:"revealed"`
	// Finished reports whether this browser's participant has finished, so may see the room.
	Finished bool `json:"finished"`
	// Countdown is the seconds left to answer, 0 when there is no countdown.
	Countdown int64 `json:"countdown"`
	Revision  int64 `json:"revision"`
}

// participantStateOf is round r's state for the phone of participant own (nil: none yet).
func (s *Server) participantStateOf(r *assessment.Round, own *assessment.Participant) participantState {
	st := participantState{Status: r.Status(), Revealed: r.Revealed, Finished: own != nil && own.Finished(), Revision: r.Revision}
	if left, ok := r.CountdownLeft(s.now()); ok {
		st.Countdown = int64(left.Round(time.Second).Seconds())
	}
	return st
}

// roomState answers a participant's poll: the round's status and whether this browser may see
// the room's result. Its ETag is the state itself, so an unchanged room costs a 304.
func (s *Server) roomState(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	own, err := s.self(c, r)
	if err != nil {
		return err
	}
	st := s.participantStateOf(r, own)
	etag := fmt.Sprintf(`"%d-%s-%v-%v-%d"`, r.Revision, st.Status, st.Finished, st.Revealed, st.Countdown/15)
	c.Response().Header().Set("ETag", etag)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag, true) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.JSON(http.StatusOK, st)
}

// roomView shows the room's result to a participant who answered, once the consultant has
// revealed it: means, spread and disagreement, never anyone's answers. Someone holding the
// link who did not answer sees only that the result is for those who did.
func (s *Server) roomView(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	client, title, err := s.roundNames(c, r)
	if err != nil {
		return err
	}
	own, err := s.self(c, r)
	if err != nil {
		return err
	}
	p := views.RoomPage{Page: s.participantPage(c, "ws.room.title"), Code: r.Code, Title: title, Client: client, Revealed: r.Revealed,
		Answered: own != nil && own.Finished(), StateURL: joinPath(r, "/state"), BackURL: joinPath(r, ""), LivePollMS: s.livePoll.Milliseconds(),
		Team: r.IsTeam(), MinDetail: s.q.MinParticipantsForDetail}
	p.Path = joinPath(r, "/room")
	if r.Revealed && p.Answered {
		ps, err := s.participantsOf(c.Request().Context(), r)
		if err != nil {
			return err
		}
		mode := viewRoom
		if r.IsTeam() {
			mode = viewTeam
		}
		if p.Live, err = s.liveView(c.Request().Context(), loc(c), r, ps, mode, true); err != nil {
			return err
		}
		if err := s.roomGaps(c.Request().Context(), loc(c), r, ps, &p.Live); err != nil {
			return err
		}
		p.Charts = p.Live.HasData
	}
	return render(c, http.StatusOK, views.Room(p))
}

// roomGaps makes every gap of the room's view on a phone the difference of the rounded means
// shown beside it ("2.5 → 4.2, gap +1.7", not the +1.8 of the unrounded means), as the
// result page does. The view holds formatted figures only, so the means are those of the
// same publication liveView read.
func (s *Server) roomGaps(ctx context.Context, l views.Loc, r *assessment.Round, ps []assessment.Participant, v *views.LiveView) error {
	if !v.HasData {
		return nil
	}
	shown, _, err := s.shown(ctx, r, ps)
	if err != nil {
		return err
	}
	agg := s.q.Aggregate(assessment.FinishedRatings(shown))
	for i, row := range v.Competencies {
		ca := agg.Competencies[row.Number-1]
		v.Competencies[i].Gap = l.Gap(ca.AsIs.Mean, ca.ToBe.Mean, 1)
	}
	for i, g := range v.TopGaps {
		cs := agg.Result.Competency(g.Number)
		v.TopGaps[i].Gap = l.Gap(cs.AsIs, cs.ToBe, 1)
	}
	return nil
}

// countdown describes the round's countdown for a page: the seconds left, for the script that
// counts down, and the minutes left in words, for a page without script.
func (s *Server) countdown(l views.Loc, r *assessment.Round) views.CountdownView {
	left, ok := r.CountdownLeft(s.now())
	if !ok {
		return views.CountdownView{}
	}
	secs := int64(left.Round(time.Second).Seconds())
	return views.CountdownView{Active: true, Seconds: secs, Text: l.N("ws.countdown.minutes", int((secs+59)/60)),
		Clock: fmt.Sprintf("%d:%02d", secs/60, secs%60)}
}

// isMissing reports whether a draft score is not given yet.
func isMissing(v float64) bool { return math.IsNaN(v) }
