package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// Following the room from a phone (join.go has the rest of the participants' side): the
// state a phone polls, the countdown, and the room's result once it is revealed.

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
