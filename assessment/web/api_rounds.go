package web

import (
	"net/http"
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
	if err := s.store.CreateClient(c.Request().Context(), currentUser(c).WorkspaceID, &cl); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toAPIClient(&cl))
}

func (s *Server) apiListClients(c echo.Context) error {
	ws := currentUser(c).WorkspaceID
	out := []apiClientOut{}
	for _, archived := range []bool{false, true} {
		cs, err := s.store.Clients(c.Request().Context(), ws, archived)
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
	if err := s.store.CreateRound(c.Request().Context(), cl.WorkspaceID, cl.ID, &r); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"id": r.ID, "code": r.Code, "short_code": r.ShortCode, "join_url": s.joinURL(c, r.Code)})
}

type apiStat struct {
	Mean float64 `json:"mean"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	SD   float64 `json:"sd"`
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

type apiRound struct {
	ID                   int64        `json:"id"`
	ClientID             int64        `json:"client_id"`
	Title                string       `json:"title"`
	Lang                 string       `json:"lang"`
	QuestionnaireVersion string       `json:"questionnaire_version"`
	Status               string       `json:"status"`
	Revealed             bool         `json:"revealed"`
	OpenedAt             string       `json:"opened_at"`
	ClosedAt             *string      `json:"closed_at"`
	ShortCode            string       `json:"short_code"`
	JoinURL              string       `json:"join_url"`
	DisagreementRange    int          `json:"disagreement_range"`
	Participants         int          `json:"participants"`
	Aggregate            apiAggregate `json:"aggregate"`
}

func toStat(s assessment.Stat) apiStat {
	return apiStat{Mean: s.Mean, Min: s.Min, Max: s.Max, SD: s.SD}
}

// apiRoundOf describes a round and its aggregate with unrounded numbers.
func (s *Server) apiRoundOf(c echo.Context, r *assessment.Round) (apiRound, error) {
	ps, err := s.store.RoundParticipants(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return apiRound{}, err
	}
	agg := s.q.Aggregate(ratingsOf(ps))
	out := apiRound{ID: r.ID, ClientID: r.ClientID, Title: r.Title, Lang: r.Lang, QuestionnaireVersion: r.QuestionnaireVersion,
		Status: "open", Revealed: r.Revealed, OpenedAt: r.OpenedAt.UTC().Format(time.RFC3339), ShortCode: r.ShortCode,
		JoinURL: s.joinURL(c, r.Code), DisagreementRange: s.q.DisagreementRange, Participants: agg.Participants,
		Aggregate: apiAggregate{Competencies: []apiRoundCompetency{}, Categories: map[string]apiScore{}}}
	if !r.Open() {
		out.Status = "closed"
		closed := r.ClosedAt.UTC().Format(time.RFC3339)
		out.ClosedAt = &closed
	}
	if agg.Participants > 0 {
		for _, ca := range agg.Competencies {
			comp, _ := s.q.Competency(ca.Number)
			out.Aggregate.Competencies = append(out.Aggregate.Competencies, apiRoundCompetency{Number: ca.Number, Key: comp.Key,
				AsIs: toStat(ca.AsIs), ToBe: toStat(ca.ToBe), Gap: ca.Gap, DisagreementAsIs: ca.DisagreeAsIs, DisagreementToBe: ca.DisagreeToBe})
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
	if r, err = s.store.CloseRound(c.Request().Context(), s.q, r.WorkspaceID, r.ID); err != nil {
		return err
	}
	out, err := s.apiRoundOf(c, r)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
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
	if _, err := s.store.RoundByCode(c.Request().Context(), code); err != nil {
		if ferr := s.missedCode(c, err); ferr != nil {
			return ferr
		}
		return err
	}
	if tok := strings.TrimSpace(c.Request().Header.Get("X-Participant-Token")); tok != "" {
		if err := s.store.SaveParticipant(c.Request().Context(), code, auth.HashToken(tok), true, &p); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"participant_token": tok, "replaced": true})
	}
	tok, hash := auth.NewToken()
	if err := s.store.SaveParticipant(c.Request().Context(), code, hash, false, &p); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"participant_token": tok, "replaced": false})
}
