package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the executive's side of a team round (assessment/team.go): the invitation
// page a result links to (/r/{token}/team), opening the round, and the private team page
// (/t/{team}) with a personal link per colleague (assessment/invitation.go), the team's
// progress and, once enough have finished, its result. The participants' side is the workshop's own
// (join.go); so is the live fragment's cache and the QR code.
//
// Like deleting a result, the forms here carry no CSRF token: the token in the path is the
// only credential, and the global cross-origin refusal turns away forms from other sites.
// A result's holder reaches its team page through /r/{token}/team; the team page never
// leads back to the result, whose link can delete it.

// teamPath is the path of the team page of token, with suffix.
func teamPath(token, suffix string) string { return "/t/" + url.PathEscape(token) + suffix }

// teamInvite shows a result's holder what a team round is, with the button that opens it;
// once the result has one, it goes to its team page.
func (s *Server) teamInvite(c echo.Context) error {
	a, err := s.db.assessments.Assessment(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	switch team, err := s.db.teams.TeamOfAssessment(c.Request().Context(), a.ID); assessment.ErrorCode(err) {
	case "":
		return c.Redirect(http.StatusSeeOther, teamPath(team.Token, ""))
	case assessment.ENOTFOUND:
	default:
		return err
	}
	l := loc(c)
	p := views.TeamInvitePage{Page: s.page(c, "team.invite.title"), Company: a.Company.Name, Taken: formatDate(l, a.CreatedAt),
		Action: "/r/" + a.Token + "/team", ResultURL: "/r/" + a.Token, MinDetail: s.q.MinParticipantsForDetail}
	return render(c, http.StatusOK, views.TeamInvite(p))
}

// openTeamRound opens the team round of result a (or finds the one it has) with a's answers
// as the first participant, and returns whether it was created and the first participant's
// token, which makes its holder that participant on the join link.
func (s *Server) openTeamRound(ctx context.Context, a *assessment.Assessment) (*assessment.Team, bool, string, error) {
	r, first := s.q.NewTeamRound(a)
	tok, hash := auth.NewToken()
	team, created, err := s.db.teams.OpenTeamRound(ctx, a, &r, &first, hash)
	return team, created, tok, err
}

// openTeam opens the result's team round and goes to its team page. The executive's
// browser becomes the first participant on the join link, so that opening the QR code on
// their own phone shows their answers instead of a second start.
func (s *Server) openTeam(c echo.Context) error {
	a, err := s.db.assessments.Assessment(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	team, created, tok, err := s.openTeamRound(c.Request().Context(), a)
	if err != nil {
		return err
	}
	if created {
		s.setParticipantCookie(c, &team.Round, tok)
	}
	return c.Redirect(http.StatusSeeOther, teamPath(team.Token, ""))
}

// team loads the team round of the :team link; a moved one is EGONE, which the page and the
// API explain.
func (s *Server) team(c echo.Context) (*assessment.Team, error) {
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
	team, err := s.db.teams.Team(c.Request().Context(), c.Param("team"))
	if err != nil {
		return nil, err
	}
	if team.Moved() {
		return team, assessment.NewError(assessment.EGONE, assessment.MsgTeamMoved, nil)
	}
	return team, nil
}

// teamDocument is team for the team page and its forms and live parts: the team's result is
// the round's document, which the holder prints and hands to the leadership team, so it
// speaks the round's language whatever language the holder's pages speak (documentLang); the
// page's frame keeps the holder's (teamUI).
func (s *Server) teamDocument(c echo.Context) (*assessment.Team, error) {
	team, err := s.team(c)
	if err == nil {
		s.documentLang(c, team.Round.Lang)
	}
	return team, err
}

// teamUI is the language of the team page's frame: the reader's, once teamDocument has
// switched the request to the round's.
func (s *Server) teamUI(c echo.Context) string {
	if ui, ok := c.Get(uiLangKey).(string); ok {
		return ui
	}
	return loc(c).Lang
}

// teamPage is the executive's private page of the team round: the personal links, the
// team's progress and, once enough have finished, its result. A round a consultant took over
// says so, and shows nothing more (410).
func (s *Server) teamPage(c echo.Context) error {
	team, err := s.teamDocument(c)
	if assessment.ErrorCode(err) == assessment.EGONE {
		return s.teamMoved(c, team)
	}
	if err != nil {
		return err
	}
	p := teamForm{}
	if n, err := strconv.Atoi(c.QueryParam("added")); err == nil && n > 0 {
		p.notice = loc(c).N("team.colleagues.added", n)
	}
	if label := c.QueryParam("removed"); label != "" {
		p.notice = loc(c).F("team.colleagues.removed", views.Args{"Label": label})
	}
	if id, err := strconv.ParseInt(c.QueryParam("emailed"), 10, 64); err == nil {
		p.emailed = id
	}
	return s.renderTeam(c, http.StatusOK, team, p)
}

// teamForm is what the holder's last action left on the team page: what they typed and
// what was wrong with it.
type teamForm struct {
	list, cap   string
	addErrs     []assessment.FieldError
	capErr      []assessment.FieldError
	notice, bad string
	// emailed is the personal link just sent by email, said in the notice.
	emailed int64
	// mailID is the personal link whose "email it" form was refused: mailAddr is what was
	// typed there, mailErr why.
	mailID            int64
	mailAddr, mailErr string
}

// renderTeam renders the team page of team with f.
func (s *Server) renderTeam(c echo.Context, status int, team *assessment.Team, f teamForm) error {
	ctx := c.Request().Context()
	l := loc(c)
	r := &team.Round
	ps, err := s.db.teams.TeamParticipants(ctx, r.ID)
	if err != nil {
		return err
	}
	links, err := s.db.invitations.Invitations(ctx, r.ID)
	if err != nil {
		return err
	}
	live, err := s.teamLiveOf(ctx, l, r, ps)
	if err != nil {
		return err
	}
	p := views.TeamPage{Page: s.page(c, "team.title"), Company: team.Company.Name, Opened: formatDate(l, team.CreatedAt),
		LiveURL: teamPath(team.Token, "/live"), LivePollMS: s.livePoll.Milliseconds(), Live: live,
		Revealed: r.Revealed, RevealAction: teamPath(team.Token, "/reveal"), TeamURL: s.shareURL(teamPath(team.Token, "")),
		MinDetail: s.q.MinParticipantsForDetail, AddAction: teamPath(team.Token, "/colleagues") + "#colleagues",
		CapAction: teamPath(team.Token, "/cap") + "#colleagues", CapMax: assessment.MaxInvitations, AddList: f.list, Notice: f.notice, ActionError: f.bad,
		Legacy: legacyColleagues(ps, links)}
	p.UILang = s.teamUI(c)
	p.MailURL = mailtoURL(l.T("team.mail.subject"), l.F("team.mail.body", views.Args{"Date": p.Opened, "Link": p.TeamURL}))
	company := team.Company.Name
	if company == "" {
		company = l.T("team.round.title")
	}
	for _, i := range links {
		row := views.ColleagueRow{ID: i.ID, Label: i.Label, Status: i.Status(), StatusText: l.T("team.colleagues.status." + i.Status())}
		if !i.Used() {
			row.URL = s.absoluteURL(c, invitationPath(i.Token, ""))
			row.MailURL = mailtoURL(l.F("team.colleagues.mail.subject", views.Args{"Company": company}),
				l.F("team.colleagues.mail.body", views.Args{"Label": i.Label, "Link": row.URL, "Count": s.q.MinParticipantsForDetail}))
			if s.mail.Delivers {
				row.EmailAction = teamPath(team.Token, "/colleagues/"+strconv.FormatInt(i.ID, 10)+"/email") + "#colleague-" + strconv.FormatInt(i.ID, 10)
				if f.mailID == i.ID {
					row.Email, row.EmailError = f.mailAddr, f.mailErr
				}
			}
		}
		if f.emailed == i.ID && !i.Used() {
			p.Notice = l.F("team.colleagues.email.sent", views.Args{"Label": i.Label})
		}
		if i.CheckRemove() == nil {
			row.RemoveAction = teamPath(team.Token, "/colleagues/"+strconv.FormatInt(i.ID, 10)+"/remove") + "#colleagues"
			row.RemoveText = l.F("team.colleagues.withdraw", views.Args{"Label": i.Label})
			if i.Status() == assessment.InvitationJoined {
				row.RemoveText = l.F("team.colleagues.remove", views.Args{"Label": i.Label})
			}
		}
		p.Colleagues = append(p.Colleagues, row)
	}
	places := team.PlacesOf(links)
	p.Cap = f.cap
	if f.cap == "" && team.Cap > 0 {
		p.Cap = strconv.Itoa(team.Cap)
	}
	p.Places = l.F("team.cap.places", views.Args{"Taken": places.Taken, "Cap": places.Cap})
	for _, fe := range f.addErrs {
		msg := l.Hint(fe)
		if line, ok := fe.Args["Line"].(int); ok {
			msg = l.F("team.colleagues.line", views.Args{"Line": line, "Problem": msg})
		}
		p.AddErrors = append(p.AddErrors, msg)
	}
	for _, fe := range f.capErr {
		p.CapErr = l.Hint(fe)
	}
	p.Charts = true
	if _, p.LiveETag, err = renderFragment(c, views.TeamLive(live)); err != nil {
		return err
	}
	return render(c, status, views.Team(p))
}

// legacyColleagues counts the colleagues who joined a team round with its shared code,
// before personal links: every participant but the holder (the first) and those a link
// admitted.
func legacyColleagues(ps []assessment.Participant, links []assessment.Invitation) int {
	byLink := map[int64]bool{}
	for _, i := range links {
		byLink[i.ParticipantID] = true
	}
	n := 0
	for k, p := range ps {
		if k > 0 && !byLink[p.ID] {
			n++
		}
	}
	return n
}

// addColleagues makes a personal link for each name the holder listed, one a line: all, or
// none and the list again with its problems (422).
func (s *Server) addColleagues(c echo.Context) error {
	team, err := s.teamDocument(c)
	if err != nil {
		return err
	}
	list := c.FormValue("names")
	added, err := s.db.invitations.AddInvitations(c.Request().Context(), team.Round.ID, list)
	if assessment.ErrorCode(err) == assessment.EINVALID {
		return s.renderTeam(c, http.StatusUnprocessableEntity, team, teamForm{list: list, addErrs: assessment.FieldErrors(err)})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, teamPath(team.Token, "?added="+strconv.Itoa(len(added))+"#colleagues"))
}

// removeColleague withdraws a personal link, with the colleague if they joined and have not
// finished; one who finished stays (409, said on the page).
func (s *Server) removeColleague(c echo.Context) error {
	team, err := s.teamDocument(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgInvitationNotFound, nil)
	}
	i, err := s.db.invitations.RemoveInvitation(c.Request().Context(), team.Round.ID, id)
	if code := assessment.ErrorCode(err); code == assessment.ECONFLICT {
		return s.renderTeam(c, http.StatusConflict, team, teamForm{bad: loc(c).Error(err)})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, teamPath(team.Token, "?removed="+url.QueryEscape(i.Label)+"#colleagues"))
}

// setTeamCap sets the most colleagues who may join; an empty field means one place per
// personal link.
func (s *Server) setTeamCap(c echo.Context) error {
	team, err := s.teamDocument(c)
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(c.FormValue("cap"))
	cap := 0
	if raw != "" {
		n, ok := scaleValue(raw)
		if !ok || n == 0 {
			n = -1 // 0 is the API's "one place per link"; the form says so by an empty field
		}
		cap = n
	}
	err = s.db.invitations.SetTeamCap(c.Request().Context(), team.Round.ID, cap)
	if assessment.ErrorCode(err) == assessment.EINVALID {
		return s.renderTeam(c, http.StatusUnprocessableEntity, team, teamForm{cap: raw, capErr: assessment.FieldErrors(err)})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, teamPath(team.Token, "#colleagues"))
}

// teamMoved says that a consultant took the team round over: status 410, nothing of the
// team's result.
func (s *Server) teamMoved(c echo.Context, team *assessment.Team) error {
	l := loc(c)
	p := views.ErrorPage{Page: s.page(c, "team.moved.title"), Heading: l.T("team.moved.title"),
		Text: l.F("team.moved.text", views.Args{"Date": formatDate(l, team.MovedAt)})}
	return render(c, http.StatusGone, views.TeamMoved(p))
}

// teamLive is the refreshed part of the team page, polled by workshop.js, cached like the
// dashboard's by round, language and revision.
func (s *Server) teamLive(c echo.Context) error {
	team, err := s.teamDocument(c)
	if err != nil {
		return err
	}
	return s.serveFragment(c, &team.Round, "team", func() (templ.Component, error) {
		live, err := s.teamLiveView(c, &team.Round)
		return views.TeamLive(live), err
	})
}

// teamLiveView is the team page's live part: the progress always, the team's result once
// assessment.Questionnaire.TeamShowsResult allows it, never anyone's own answers.
func (s *Server) teamLiveView(c echo.Context, r *assessment.Round) (views.TeamLiveView, error) {
	ctx := c.Request().Context()
	ps, err := s.db.teams.TeamParticipants(ctx, r.ID)
	if err != nil {
		return views.TeamLiveView{}, err
	}
	return s.teamLiveOf(ctx, loc(c), r, ps)
}

// teamLiveOf is teamLiveView for round r's participants ps.
func (s *Server) teamLiveOf(ctx context.Context, l views.Loc, r *assessment.Round, ps []assessment.Participant) (views.TeamLiveView, error) {
	live, err := s.liveView(ctx, l, r, ps, viewTeam, true)
	v := views.TeamLiveView{LiveView: live}
	if err != nil || !live.HasData {
		return v, err
	}
	// The team's result is computed from the round's publication, like the live view above,
	// never from the answers as they are this second.
	shown, _, err := s.shownRatings(ctx, r, ps)
	if err != nil {
		return v, err
	}
	agg := s.q.Aggregate(shown)
	if v.Chart, err = s.teamRadar(l, agg.Result); err != nil {
		return v, err
	}
	s.addTeamResult(l, &v, agg)
	return v, nil
}

// teamRadar is the team's category radar, its spoke names hyphenated for the language so that
// a long name breaks at a syllable ("Ledelses-forankring"), not where the box ends.
func (s *Server) teamRadar(l views.Loc, res assessment.Result) (any, error) {
	labels := s.categoryLabels(l)
	var axes []chart.Axis
	var asIs, toBe []float64
	for i, cs := range res.Categories {
		axes = append(axes, chart.Axis{Name: l.Hy(chart.WrapName(labels[i])), Min: float64(s.q.Scale.Min), Max: float64(s.q.Scale.Max)})
		asIs = append(asIs, cs.AsIs)
		toBe = append(toBe, cs.ToBe)
	}
	opt, err := chart.Radar(axes, []chart.Series{
		{Name: l.T("chart.asis"), Values: asIs, Kind: chart.KindAsIs},
		{Name: l.T("chart.tobe"), Values: toBe, Kind: chart.KindToBe},
	})
	if err != nil {
		return nil, fmt.Errorf("team radar: %w", err)
	}
	return opt, nil
}

// addTeamResult says what a leadership team should talk about first: at most a handful of
// competencies where its answers lie furthest apart (assessment.Aggregate.TalkFirst), the
// largest gaps, and every competency with means, gap and spread. Means and gaps show one
// decimal and every gap is the difference of the means shown beside it.
func (s *Server) addTeamResult(l views.Loc, v *views.TeamLiveView, agg assessment.Aggregate) {
	topics := agg.TalkFirst(assessment.TeamTopicsMax)
	titles := s.competencyTitles(l)
	flagged := map[int]string{}
	for _, t := range topics {
		key := "team.topic.asis"
		if t.Field == assessment.FieldToBe {
			key = "team.topic.tobe"
		}
		text := l.F(key, views.Args{"Name": titles[t.Number-1], "SD": l.Num(t.SD, 1)})
		v.Topics = append(v.Topics, views.TeamTopicRow{Number: t.Number, Text: text})
		flagged[t.Number] = l.T(key + ".short")
	}
	res := agg.Result
	for rank, n := range res.Priorities[:min(topGaps, len(res.Priorities))] {
		cs := res.Competency(n)
		v.Gaps = append(v.Gaps, views.GapRow{Rank: rank + 1, Number: n, Name: s.competencyTitle(l, n),
			AsIs: l.Num(cs.AsIs, 1), ToBe: l.Num(cs.ToBe, 1), Gap: l.Gap(cs.AsIs, cs.ToBe, 1)})
	}
	for _, ca := range agg.Competencies {
		comp := s.q.Competencies[ca.Number-1]
		title, topic := flagged[ca.Number]
		v.Rows = append(v.Rows, views.TeamStatRow{Number: ca.Number, Name: l.Text(comp.Name), Label: l.Text(comp.Label),
			AsIs: l.Num(ca.AsIs.Mean, 1), ToBe: l.Num(ca.ToBe.Mean, 1), Gap: l.Gap(ca.AsIs.Mean, ca.ToBe.Mean, 1),
			AsIsSD: l.Num(ca.AsIs.SD, 1), ToBeSD: l.Num(ca.ToBe.SD, 1), Topic: topic, TopicTitle: title})
	}
}

// teamReveal shows the team's result on the phones of those who finished (revealed=1), or
// hides it again; they see it only once enough have finished, like the team page.
func (s *Server) teamReveal(c echo.Context) error {
	team, err := s.team(c)
	if err != nil {
		return err
	}
	// Sharing early is allowed: the phones show nothing before the team's first publication,
	// which counts at least MinParticipantsForDetail (publication.go).
	if err := s.db.teams.SetTeamRevealed(c.Request().Context(), team.Round.ID, c.FormValue("revealed") == "1"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, teamPath(team.Token, ""))
}
