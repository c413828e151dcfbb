package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/loyalty-cx/loyalty/assessment"
)

// hall seeds w's round with n participants more, through the store, named "Phone 1" … "Phone
// n": Phone k finishes when k is a multiple of 3, has begun answering when k % 3 == 1, and has
// only joined otherwise. With Secret Sam (finished) the round then has n+1 participants.
func (e *env) hall(w wsWorld, n int) {
	e.t.Helper()
	ctx := context.Background()
	for k := 1; k <= n; k++ {
		name := fmt.Sprintf("Phone %d", k)
		tok := fmt.Sprintf("hall-%d-%s", k, w.round.Code)
		switch k % 3 {
		case 0:
			p, _ := e.q.NewParticipant(name, "", uniform(3, 4).domain())
			if err := e.db.SaveParticipant(ctx, w.round.Code, tok, false, &p); err != nil {
				e.t.Fatal(err)
			}
			continue
		}
		p := assessment.Participant{Name: name}
		if err := e.db.JoinRound(ctx, w.round.Code, tok, &p); err != nil {
			e.t.Fatal(err)
		}
		if k%3 == 1 {
			if err := e.db.SaveDraftAnswer(ctx, w.round.Code, tok, 1, "as_is", 3); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

// peopleOf reads the participant list of a dashboard page or fragment: the names of its rows,
// the status filters' counts, what it says it shows, and its page links.
type peopleOf struct {
	names   []string
	counts  map[string]int
	shown   string
	page    string
	prev    string
	next    string
	removes []string
}

func readPeople(t *testing.T, body string) peopleOf {
	t.Helper()
	d := doc(t, []byte(body))
	p := peopleOf{counts: map[string]int{}}
	d.Find(`[data-testid="people"] tbody tr th`).Each(func(_ int, s *goquery.Selection) {
		p.names = append(p.names, strings.TrimSpace(s.Text()))
	})
	d.Find(`[data-testid="people-filters"] a`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-testid")
		n, _ := strconv.Atoi(s.Find(".ws-people__count").Text())
		p.counts[strings.TrimPrefix(id, "people-filter-")] = n
	})
	p.shown = strings.Join(strings.Fields(d.Find(`[data-testid="people-shown"]`).Text()), " ")
	p.page = d.Find(`[data-testid="people-page"]`).Text()
	p.prev, _ = d.Find(`[data-testid="people-prev"]`).Attr("href")
	p.next, _ = d.Find(`[data-testid="people-next"]`).Attr("href")
	d.Find(`[data-testid^="remove-participant-"]`).Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		p.removes = append(p.removes, h)
	})
	return p
}

// TestWSDashboardHallList: a round of 501 (Secret Sam and 500 phones) lists 50 a page, the
// status filters' counts add up to everyone, a search by name finds one, and every link keeps
// the page, search and filter: the live fragment's URL, its stream's, and the removal of a
// participant from a searched list, which comes back to the same search.
func TestWSDashboardHallList(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Hall A/S")
	e.hall(w, 500)
	ann := e.login("ann@alpha.example")
	dash := fmt.Sprintf("/w/rounds/%d", w.round.ID)

	page := ann.get(dash)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", dash, page.StatusCode)
	}
	p := readPeople(t, page.Text)
	// 501: Sam and Phone 3, 6, …, 498 finished (1 + 166), Phone 1, 4, …, 499 answering (167),
	// Phone 2, 5, …, 500 joined only (167).
	want := map[string]int{"all": 501, "finished": 167, "answering": 167, "joined": 167}
	for k, n := range want {
		if p.counts[k] != n {
			t.Errorf("filter %s counts %d, want %d", k, p.counts[k], n)
		}
	}
	if sum := p.counts["finished"] + p.counts["answering"] + p.counts["joined"]; sum != p.counts["all"] {
		t.Errorf("statuses add up to %d, want all %d", sum, p.counts["all"])
	}
	if len(p.names) != 50 || p.names[0] != "Secret Sam" || p.names[49] != "Phone 49" {
		t.Errorf("page 1 = %d rows from %q to %q, want 50 from Secret Sam to Phone 49", len(p.names), first(p.names), last(p.names))
	}
	if p.shown != "1–50 of 501 shown" || p.page != "Page 1 of 11" || p.prev != "" || p.next != dash+"?page=2#people" {
		t.Errorf("page 1 says %q, %q, prev %q, next %q", p.shown, p.page, p.prev, p.next)
	}
	// The dashboard's progress counts everyone, whatever page is shown.
	d := doc(t, page.Body)
	if got := d.Find(`[data-testid="joined"]`).Text(); got != "501" {
		t.Errorf("progress joined = %s, want 501", got)
	}

	// The last page holds the last one: 501 = 10 × 50 + 1.
	p = readPeople(t, ann.get(dash+"?page=11").Text)
	if len(p.names) != 1 || p.names[0] != "Phone 500" || p.next != "" || p.prev != dash+"?page=10#people" {
		t.Errorf("page 11 = %v, prev %q, next %q; want Phone 500 alone", p.names, p.prev, p.next)
	}
	// A page past the end, or no number at all, shows one that exists.
	for q, wantFirst := range map[string]string{"?page=400": "Phone 500", "?page=x": "Secret Sam", "?page=-2": "Secret Sam"} {
		if p := readPeople(t, ann.get(dash+q).Text); first(p.names) != wantFirst {
			t.Errorf("%s starts at %q, want %q", q, first(p.names), wantFirst)
		}
	}

	// The finished on page 2: the 51st to the 100th of 167 finished.
	p = readPeople(t, ann.get(dash+"?status=finished&page=2").Text)
	if len(p.names) != 50 || p.shown != "51–100 of 167 shown Show everyone" || p.page != "Page 2 of 4" {
		t.Errorf("finished, page 2 = %d rows, %q, %q", len(p.names), p.shown, p.page)
	}

	// A search finds one name (not "Phone 4370": there are 500). Phone 437 has only joined.
	search := dash + "?q=" + url.QueryEscape("phone 437")
	page = ann.get(search)
	p = readPeople(t, page.Text)
	if len(p.names) != 1 || p.names[0] != "Phone 437" || p.counts["all"] != 1 || p.counts["joined"] != 1 || p.page != "" {
		t.Errorf("search phone 437 = %v, counts %v, page %q; want Phone 437 alone, joined only (437 %% 3 = 2)", p.names, p.counts, p.page)
	}
	// Its live fragment and stream keep the search.
	d = doc(t, page.Body)
	src, _ := d.Find(`[data-testid="live"]`).Attr("data-live-src")
	if want := fmt.Sprintf("/w/rounds/%d/live?q=phone+437", w.round.ID); src != want {
		t.Fatalf("data-live-src = %q, want %q", src, want)
	}
	frag := ann.get(src)
	if p := readPeople(t, frag.Text); frag.StatusCode != http.StatusOK || len(p.names) != 1 || p.names[0] != "Phone 437" {
		t.Errorf("fragment %s = %d %v, want Phone 437 alone", src, frag.StatusCode, p.names)
	}
	// The unsearched fragment is another (the cache keeps them apart).
	if p := readPeople(t, ann.get(fmt.Sprintf("/w/rounds/%d/live", w.round.ID)).Text); len(p.names) != 50 {
		t.Errorf("fragment without search has %d rows, want 50", len(p.names))
	}
	s := ann.openStream(t, fmt.Sprintf("/w/rounds/%d/events?q=phone+437", w.round.ID))
	s.next("retry")
	ev := s.next("state")
	if !strings.Contains(ev.data, "Phone 437") || strings.Contains(ev.data, "Phone 436") {
		t.Errorf("stream with the search: event %.300s, want Phone 437 alone", ev.data)
	}
	s.close()

	// Remove Phone 437 from the searched list: the confirmation and its way back keep the
	// search, and so does the redirect after.
	if len(p.removes) != 1 {
		t.Fatalf("removal links = %v, want one", p.removes)
	}
	confirm := ann.get(p.removes[0])
	if confirm.StatusCode != http.StatusOK || !strings.Contains(confirm.Text, "q=phone+437") {
		t.Fatalf("GET %s = %d, keeps the search: %v", p.removes[0], confirm.StatusCode, strings.Contains(confirm.Text, "q=phone+437"))
	}
	res := ann.postCSRF(p.removes[0], url.Values{"confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || res.Redirect != dash+"?q=phone+437#people" {
		t.Fatalf("remove = %d to %q, want 303 to %s?q=phone+437#people", res.StatusCode, res.Redirect, dash)
	}
	p = readPeople(t, ann.get(search).Text)
	if len(p.names) != 0 {
		t.Errorf("after removal the search finds %v, want no one", p.names)
	}
	if p := readPeople(t, ann.get(dash).Text); p.counts["all"] != 500 || p.counts["joined"] != 166 || p.counts["answering"] != 167 {
		t.Errorf("after removal counts %v, want 500: 166 joined only, 167 answering", p.counts)
	}
}

// TestWSDashboardHallSearchEscaped: what the consultant types into the search is shown back
// escaped, in the field and in the links.
func TestWSDashboardHallSearchEscaped(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Escape A/S")
	ann := e.login("ann@alpha.example")
	evil := `"><script>alert(1)</script>`
	page := ann.get(fmt.Sprintf("/w/rounds/%d?q=%s", w.round.ID, url.QueryEscape(evil)))
	if page.StatusCode != http.StatusOK || strings.Contains(page.Text, "<script>alert(1)") {
		t.Fatalf("GET with a search of markup = %d, unescaped: %v", page.StatusCode, strings.Contains(page.Text, "<script>alert(1)"))
	}
	d := doc(t, page.Body)
	if v, _ := d.Find(`[data-testid="people-q"]`).Attr("value"); v != evil {
		t.Errorf("search field = %q, want %q", v, evil)
	}
	if d.Find(`[data-testid="people-none"]`).Length() != 1 {
		t.Error("a search that finds no one does not say so")
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}
