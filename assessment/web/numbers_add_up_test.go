package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/loyalty-cx/loyalty/assessment"
)

// stripSoft removes the soft hyphens the pages put into long words.
func stripSoft(s string) string { return strings.ReplaceAll(s, "\u00AD", "") }

// shownNumber reads a number as a page shows it in any of its languages: "+1,7", "−0.3", "4".
func shownNumber(t *testing.T, s string) float64 {
	t.Helper()
	f := strings.Fields(s)
	if len(f) == 0 {
		t.Fatalf("no number in %q", s)
	}
	r := strings.NewReplacer("−", "-", ",", ".", "+", "")
	v, err := strconv.ParseFloat(r.Replace(f[0]), 64)
	if err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	return v
}

// checkGapsAddUp checks every row of d that shows a gap beside the two figures it comes from
// (.asis-value, .tobe-value, .gap-value) and every delta (.before-value, .after-value,
// .delta-value, for AS-IS and TO-BE): the shown difference must be the shown gap, as a
// reader checks it. It returns how many rows it checked.
func checkGapsAddUp(t *testing.T, page string, d *goquery.Document) int {
	t.Helper()
	n := 0
	d.Find(`tr, li`).Each(func(_ int, row *goquery.Selection) {
		a, b, g := row.Find(`.asis-value`), row.Find(`.tobe-value`), row.Find(`.gap-value`)
		if a.Length() == 1 && b.Length() == 1 && g.Length() == 1 {
			n++
			if got, want := shownNumber(t, g.Text()), shownNumber(t, b.Text())-shownNumber(t, a.Text()); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: %q → %q shows gap %q, want %+.1f", page, squash(a.Text()), squash(b.Text()), squash(g.Text()), want)
			}
		}
		before, after, delta := row.Find(`.before-value`), row.Find(`.after-value`), row.Find(`.delta-value`)
		if before.Length() == 2 && after.Length() == 2 && delta.Length() == 2 {
			n++
			for i := range 2 {
				got := shownNumber(t, delta.Eq(i).Text())
				want := shownNumber(t, after.Eq(i).Text()) - shownNumber(t, before.Eq(i).Text())
				if math.Abs(got-want) > 1e-9 {
					t.Errorf("%s: %q → %q shows change %q, want %+.1f", page, before.Eq(i).Text(), after.Eq(i).Text(), delta.Eq(i).Text(), want)
				}
			}
		}
	})
	return n
}

// TestGapsAddUpOnEveryPage: wherever a gap or a change sits beside the rounded figures it
// comes from — the result's category table and gap table, the retake's comparison — it is
// their shown difference. Category L of the retake is AS-IS 1, 2, 2 (mean 1.667, shown 1.7)
// and TO-BE 3, 3, 4 (3.333, shown 3.3): the unrounded gap 1.667 would show +1.7 beside
// 1.7 → 3.3; it must show +1.6. Before, L's AS-IS was 2, 2, 3 (2.333, shown 2.3): the
// unrounded change −0.667 would show −0.7 beside 2.3 → 1.7; it must show −0.6. The team page
// is checked in TestTeamRound.
func TestGapsAddUpOnEveryPage(t *testing.T) {
	e := newEnv(t)
	first := e.submitForm(uniform(2, 4).with(3, 3, 4), nil)
	second := uniform(2, 4).with(1, 1, 3).with(2, 2, 3).with(3, 2, 4)
	form := doc(t, retakeForm(t, e, first).Body)
	previous := form.Find(`form input[name="previous"]`).AttrOr("value", "")
	retake := e.submitForm(second, url.Values{"previous": {previous}})
	for _, lang := range []string{"en", "da"} {
		for _, path := range []string{first, retake} {
			d := doc(t, e.get(path+"?lang="+lang).Body)
			if n := checkGapsAddUp(t, path+" ("+lang+")", d); n < 21+7 {
				t.Errorf("%s (%s): %d rows with a gap checked, want at least 28 (7 categories, 21 competencies)", path, lang, n)
			}
		}
	}
	d := doc(t, e.get(retake+"?lang=en").Body)
	var l string
	d.Find(`tr`).EachWithBreak(func(_ int, row *goquery.Selection) bool {
		if row.Find(`.asis-value`).Length() == 1 && strings.HasPrefix(squash(row.Find(`th`).First().Text()), "L ") {
			l = strings.Join(texts(row.Find(`.asis-value, .tobe-value, .gap-value`)), " ")
			return false
		}
		return true
	})
	if l != "1.7 3.3 +1.6" {
		t.Errorf("category L on the retake = %q, want 1.7 3.3 +1.6", l)
	}
	if n := d.Find(`.delta-value`).FilterFunction(func(_ int, s *goquery.Selection) bool { return squash(s.Text()) == "−0.6" }).Length(); n == 0 {
		t.Error("the retake's comparison has no change of −0.6 for category L (2.3 → 1.7)")
	}
}

// TestWorkshopGapsAddUp: the consultant's dashboard (its statistics and largest gaps) and the
// projector's steps show each gap as the difference of the rounded means beside it. Three
// finished: competency 1 is AS-IS 1, 2, 2 (mean 1.667, shown 1.7) and TO-BE 3, 3, 4 (3.333,
// shown 3.3); the unrounded gap 1.667 would show +1.7 beside 1.7 → 3.3; it must show +1.6.
// Every other competency is 3 → 4 (gap +1.0), so competency 1 heads the largest gaps.
func TestWorkshopGapsAddUp(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	cl, _ := e.q.NewClient(assessment.Company{Name: "Nordlys A/S", Industry: "retail", Country: "DK"}, true)
	if err := e.db.CreateClient(ctx, e.a.ID, &cl); err != nil {
		t.Fatal(err)
	}
	r, _ := e.q.NewRound("Kick-off", "da")
	if err := e.db.CreateRound(ctx, e.a.ID, cl.ID, &r); err != nil {
		t.Fatal(err)
	}
	for i, c1 := range [][2]int{{1, 3}, {2, 3}, {2, 4}} {
		p, err := e.q.NewParticipant(fmt.Sprintf("Leader %d", i+1), "", uniform(3, 4).with(1, c1[0], c1[1]).domain())
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.SaveParticipant(ctx, r.Code, fmt.Sprintf("gap-%d", i), false, &p); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.db.SetRoundRevealed(ctx, e.a.ID, r.ID, true); err != nil {
		t.Fatal(err)
	}
	ann := e.login("ann@alpha.example")
	round := fmt.Sprintf("/w/rounds/%d", r.ID)
	for _, tc := range []struct {
		path string
		rows int // rows with a gap: 21 statistics + 5 largest gaps; 5 gaps; 3 competencies
	}{
		{round + "?show=1", 26},
		{round + "/live?show=1", 26},
		{round + "/present/gaps", 5},
		{round + "/present/gaps/live", 5},
		{round + "/present/cat-leadership", 3},
		{round + "/present/cat-yearly-plan", 3},
	} {
		res := ann.get(tc.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", tc.path, res.StatusCode)
		}
		d := doc(t, []byte(res.Text))
		if n := checkGapsAddUp(t, tc.path, d); n != tc.rows {
			t.Errorf("%s: %d rows with a gap checked, want %d", tc.path, n, tc.rows)
		}
		if !strings.Contains(tc.path, "yearly") {
			// Competency 1 itself: 1.7 → 3.3 shows +1.6 (the dashboard speaks the consultant's
			// English, the projector the round's Danish: 1,7 → 3,3 shows +1,6).
			row := d.Find(`[data-competency="1"], li:has(.present__num)`).FilterFunction(func(_ int, s *goquery.Selection) bool {
				return s.Find(`.gap-value`).Length() == 1 && strings.HasPrefix(squash(s.Text()), "1 ")
			}).First()
			got := strings.ReplaceAll(strings.Join(texts(row.Find(`.asis-value, .tobe-value, .gap-value`)), " "), ",", ".")
			if got != "1.7 3.3 +1.6" {
				t.Errorf("%s: competency 1 = %q, want 1.7 3.3 +1.6", tc.path, got)
			}
		}
	}
}

// TestGapsAddUpInTheRoom: the room's result on a participant's phone shows every
// competency's means and gap, and the largest gaps with their means; each gap is the shown
// difference. Competency 1 is AS-IS 1, 2, 2 (mean 1.667, shown 1.7) and TO-BE 3, 3, 4
// (3.333, shown 3.3): the unrounded gap would show +1.7 beside 1.7 → 3.3; it must show +1.6.
func TestGapsAddUpInTheRoom(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	w := e.world("Fjord Logistik A/S")
	r, _ := e.q.NewRound("The room", "en")
	if err := e.db.CreateRound(ctx, e.a.ID, w.client.ID, &r); err != nil {
		t.Fatal(err)
	}
	var phones []*browser
	for _, s := range []scores{uniform(2, 4).with(1, 1, 3), uniform(3, 4).with(1, 2, 3), uniform(2, 5).with(1, 2, 4)} {
		p := e.browser()
		if res := p.post("/j/"+r.Code, s.form()); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answers = %d", res.StatusCode)
		}
		phones = append(phones, p)
	}
	if err := e.db.SetRoundRevealed(ctx, e.a.ID, r.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "da"} {
		d := doc(t, phones[0].get("/j/"+r.Code+"/room?lang="+lang).Body)
		rows := d.Find(`[data-testid="competency-stats"] tbody tr`)
		if rows.Length() != 21 {
			t.Fatalf("%s: the room shows %d competencies, want 21", lang, rows.Length())
		}
		rows.Each(func(_ int, row *goquery.Selection) {
			// Means and spreads: AS-IS mean, SD, TO-BE mean, SD, then the gap.
			td := row.Find(`td`)
			asIs, toBe, gap := td.Eq(0).Text(), td.Eq(2).Text(), row.Find(`.gap-value`).Text()
			if got, want := shownNumber(t, gap), shownNumber(t, toBe)-shownNumber(t, asIs); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: competency %s: %q → %q shows gap %q, want %+.1f", lang, row.AttrOr("data-competency", "?"), squash(asIs), squash(toBe), squash(gap), want)
			}
			if row.AttrOr("data-competency", "") == "1" {
				if got := squash(asIs) + " " + squash(toBe) + " " + squash(gap); got != map[string]string{"en": "1.7 3.3 +1.6", "da": "1,7 3,3 +1,6"}[lang] {
					t.Errorf("%s: competency 1 = %q, want 1.7 3.3 +1.6", lang, got)
				}
			}
		})
		// The largest gaps: "+1.6 · 1 Name (1.7 → 3.3)".
		top := d.Find(`[data-testid="top-gaps"] li`)
		if top.Length() == 0 {
			t.Fatalf("%s: the room shows no largest gaps", lang)
		}
		top.Each(func(_ int, li *goquery.Selection) {
			means := strings.Split(strings.Trim(squash(li.Find(`.muted`).Text()), "()"), "→")
			if len(means) != 2 {
				t.Fatalf("%s: %q has no means", lang, squash(li.Text()))
			}
			gap := li.Find(`strong`).Text()
			if got, want := shownNumber(t, gap), shownNumber(t, means[1])-shownNumber(t, means[0]); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: largest gap %q shows %q, want %+.1f", lang, squash(li.Text()), squash(gap), want)
			}
		})
	}
}
