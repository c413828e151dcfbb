package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
)

// The workspace API: Bearer-token authenticated, scoped to the token's workspace (another
// workspace's id answers 404), plus the unauthenticated join endpoint for participants.

type apiClientIn struct {
	Name             string `json:"name"`
	Industry         string `json:"industry"`
	Size             string `json:"size"`
	Country          string `json:"country"`
	NPSYears         string `json:"nps_years"`
	BenchmarkConsent bool   `json:"benchmark_consent"`
}

type apiClientOut struct {
	ID int64 `json:"id"`
	apiClientIn
	Archived  bool   `json:"archived"`
	CreatedAt string `json:"created_at"`
}

func toAPIClient(c *assessment.Client) apiClientOut {
	p := c.Profile
	return apiClientOut{ID: c.ID, apiClientIn: apiClientIn{Name: p.Name, Industry: p.Industry, Size: p.Size, Country: p.Country,
		NPSYears: p.NPSYears, BenchmarkConsent: c.BenchmarkConsent}, Archived: c.Archived, CreatedAt: c.CreatedAt.UTC().Format(time.RFC3339)}
}

func (s *Server) apiCreateClient(c echo.Context) error {
	var in apiClientIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cl, err := s.q.NewClient(assessment.Company{Name: in.Name, Industry: in.Industry, Size: in.Size, Country: in.Country, NPSYears: in.NPSYears}, in.BenchmarkConsent)
	if err != nil {
		return err
	}
	if err := s.db.clients.CreateClient(c.Request().Context(), currentUser(c).WorkspaceID, &cl); err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/clients/%d", cl.ID))
	return c.JSON(http.StatusCreated, toAPIClient(&cl))
}

// apiGetClient answers one client of the caller's workspace.
func (s *Server) apiGetClient(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIClient(cl))
}

func (s *Server) apiListClients(c echo.Context) error {
	ws := currentUser(c).WorkspaceID
	out := []apiClientOut{}
	for _, archived := range []bool{false, true} {
		cs, err := s.db.clients.Clients(c.Request().Context(), ws, archived)
		if err != nil {
			return err
		}
		for i := range cs {
			out = append(out, toAPIClient(&cs[i]))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"clients": out})
}

type apiRoundIn struct {
	Title string `json:"title"`
	Lang  string `json:"lang"`
}

func (s *Server) apiCreateRound(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	var in apiRoundIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.q.NewRound(in.Title, in.Lang)
	if err != nil {
		return err
	}
	if err := s.db.rounds.CreateRound(c.Request().Context(), cl.WorkspaceID, cl.ID, &r); err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/rounds/%d", r.ID))
	return c.JSON(http.StatusCreated, map[string]any{"id": r.ID, "code": r.Code, "short_code": r.ShortCode, "join_url": s.joinURL(c, r.Code)})
}

// apiStat is the room's statistics of one side of a competency. Min and max describe single
// participants, so they are left out below the detail threshold.
type apiStat struct {
	Mean float64  `json:"mean"`
	Min  *float64 `json:"min,omitempty"`
	Max  *float64 `json:"max,omitempty"`
	SD   float64  `json:"sd"`
}

type apiRoundCompetency struct {
	Number           int     `json:"number"`
	Key              string  `json:"key"`
	AsIs             apiStat `json:"as_is"`
	ToBe             apiStat `json:"to_be"`
	Gap              float64 `json:"gap"`
	DisagreementAsIs bool    `json:"disagreement_as_is"`
	DisagreementToBe bool    `json:"disagreement_to_be"`
}

type apiAggregate struct {
	Competencies []apiRoundCompetency `json:"competencies"`
	Categories   map[string]apiScore  `json:"categories"`
	Overall      *apiOverall          `json:"overall"`
}

type apiProgress struct {
	Joined    int `json:"joined"`
	Answering int `json:"answering"`
	Finished  int `json:"finished"`
}

type apiRound struct {
	ID       int64  `json:"id"`
	ClientID int64  `json:"client_id"`
	Title    string `json:"title"`
	apiRoom
}

// apiRoom is what a workspace's round (GET /api/v1/rounds/{id}) and a team round (GET
// /api/v1/teams/{token}) say alike: their state, progress and aggregate.
type apiRoom struct {
	Lang                 string  `json:"lang"`
	QuestionnaireVersion string  `json:"questionnaire_version"`
	Status               string  `json:"status"`
	Revealed             bool    `json:"revealed"`
	OpenedAt             string  `json:"opened_at"`
	ClosedAt             *string `json:"closed_at"`
	// Deadline is when the countdown for answering ends, when one runs.
	Deadline *string `json:"deadline,omitempty"`
	// ShortCode and JoinURL are how the room joins; a team round has neither (personal
	// links only).
	ShortCode string `json:"short_code,omitempty"`
	JoinURL   string `json:"join_url,omitempty"`
	// DisagreementRange and MinParticipantsForDetail are the questionnaire's settings the
	// aggregate follows.
	DisagreementRange        int `json:"disagreement_range"`
	MinParticipantsForDetail int `json:"min_participants_for_detail"`
	// Participants counts those the aggregate is computed from: the round's publication,
	// 0 or at least MinParticipantsForDetail. Pending counts the changes (new finishers,
	// changed answers, removals) that wait for the next publication.
	Participants int          `json:"participants"`
	Pending      int          `json:"pending"`
	Progress     apiProgress  `json:"progress"`
	Aggregate    apiAggregate `json:"aggregate"`
}

func toStat(s assessment.Stat, detail bool) apiStat {
	out := apiStat{Mean: s.Mean, SD: s.SD}
	if detail {
		out.Min, out.Max = &s.Min, &s.Max
	}
	return out
}

// apiRoundOf describes a round, its progress and the aggregate of the participants who
// finished, with unrounded numbers.
func (s *Server) apiRoundOf(c echo.Context, r *assessment.Round) (apiRound, error) {
	ps, err := s.db.participants.RoundParticipants(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return apiRound{}, err
	}
	room, err := s.apiRoomOf(c, r, ps, false)
	return apiRound{ID: r.ID, ClientID: r.ClientID, Title: r.Title, apiRoom: room}, err
}

// apiRoomOf describes round r with its participants ps and the aggregate of those who
// finished. For a team round (team) the aggregate stays empty until
// assessment.Questionnaire.TeamShowsResult allows it, and never has the lowest and highest
// answers, which the team page does not show either: with three finished, an executive who
// knows their own answer could read the other two off them.
func (s *Server) apiRoomOf(c echo.Context, r *assessment.Round, ps []assessment.Participant, team bool) (apiRoom, error) {
	shown, pending, err := s.shownRatings(c.Request().Context(), r, ps)
	if err != nil {
		return apiRoom{}, err
	}
	agg := s.q.Aggregate(shown)
	pr := assessment.ProgressOf(ps)
	detail := s.q.ShowsDetail(agg.Participants) && !team
	withAggregate := !team || s.q.TeamShowsResult(agg.Participants)
	out := apiRoom{Lang: r.Lang, QuestionnaireVersion: r.QuestionnaireVersion,
		Status: r.Status(), Revealed: r.Revealed, OpenedAt: r.OpenedAt.UTC().Format(time.RFC3339), ShortCode: r.ShortCode,
		JoinURL: s.joinURL(c, r.Code), DisagreementRange: s.q.DisagreementRange, MinParticipantsForDetail: s.q.MinParticipantsForDetail,
		Participants: agg.Participants, Pending: pending.Total(), Progress: apiProgress{Joined: pr.Joined, Answering: pr.Answering, Finished: pr.Finished},
		Aggregate: apiAggregate{Competencies: []apiRoundCompetency{}, Categories: map[string]apiScore{}}}
	if !r.Open() {
		closed := r.ClosedAt.UTC().Format(time.RFC3339)
		out.ClosedAt = &closed
	}
	if _, ok := r.CountdownLeft(s.now()); ok {
		d := r.Deadline.UTC().Format(time.RFC3339)
		out.Deadline = &d
	}
	if agg.Participants > 0 && withAggregate {
		for _, ca := range agg.Competencies {
			comp, _ := s.q.Competency(ca.Number)
			out.Aggregate.Competencies = append(out.Aggregate.Competencies, apiRoundCompetency{Number: ca.Number, Key: comp.Key,
				AsIs: toStat(ca.AsIs, detail), ToBe: toStat(ca.ToBe, detail), Gap: ca.Gap, DisagreementAsIs: ca.DisagreeAsIs, DisagreementToBe: ca.DisagreeToBe})
		}
		for _, cs := range agg.Result.Categories {
			out.Aggregate.Categories[cs.Key] = toAPIScore(cs.Score)
		}
		out.Aggregate.Overall = &apiOverall{apiScore: toAPIScore(agg.Result.Overall), AsIsIndex: agg.Result.AsIsIndex, ToBeIndex: agg.Result.ToBeIndex}
	}
	return out, nil
}

func (s *Server) apiGetRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	return s.apiRoundReply(c, r)
}

func (s *Server) apiRoundReply(c echo.Context, r *assessment.Round) error {
	out, err := s.apiRoundOf(c, r)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// apiCloseRound closes a round (409 if it is already closed) and returns it.
func (s *Server) apiCloseRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if r, err = s.db.rounds.CloseRound(c.Request().Context(), s.q, r.WorkspaceID, r.ID); err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditRoundClosed, Target: assessment.AuditTarget(assessment.TargetRound, r.ID)})
	return s.apiRoundReply(c, r)
}

// apiReopenRound opens a closed round again (409 if it is open) and returns it.
func (s *Server) apiReopenRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if r, err = s.db.rounds.ReopenRound(c.Request().Context(), s.q, r.WorkspaceID, r.ID); err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditRoundReopened, Target: assessment.AuditTarget(assessment.TargetRound, r.ID)})
	return s.apiRoundReply(c, r)
}

func (s *Server) apiRevealRound(c echo.Context) error { return s.apiSetRevealed(c, true) }
func (s *Server) apiHideRound(c echo.Context) error   { return s.apiSetRevealed(c, false) }

// apiSetRevealed shows the room's result on the projector and to the participants who
// answered, or hides it, and returns the round.
func (s *Server) apiSetRevealed(c echo.Context, revealed bool) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
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
	if r, err = s.db.rounds.Round(c.Request().Context(), r.WorkspaceID, r.ID); err != nil {
		return err
	}
	return s.apiRoundReply(c, r)
}

// apiParticipant is one participant as the consultant sees them: never their answers.
type apiParticipant struct {
	ID       int64  `json:"id"`
	Label    string `json:"label"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Answered int    `json:"answered"`
	JoinedAt string `json:"joined_at"`
}

// apiListParticipants lists a round's participants with their status, never their answers.
func (s *Server) apiListParticipants(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	ps, err := s.db.participants.RoundParticipants(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return err
	}
	out := []apiParticipant{}
	for _, p := range ps {
		out = append(out, apiParticipant{ID: p.ID, Label: p.Label, Name: p.Name, Status: p.Status(), Answered: p.Answered(),
			JoinedAt: p.CreatedAt.UTC().Format(time.RFC3339)})
	}
	return c.JSON(http.StatusOK, map[string]any{"participants": out})
}

// apiRemoveParticipant takes a participant out of an open round: 204; a closed round is
// frozen: 409, and nothing changes.
func (s *Server) apiRemoveParticipant(c echo.Context) error {
	if _, err := s.removeRoundParticipant(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiBattleEvent is one status of a battle's history.
type apiBattleEvent struct {
	Status  string `json:"status"`
	At      string `json:"at"`
	RoundID int64  `json:"round_id"`
}

// apiBattle is a Must Win Battle with its history.
type apiBattle struct {
	ID         int64            `json:"id"`
	RoundID    int64            `json:"round_id"`
	Competency int              `json:"competency"`
	Title      string           `json:"title"`
	Owner      string           `json:"owner"`
	Due        string           `json:"due"`
	Status     string           `json:"status"`
	Lineage    int64            `json:"lineage"`
	History    []apiBattleEvent `json:"history"`
}

func toAPIBattle(b *assessment.Battle) apiBattle {
	out := apiBattle{ID: b.ID, RoundID: b.RoundID, Competency: b.Competency, Title: b.Title, Owner: b.Owner, Due: b.Due,
		Status: b.Status, Lineage: b.Lineage, History: []apiBattleEvent{}}
	for _, ev := range b.History {
		out.History = append(out.History, apiBattleEvent{Status: ev.Status, At: ev.At.UTC().Format(time.RFC3339), RoundID: ev.RoundID})
	}
	return out
}

// apiListBattles lists a round's Must Win Battles.
func (s *Server) apiListBattles(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	bs, err := s.db.battles.Battles(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return err
	}
	out := []apiBattle{}
	for i := range bs {
		out = append(out, toAPIBattle(&bs[i]))
	}
	return c.JSON(http.StatusOK, map[string]any{"battles": out})
}

// apiBattleIn is a battle as sent; with PATCH, absent fields keep their value.
type apiBattleIn struct {
	Competency *int    `json:"competency"`
	Title      *string `json:"title"`
	Owner      *string `json:"owner"`
	Due        *string `json:"due"`
	Status     *string `json:"status"`
}

// apply returns b with the fields of in that were sent.
func (in apiBattleIn) apply(b assessment.Battle) assessment.Battle {
	if in.Competency != nil {
		b.Competency = *in.Competency
	}
	if in.Title != nil {
		b.Title = *in.Title
	}
	if in.Owner != nil {
		b.Owner = *in.Owner
	}
	if in.Due != nil {
		b.Due = *in.Due
	}
	if in.Status != nil {
		b.Status = *in.Status
	}
	return b
}

// apiCreateBattle records a Must Win Battle: 201 with it.
func (s *Server) apiCreateBattle(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	var in apiBattleIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f := in.apply(assessment.Battle{})
	b, err := s.q.NewBattle(f.Competency, f.Title, f.Owner, f.Due, f.Status)
	if err != nil {
		return err
	}
	if err := s.db.battles.AddBattle(c.Request().Context(), r.WorkspaceID, r.ID, &b); err != nil {
		return err
	}
	stored, err := s.db.battles.Battle(c.Request().Context(), r.WorkspaceID, b.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/battles/%d", b.ID))
	return jsonTagged(c, http.StatusCreated, toAPIBattle(stored))
}

// apiGetBattle answers one Must Win Battle of the caller's workspace, with the ETag that a
// PATCH may send back as If-Match.
func (s *Server) apiGetBattle(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	b, err := s.db.battles.Battle(c.Request().Context(), currentUser(c).WorkspaceID, id)
	if err != nil {
		return err
	}
	return jsonTagged(c, http.StatusOK, toAPIBattle(b))
}

// ifMatchBattle is the check of a PATCH's If-Match against the battle as stored: nil when
// the request has none (an unconditional change).
func ifMatchBattle(c echo.Context) func(*assessment.Battle) error {
	ifMatch := c.Request().Header.Get("If-Match")
	if ifMatch == "" {
		return nil
	}
	return func(cur *assessment.Battle) error {
		tag, err := etagOf(toAPIBattle(cur))
		if err != nil {
			return err
		}
		if !etagMatches(ifMatch, tag, false) {
			return assessment.NewError(assessment.ESTALE, assessment.MsgStale, nil)
		}
		return nil
	}
}

// apiUpdateBattle changes the fields of a Must Win Battle that are sent; a new status goes
// into its history.
func (s *Server) apiUpdateBattle(c echo.Context) error {
	ws := currentUser(c).WorkspaceID
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	old, err := s.db.battles.Battle(c.Request().Context(), ws, id)
	if err != nil {
		return err
	}
	var in apiBattleIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f := in.apply(*old)
	b, err := s.q.NewBattle(f.Competency, f.Title, f.Owner, f.Due, f.Status)
	if err != nil {
		return err
	}
	b.ID, b.RoundID = old.ID, old.RoundID
	// The If-Match is compared in the transaction that changes the battle, so that two
	// clients who read the same version cannot both change it.
	if err := s.db.battles.UpdateBattleIf(c.Request().Context(), ws, &b, ifMatchBattle(c)); err != nil {
		return err
	}
	stored, err := s.db.battles.Battle(c.Request().Context(), ws, id)
	if err != nil {
		return err
	}
	return jsonTagged(c, http.StatusOK, toAPIBattle(stored))
}

type apiJoinIn struct {
	Name    string      `json:"name"`
	Role    string      `json:"role"`
	Answers []apiAnswer `json:"answers"`
}

// apiJoin stores a participant's answers through the round's link code, without any other
// authentication: 201 with a participant_token for a new participant; with that token in
// X-Participant-Token, 200 and the same participant's answers replaced. It never returns
// results.
func (s *Server) apiJoin(c echo.Context) error {
	var in apiJoinIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	answers := make([]assessment.Answer, 0, len(in.Answers))
	for _, a := range in.Answers {
		answers = append(answers, a.answer())
	}
	p, err := s.q.NewParticipant(in.Name, in.Role, answers)
	if err != nil {
		return err
	}
	code := c.Param("code")
	if _, err := s.db.rounds.RoundByCode(c.Request().Context(), code); err != nil {
		if ferr := s.missedCode(c, err); ferr != nil {
			return ferr
		}
		return err
	}
	if tok := strings.TrimSpace(c.Request().Header.Get("X-Participant-Token")); tok != "" {
		if err := s.db.participants.SaveParticipant(c.Request().Context(), code, auth.HashToken(tok), true, &p); err != nil {
			return err
		}
		s.metrics.answersSubmitted("api")
		return c.JSON(http.StatusOK, map[string]any{"participant_token": tok, "replaced": true})
	}
	tok, hash := auth.NewToken()
	if err := s.db.participants.SaveParticipant(c.Request().Context(), code, hash, false, &p); err != nil {
		return err
	}
	s.metrics.answersSubmitted("api")
	// What was created is this participant's answers, which are replaced at the same address
	// with the token; nothing in the API reads them back.
	c.Response().Header().Set("Location", "/api/v1/join/"+url.PathEscape(code))
	return c.JSON(http.StatusCreated, map[string]any{"participant_token": tok, "replaced": false})
}
