package web

// The presentation on the projectors a consultant meets: every step of a realistic round, in
// each of the four languages, measured at 1920×1080, 1280×720 and 1024×768. Each step is
// loaded once per language and the tab resized, not reloaded, for the other sizes. Set
// LOYALTY_SCREENSHOT_DIR to keep a screenshot of every step at every size.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// projectors are the screens every step must fit: a full-HD projector, the common 720p one,
// and an old 4:3 one.
var projectors = []struct{ w, h int64 }{{1920, 1080}, {1280, 720}, {1024, 768}}

// fitRound is a round as a real workshop leaves it, in one language: a long client name and
// title, seven participants who disagree on every competency, and five Must Win Battles with
// long titles.
type fitRound struct {
	client, title string
	battles       []string
}

var fitRounds = map[string]fitRound{
	"da": {"Nordisk Forsikrings- og Pensionsselskab A/S", "Ledelsesworkshop om kundeloyalitet – opfølgning efter første halvår", []string{
		"Etablere et lukket kundefeedback-loop, hvor alle kunder med negativ feedback kontaktes personligt af den kundeansvarlige inden for 24 timer",
		"Forankre kundeloyalitet i direktionens årshjul med kvartalsvise opfølgningsmøder og klare ejere for hver indsats på tværs af forretningsområderne",
		"Opbygge en CFO-sikker business case for kundeoplevelsesprogrammet med dokumenteret sammenhæng mellem NPS, churn og livstidsværdi",
		"Uddanne alle mellemledere i at bruge kundefeedback i de ugentlige tavlemøder og dele mindst én kundehistorie om måneden med medarbejderne",
		"Indføre en fælles måling af kundeoplevelsen i alle kanaler med månedlig rapportering til bestyrelsen og tydelige mål for hvert forretningsområde",
	}},
	"en": {"Nordic Insurance and Pension Company Ltd", "Leadership workshop on customer loyalty – follow-up after the first half-year", []string{
		"Establish a closed customer feedback loop in which every customer who gives negative feedback is contacted personally by the account owner within 24 hours",
		"Anchor customer loyalty in the executive team's yearly plan with quarterly follow-up meetings and a clear owner for every initiative across the business units",
		"Build a CFO-proof business case for the customer experience programme with a documented link between NPS, churn and customer lifetime value",
		"Train every middle manager to use customer feedback in the weekly team meetings and to share at least one customer story a month with their staff",
		"Introduce one shared measurement of the customer experience in every channel, reported to the board every month with clear targets for each business unit",
	}},
	"sv": {"Nordiska Försäkrings- och Pensionsbolaget AB", "Ledningsworkshop om kundlojalitet – uppföljning efter första halvåret", []string{
		"Etablera en sluten återkopplingsloop där varje kund som ger negativ återkoppling kontaktas personligen av den kundansvariga inom 24 timmar",
		"Förankra kundlojalitet i ledningens årshjul med kvartalsvisa uppföljningsmöten och tydliga ägare för varje insats över alla affärsområden",
		"Bygga ett CFO-säkert affärscase för kundupplevelseprogrammet med dokumenterat samband mellan NPS, kundbortfall och livstidsvärde",
		"Utbilda alla mellanchefer i att använda kundåterkoppling på veckomötena och dela minst en kundberättelse i månaden med medarbetarna",
		"Införa en gemensam mätning av kundupplevelsen i alla kanaler med månatlig rapportering till styrelsen och tydliga mål för varje affärsområde",
	}},
	"nb": {"Nordisk Forsikrings- og Pensjonsselskap ASA", "Ledersamling om kundelojalitet – oppfølging etter første halvår", []string{
		"Etablere en lukket tilbakemeldingssløyfe der alle kunder med negative tilbakemeldinger kontaktes personlig av kundeansvarlig innen 24 timer",
		"Forankre kundelojalitet i ledelsens årshjul med kvartalsvise oppfølgingsmøter og tydelige eiere for hvert tiltak på tvers av forretningsområdene",
		"Bygge en CFO-sikker business case for kundeopplevelsesprogrammet med dokumentert sammenheng mellom NPS, frafall og livstidsverdi",
		"Lære alle mellomledere å bruke kundetilbakemeldinger på de ukentlige tavlemøtene og dele minst én kundehistorie i måneden med de ansatte",
		"Innføre en felles måling av kundeopplevelsen i alle kanaler med månedlig rapportering til styret og tydelige mål for hvert forretningsområde",
	}},
}

// seedFitRound creates lang's round in workspace A, revealed, and returns its id.
func seedFitRound(t *testing.T, e *env, lang string) int64 {
	t.Helper()
	ctx := context.Background()
	fr := fitRounds[lang]
	cl, err := e.q.NewClient(assessment.Company{Name: fr.client, Industry: "finance", Country: "DK"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateClient(ctx, e.a.ID, &cl); err != nil {
		t.Fatal(err)
	}
	r, err := e.q.NewRound(fr.title, lang)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateRound(ctx, e.a.ID, cl.ID, &r); err != nil {
		t.Fatal(err)
	}
	// Seven leaders whose answers spread over the whole scale: every competency is a
	// disagreement, so "today" and "ambition" show three and name eighteen more.
	for i := range 7 {
		var s scores
		for n := range 21 {
			asIs := 1 + (i*3+n)%5
			s.asIs[n], s.toBe[n] = asIs, min(5, asIs+1+(i+n)%3)
		}
		p, err := e.q.NewParticipant(fmt.Sprintf("Leader %d", i+1), "", s.domain())
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.SaveParticipant(ctx, r.Code, fmt.Sprintf("fit-%s-%d", lang, i), false, &p); err != nil {
			t.Fatal(err)
		}
	}
	statuses := []string{assessment.BattleNotStarted, assessment.BattleInProgress, assessment.BattleInProgress, assessment.BattleNotStarted, assessment.BattleDone}
	for i, title := range fr.battles {
		b, err := e.q.NewBattle([]int{7, 13, 12, 2, 10}[i], title, "Mette Kirstine Østergaard-Andersen (CCO)", "2027-06-30", statuses[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.AddBattle(ctx, e.a.ID, r.ID, &b); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.db.SetRoundRevealed(ctx, e.a.ID, r.ID, true); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func TestPresentationFitsEveryProjectorInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t)
	e := newWSEnv(t)
	base := e.http.URL
	signIn(tb, base)
	steps := append([]string{stepLobby}, e.srv.presentSteps(5)...)
	if got := strings.Join(steps[len(steps)-2:], " "); got != "battles battles-2" {
		t.Fatalf("the last steps with 5 battles = %s, want battles battles-2 (1-3, 4-5)", got)
	}
	dir, keep := browsertest.ShotDir(t)
	// screen is the index in projectors of the tab's screen.
	screen := 0
	tb.Do(chromedp.EmulateViewport(projectors[screen].w, projectors[screen].h))
	for _, lang := range []string{"da", "en", "sv", "nb"} {
		id := seedFitRound(t, e, lang)
		for _, step := range steps {
			// The step loads on the screen the last one ended on, and is resized through the
			// other two: no page is resized only to be left.
			tb.Do(chromedp.Navigate(fmt.Sprintf("%s/w/rounds/%d/present/%s", base, id, step)))
			tb.WaitShown(`[data-testid="step-` + step + `"]`)
			if step == stepRadar {
				tb.WaitCharts("present-radar-data")
			}
			for i := range projectors {
				pr := projectors[(screen+i)%len(projectors)]
				if i > 0 {
					tb.Do(chromedp.EmulateViewport(pr.w, pr.h))
				}
				// The radar is drawn again for the new box in the next frame.
				tb.WaitFor(fmt.Sprintf(`innerWidth === %d && (() => {
  const h = document.querySelector('#present-radar'), s = h && h.querySelector('svg');
  return !h || (s && Math.abs(s.getBoundingClientRect().height - h.clientHeight) < 2 && Math.abs(s.getBoundingClientRect().width - h.clientWidth) < 2);
})()`, pr.w))
				if got := browsertest.Eval[string](tb, presentFits); got != "" {
					t.Errorf("%s, step %s at %d×%d: %s", lang, step, pr.w, pr.h, got)
				}
				if keep {
					tb.Screenshot(dir, fmt.Sprintf("present-%s-%s-%dx%d.png", lang, step, pr.w, pr.h))
				}
			}
			screen = (screen + len(projectors) - 1) % len(projectors)
		}
		// Both pages of battles are there, three then two, numbered on.
		tb.Do(chromedp.Navigate(fmt.Sprintf("%s/w/rounds/%d/present/battles-2", base, id)))
		tb.WaitShown(`[data-testid="step-battles-2"]`)
		if n, start := count(tb, `[data-testid="battle"]`), browsertest.Eval[string](tb, `document.querySelector('.present__battles').getAttribute('start')`); n != 2 || start != "4" {
			t.Errorf("%s: battles-2 shows %d battles from %s, want 2 from 4", lang, n, start)
		}
	}
	tb.CheckClean("presentation", true)
}

// presentFits is a script for a presentation step on the current screen: it names what does
// not fit, or returns "". The page must not scroll either way; the bar with the controls must
// be inside the screen; no element may stick out of its box sideways (a title cut with an
// ellipsis on purpose excepted) nor out of the screen; a statement keeps at least 10rem and
// ends before the numbers; the step has no edit controls; and its text is as large a share of
// the screen as 28 px (numbers 64 px) are of 1920×1080 — the 16:9 height or, on a narrower
// screen, a 1680-px-wide stage.
const presentFits = `(() => {
  const problems = [];
  const W = innerWidth, H = innerHeight, d = document.documentElement;
  const name = (e) => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  if (d.scrollHeight > H) problems.push('page ' + d.scrollHeight + ' px tall');
  if (d.scrollWidth > W) problems.push('page ' + d.scrollWidth + ' px wide');
  const bar = document.querySelector('.present__bar').getBoundingClientRect();
  if (bar.top < 0 || bar.bottom > H + 0.5 || bar.left < 0 || bar.right > W + 0.5) problems.push('controls at ' + Math.round(bar.top) + '-' + Math.round(bar.bottom) + ' px');
  for (const sel of ['[data-testid="present-next"]', '[data-testid="present-prev"]', '[data-testid="present-hide"]']) {
    const el = document.querySelector(sel);
    if (!el) continue;
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.bottom > H + 0.5 || r.right > W + 0.5 || r.width === 0) problems.push(sel + ' off screen');
  }
  const main = document.querySelector('.present__main');
  for (const el of main.querySelectorAll('*')) {
    if (el.getClientRects().length === 0 || el.closest('svg')) continue;
    let cut = false;
    for (let a = el.parentElement; a && a !== main && !cut; a = a.parentElement) cut = getComputedStyle(a).textOverflow === 'ellipsis';
    if (cut) continue;
    const cs = getComputedStyle(el), r = el.getBoundingClientRect();
    if (r.right > W + 0.5 || r.left < -0.5) problems.push(name(el) + ' outside the screen');
    if (cs.textOverflow !== 'ellipsis' && cs.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) problems.push(name(el) + ' ' + (el.scrollWidth - el.clientWidth) + ' px wider than its box');
  }
  const rem = parseFloat(getComputedStyle(d).fontSize);
  for (const st of main.querySelectorAll('.present__statement')) {
    const r = st.getBoundingClientRect(), scores = st.closest('.present__item').querySelector('.present__item-scores').getBoundingClientRect();
    if (r.width < 10 * rem) problems.push('statement ' + Math.round(r.width) + ' px wide');
    if (r.right > scores.left) problems.push('statement runs into the numbers');
  }
  const edit = [...main.querySelectorAll('form, details, summary, input, select, textarea, button, a[href*="edit"]')].filter(e => e.getClientRects().length > 0);
  if (edit.length) problems.push('edit controls: ' + edit.map(name).join(', '));
  const s = Math.min(H / 1080, W / 1680);
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    const el = n.parentElement, text = n.textContent.trim();
    if (!text || el.closest('.sr-only, .wordmark, svg') || el.getClientRects().length === 0) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 28 * s - 0.5) problems.push(JSON.stringify(text.slice(0, 20)) + ' at ' + px.toFixed(1) + ' px, want ' + (28 * s).toFixed(1));
  }
  for (const el of main.querySelectorAll('.present__score span, .present__stat span, .lobby__num, .present__gap-value')) {
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 64 * s - 0.5) problems.push('number ' + JSON.stringify(el.textContent.trim()) + ' at ' + px.toFixed(1) + ' px');
  }
  return problems.slice(0, 6).join('; ');
})()`
