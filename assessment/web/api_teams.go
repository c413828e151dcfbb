package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
)

// The team round API (docs/api.md): the holder of a result opens its team round, and the
// holder of the team link reads the team's state, progress and result. No account: each
// token grants what it names. Colleagues join by the personal links the holder makes here
// (assessment/invitation.go); once joined, they answer like any round's participants.

// apiTeamLinks is what opening a team round answers: the team link's token and page, and
// where its personal links are made.
type apiTeamLinks struct {
	TeamToken      string `json:"team_token"`
	TeamURL        string `json:"team_url"`
	InvitationsURL string `json:"invitations_url"`
}

// apiOpenTeam opens the team round of a result, its answers the first participant: 201; a
// result that has one gets it again: 200. One that a consultant took over is 410.
func (s *Server) apiOpenTeam(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.db.assessments.Assessment(ctx, c.Param("token"))
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
	return c.JSON(status, apiTeamLinks{TeamToken: team.Token, TeamURL: teamPath(team.Token, ""),
		InvitationsURL: "/api/v1/teams/" + team.Token + "/invitations"})
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
	ps, err := s.db.teams.TeamParticipants(c.Request().Context(), team.Round.ID)
	if err != nil {
		return err
	}
	room, err := s.apiRoomOf(c, &team.Round, ps, true)
	if err != nil {
		return err
	}
	out := apiTeam{apiRoom: room, ResultShown: s.q.TeamShowsResult(room.Participants)}
	out.ShortCode, out.JoinURL = "", "" // the shared code admits nobody into a team round
	if team.Company != (assessment.Company{}) {
		co := team.Company
		out.Company = &co
	}
	return c.JSON(http.StatusOK, out)
}

// apiInvitation is a personal link as the API shows it to the team link's holder: its link
// while nobody has used it, how far its colleague is, never anything they answered.
type apiInvitation struct {
	ID     int64  `json:"id"`
	Label  string `json:"label"`
	Status string `json:"status"`
	// Token and URL are the link, while unused.
	Token     string  `json:"token,omitempty"`
	URL       string  `json:"url,omitempty"`
	CreatedAt string  `json:"created_at"`
	UsedAt    *string `json:"used_at,omitempty"`
}

func (s *Server) apiInvitationOf(c echo.Context, i assessment.Invitation) apiInvitation {
	out := apiInvitation{ID: i.ID, Label: i.Label, Status: i.Status(), CreatedAt: i.CreatedAt.UTC().Format(time.RFC3339)}
	if i.Used() {
		used := i.UsedAt.UTC().Format(time.RFC3339)
		out.UsedAt = &used
	} else {
		out.Token, out.URL = i.Token, s.absoluteURL(c, invitationPath(i.Token, ""))
	}
	return out
}

// apiInvitations is a team round's list of personal links with its places.
type apiInvitations struct {
	Invitations []apiInvitation `json:"invitations"`
	// Cap is the holder's cap on colleagues, 0 for one place per personal link.
	Cap    int `json:"cap"`
	Places struct {
		Cap   int `json:"cap"`
		Taken int `json:"taken"`
	} `json:"places"`
}

// apiListInvitations lists the team round's personal links: 200.
func (s *Server) apiListInvitations(c echo.Context) error {
	team, err := s.team(c)
	if err != nil {
		return err
	}
	return s.apiInvitationList(c, http.StatusOK, team)
}

func (s *Server) apiInvitationList(c echo.Context, status int, team *assessment.Team) error {
	links, err := s.db.invitations.Invitations(c.Request().Context(), team.Round.ID)
	if err != nil {
		return err
	}
	out := apiInvitations{Invitations: []apiInvitation{}, Cap: team.Cap}
	for _, i := range links {
		out.Invitations = append(out.Invitations, s.apiInvitationOf(c, i))
	}
	places := team.PlacesOf(links)
	out.Places.Cap, out.Places.Taken = places.Cap, places.Taken
	return c.JSON(status, out)
}

// apiAddInvitationsIn names the colleagues to make personal links for.
type apiAddInvitationsIn struct {
	Labels []string `json:"labels"`
}

// apiAddInvitations makes a personal link for each label, all or none: 201 with the new
// links; 422 naming each problem (its index in labels, from 1, as "line").
func (s *Server) apiAddInvitations(c echo.Context) error {
	team, err := s.team(c)
	if err != nil {
		return err
	}
	var in apiAddInvitationsIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var problems []assessment.FieldError
	for n, l := range in.Labels {
		if strings.ContainsAny(l, "\r\n") {
			problems = append(problems, assessment.FieldError{Field: assessment.FieldInvitationLabels, Rule: assessment.RuleControl,
				Args: assessment.Args{"Line": n + 1, "Char": "U+000A"}})
		}
	}
	if len(problems) > 0 {
		return assessment.Invalid(problems)
	}
	added, err := s.db.invitations.AddInvitations(c.Request().Context(), team.Round.ID, strings.Join(in.Labels, "\n"))
	if err != nil {
		return err
	}
	out := struct {
		Invitations []apiInvitation `json:"invitations"`
	}{Invitations: []apiInvitation{}}
	for _, i := range added {
		out.Invitations = append(out.Invitations, s.apiInvitationOf(c, i))
	}
	// Several links are made at once: Location is the list they now stand in.
	c.Response().Header().Set("Location", "/api/v1/teams/"+team.Token+"/invitations")
	return c.JSON(http.StatusCreated, out)
}

// apiRemoveInvitation withdraws a personal link, and removes its colleague if they joined and
// have not finished: 204. One who finished stays: 409.
func (s *Server) apiRemoveInvitation(c echo.Context) error {
	team, err := s.team(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.db.invitations.RemoveInvitation(c.Request().Context(), team.Round.ID, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiTeamPatch changes a team round's settings: its cap on colleagues (0 for one place per
// personal link).
type apiTeamPatch struct {
	Cap *int `json:"cap"`
}

// apiPatchTeam sets the cap: 200 with the personal links and places; 422 for a cap out of
// range or below the colleagues who joined.
func (s *Server) apiPatchTeam(c echo.Context) error {
	team, err := s.team(c)
	if err != nil {
		return err
	}
	var in apiTeamPatch
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Cap != nil {
		if err := s.db.invitations.SetTeamCap(c.Request().Context(), team.Round.ID, *in.Cap); err != nil {
			return err
		}
		team.Cap = *in.Cap
	}
	return s.apiInvitationList(c, http.StatusOK, team)
}
