package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
)

// The team round API (docs/api.md): the holder of a result opens its team round, and the
// holder of the team link reads the team's state, progress and result. No account: each
// token grants what it names. Colleagues join through POST /api/v1/join/{code}, like any
// round's participants.

// apiTeamLinks is what opening a team round answers: the team link's token and page, and
// how colleagues join.
type apiTeamLinks struct {
	TeamToken string `json:"team_token"`
	TeamURL   string `json:"team_url"`
	// Code is the join link's code, as POST /api/v1/join/{code} takes it.
	Code      string `json:"code"`
	ShortCode string `json:"short_code"`
	JoinURL   string `json:"join_url"`
}

// apiOpenTeam opens the team round of a result, its answers the first participant: 201; a
// result that has one gets it again: 200. One that a consultant took over is 410.
func (s *Server) apiOpenTeam(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.store.Assessment(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	team, created, _, err := s.openTeamRound(ctx, a)
	if err != nil {
		return err
	}
	if team.Moved() {
		return assessment.NewError(assessment.EGONE, assessment.MsgTeamMoved, nil)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		c.Response().Header().Set("Location", "/api/v1/teams/"+team.Token)
	}
	return c.JSON(status, apiTeamLinks{TeamToken: team.Token, TeamURL: teamPath(team.Token, ""), Code: team.Round.Code,
		ShortCode: team.Round.ShortCode, JoinURL: s.joinURL(c, team.Round.Code)})
}

// apiTeam is a team round as GET /api/v1/teams/{token} shows it: a round's state, progress
// and aggregate (apiRoom), the aggregate empty until enough have finished.
type apiTeam struct {
	apiRoom
	// ResultShown reports whether enough have finished for the aggregate to be given.
	ResultShown bool                `json:"result_shown"`
	Company     *assessment.Company `json:"company,omitempty"`
}

// apiGetTeam describes a team round through its team link: 200, or 410 once a consultant
// has taken it over.
func (s *Server) apiGetTeam(c echo.Context) error {
	team, err := s.team(c)
	if err != nil {
		return err
	}
	ps, err := s.store.TeamParticipants(c.Request().Context(), team.Round.ID)
	if err != nil {
		return err
	}
	room, err := s.apiRoomOf(c, &team.Round, ps, true)
	if err != nil {
		return err
	}
	out := apiTeam{apiRoom: room, ResultShown: s.q.TeamShowsResult(room.Participants)}
	if team.Company != (assessment.Company{}) {
		co := team.Company
		out.Company = &co
	}
	return c.JSON(http.StatusOK, out)
}
