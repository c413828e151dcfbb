// Package views holds the templ components of the web app and the view models they render.
//
// View models are shaped for display (labels, formatted numbers, translated strings) so that
// templates stay free of business rules; the web package builds them from the domain.
package views

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Loc formats and translates for one language.
type Loc struct {
	// Lang is the language code ("da", "en", …).
	Lang string
}

// T returns the UI string for key in the locale's language, falling back to English; a
// missing key shows as the key itself so that a gap is visible rather than blank.
func (l Loc) T(key string) string {
	if m, ok := messages[l.Lang]; ok {
		if s, ok := m[key]; ok {
			return s
		}
	}
	if s, ok := messages["en"][key]; ok {
		return s
	}
	return key
}

// F formats the UI string for key with args (fmt verbs).
func (l Loc) F(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// Text returns a questionnaire text in the locale's language.
func (l Loc) Text(t assessment.Text) string { return t.In(l.Lang) }

// Num formats v with the given number of decimals, using the language's decimal separator
// (a comma in Danish, Swedish and Norwegian).
func (l Loc) Num(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[3:], "0") == "" {
		s = s[1:]
	}
	if l.Lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return strings.Replace(s, "-", "−", 1)
}

// Signed formats v like Num but always with a sign, as gaps are read as a direction.
func (l Loc) Signed(v float64, decimals int) string {
	s := l.Num(v, decimals)
	if v > 0 && s != l.Num(0, decimals) {
		return "+" + s
	}
	return s
}

// Languages lists the languages with a complete UI translation, in the order the language
// switch shows them.
var Languages = []Language{{"da", "Dansk"}, {"sv", "Svenska"}, {"nb", "Norsk"}, {"en", "English"}}

// Language is a selectable UI language.
type Language struct {
	Code string
	Name string
}

// HasMessages reports whether the UI is translated into lang.
func HasMessages(lang string) bool {
	_, ok := messages[lang]
	return ok
}

// addMessages merges a feature's UI strings into the catalogue. Features keep their strings
// in their own file (i18n_<feature>.go) and call it from init; a key defined twice panics at
// start-up, so two features cannot silently overwrite each other.
func addMessages(lang string, m map[string]string) {
	dst, ok := messages[lang]
	if !ok {
		dst = map[string]string{}
		messages[lang] = dst
	}
	for k, v := range m {
		if _, dup := dst[k]; dup {
			panic("views: UI string " + lang + "/" + k + " defined twice")
		}
		dst[k] = v
	}
}

// messages holds every UI string by language and key. A test checks that every key exists
// in every language.
var messages = map[string]map[string]string{
	"en": {
		"app.name":                  "LOYALTY maturity test",
		"app.brand":                 "Maturity test",
		"nav.skip":                  "Skip to content",
		"app.tagline":               "How customer-oriented is your company — today, and where should it be?",
		"nav.home":                  "About the test",
		"nav.test":                  "Take the test",
		"nav.language":              "Language",
		"footer.text":               "The LOYALTY model: 21 competencies in 7 categories that make customer loyalty a driver of lasting growth.",
		"footer.consultants":        "Consultants: sign in to run gap workshops with a leadership team",
		"footer.privacy":            "Your answers are stored only to show you your result. Anyone with the result link can read it.",
		"home.title":                "Test your customer orientation in five minutes",
		"home.lead":                 "21 statements. For each, say how true it is for your company today and how true it should be. You get your gap analysis at once: where you stand, where you want to be, and where to act first.",
		"home.start":                "Start the test",
		"home.minutes":              "About 5 minutes · no sign-up",
		"home.get.title":            "What you get",
		"home.get.index":            "Your AS-IS and TO-BE index from 0 to 100 and your maturity stage",
		"home.get.radar":            "Radar charts of the 7 categories and 21 competencies",
		"home.get.gaps":             "All 21 gaps ranked: where to act first",
		"home.get.advice":           "Advice matched to your maturity",
		"home.model.title":          "The LOYALTY model",
		"home.model.lead":           "Seven categories, each with three competencies, under three themes. Their initials spell the goal.",
		"home.how.title":            "How it works",
		"home.how.1":                "Read each statement about your company.",
		"home.how.2":                "Rate how true it is today (AS-IS) and how true it should be (TO-BE), from 1 to 5.",
		"home.how.3":                "See your gaps ranked, with radar charts and advice. Share the private link with your team.",
		"home.gap.title":            "Start with a thorough gap analysis",
		"home.gap.text":             "More than 50 large companies have evaluated themselves on these 21 competencies. The typical picture: leadership and strategic anchoring are in place, but financial estimates and effect measurement are missing.",
		"test.title":                "The LOYALTY test",
		"test.lead":                 "For each statement, rate how true it is for your company today (AS-IS) and how true it should be (TO-BE).",
		"test.scale":                "Scale",
		"test.asis":                 "Today (AS-IS)",
		"test.tobe":                 "Should be (TO-BE)",
		"test.asis.short":           "AS-IS",
		"test.tobe.short":           "TO-BE",
		"test.progress":             "%d of %d answered",
		"test.progress.tmpl":        "{n} of {total} answered",
		"test.about.title":          "About you (optional)",
		"test.about.help":           "Helps you recognise the result later. Leave empty to stay anonymous.",
		"test.role":                 "Your role",
		"test.role.help":            "For example CEO, CFO or Head of Customer Experience",
		"test.company":              "Company name",
		"test.submit":               "See my result",
		"test.submit.help":          "Your result opens on a private page with its own link.",
		"test.statement":            "Statement %d",
		"errors.summary":            "Please check %d answers",
		"errors.summary.one":        "Please check 1 answer",
		"errors.required.both":      "Choose how true this is today (AS-IS) and how true it should be (TO-BE).",
		"errors.required":           "Choose how true this is: %s.",
		"errors.range":              "Choose a value from %d to %d: %s.",
		"errors.integer":            "Choose one of the whole numbers on the scale: %s.",
		"errors.duplicate":          "This statement was answered twice.",
		"errors.unknown":            "This statement does not exist.",
		"errors.too_long":           "Too long: at most %d characters.",
		"errors.control":            "Contains characters that cannot be stored (control characters).",
		"errors.encoding":           "Contains text that is not valid UTF-8.",
		"errors.choice":             "Choose one of the options.",
		"result.title":              "Your LOYALTY result",
		"result.for":                "Result for %s",
		"result.taken":              "Taken %s",
		"result.asis.index":         "AS-IS index",
		"result.tobe.index":         "TO-BE index",
		"result.gap.index":          "Gap",
		"result.index.help":         "0 = not true at all on any statement, 100 = fully true on all 21.",
		"result.points":             "points",
		"result.stage":              "Maturity stage",
		"result.categories":         "The 7 categories",
		"result.competencies":       "The 21 competencies",
		"result.table":              "Show as table",
		"result.gaps.title":         "All gaps, in priority order",
		"result.gaps.lead":          "Largest gap first; equal gaps are ordered by the lowest AS-IS.",
		"result.col.rank":           "Priority",
		"result.col.number":         "No.",
		"result.col.cat":            "Category",
		"result.col.name":           "Competency",
		"result.col.gap":            "Gap",
		"result.ahead":              "ahead of ambition",
		"result.priorities":         "Act first here",
		"result.priority.sentence":  "%s (%s): today %s, ambition %s — a gap of %s points.",
		"result.priority.none":      "There is no gap to close: today already meets the ambition on every competency.",
		"result.strengths":          "Your strengths",
		"result.strength.sentence":  "%s (%s) scores %s today.",
		"result.advice.years":       "Advice for companies that have worked with NPS for %s",
		"result.advice":             "Advice for your stage",
		"result.share":              "Keep this page: its link is the only way back to your result.",
		"result.strengths.relative": "Your relatively strongest areas",
		"result.share.label":        "Your private link",
		"result.copy":               "Copy link",
		"result.copied":             "Copied",
		"result.print":              "Print",
		"result.again":              "Take the test again",
		"result.theme":              "Theme",
		"result.category":           "Category",
		"notfound.title":            "Page not found",
		"notfound.text":             "There is no page at this address. If you followed a result link, check that it was copied in full.",
		"error.title":               "Something went wrong",
		"error.text":                "We could not complete your request. Please try again in a moment.",
		"error.back":                "Go to the front page",
		"chart.asis":                "Today (AS-IS)",
		"chart.tobe":                "Ambition (TO-BE)",
	},
	"da": {
		"app.name":                  "LOYALTY-modenhedstest",
		"app.brand":                 "Modenhedstest",
		"nav.skip":                  "Spring til indholdet",
		"app.tagline":               "Hvor kundeorienteret er jeres virksomhed i dag – og hvor skal den være?",
		"nav.home":                  "Om testen",
		"nav.test":                  "Tag testen",
		"nav.language":              "Sprog",
		"footer.text":               "LOYALTY-modellen: 21 kompetencer i 7 kategorier, der gør kundeloyalitet til en drivkraft for varig vækst.",
		"footer.consultants":        "Konsulenter: log ind for at køre GAP-workshops med en ledergruppe",
		"footer.privacy":            "Jeres svar gemmes kun for at vise jer resultatet. Alle med linket til resultatet kan læse det.",
		"home.title":                "Test jeres kundeorientering på fem minutter",
		"home.lead":                 "21 udsagn. Angiv for hvert udsagn, hvor godt det passer på jeres virksomhed i dag, og hvor godt det bør passe. I får jeres GAP-analyse med det samme: hvor I står, hvor I vil hen, og hvor I bør sætte ind først.",
		"home.start":                "Start testen",
		"home.minutes":              "Ca. 5 minutter · ingen tilmelding",
		"home.get.title":            "Det får I",
		"home.get.index":            "Jeres AS-IS- og TO-BE-indeks fra 0 til 100 og jeres modenhedsniveau",
		"home.get.radar":            "Radardiagrammer over de 7 kategorier og 21 kompetencer",
		"home.get.gaps":             "Alle 21 gaps rangeret: hvor I skal sætte ind først",
		"home.get.advice":           "Råd, der passer til jeres modenhed",
		"home.model.title":          "LOYALTY-modellen",
		"home.model.lead":           "Syv kategorier med hver tre kompetencer under tre temaer. Forbogstaverne staver målet.",
		"home.how.title":            "Sådan foregår det",
		"home.how.1":                "Læs hvert udsagn om jeres virksomhed.",
		"home.how.2":                "Angiv fra 1 til 5, hvor godt det passer i dag (AS-IS), og hvor godt det bør passe (TO-BE).",
		"home.how.3":                "Se jeres gaps rangeret med radardiagrammer og råd. Del det private link med jeres team.",
		"home.gap.title":            "Men start med en grundig GAP-analyse",
		"home.gap.text":             "Mere end 50 store virksomheder har evalueret sig selv på de 21 kompetencer. Det typiske billede: Der er ledelsesmæssig og strategisk forankring, men der mangler finansielle estimater og effektmålinger.",
		"test.title":                "LOYALTY-testen",
		"test.lead":                 "Angiv for hvert udsagn, hvor godt det passer på jeres virksomhed i dag (AS-IS), og hvor godt det bør passe (TO-BE).",
		"test.scale":                "Skala",
		"test.asis":                 "I dag (AS-IS)",
		"test.tobe":                 "Bør være (TO-BE)",
		"test.asis.short":           "AS-IS",
		"test.tobe.short":           "TO-BE",
		"test.progress":             "%d af %d besvaret",
		"test.progress.tmpl":        "{n} af {total} besvaret",
		"test.about.title":          "Om jer (valgfrit)",
		"test.about.help":           "Gør det lettere at genkende resultatet senere. Lad felterne stå tomme for at være anonym.",
		"test.role":                 "Din rolle",
		"test.role.help":            "For eksempel adm. direktør, økonomidirektør eller kundechef",
		"test.company":              "Virksomhedens navn",
		"test.submit":               "Se mit resultat",
		"test.submit.help":          "Resultatet åbner på en privat side med sit eget link.",
		"test.statement":            "Udsagn %d",
		"errors.summary":            "Tjek venligst %d svar",
		"errors.summary.one":        "Tjek venligst 1 svar",
		"errors.required.both":      "Vælg, hvor godt det passer i dag (AS-IS), og hvor godt det bør passe (TO-BE).",
		"errors.required":           "Vælg, hvor godt det passer: %s.",
		"errors.range":              "Vælg en værdi fra %d til %d: %s.",
		"errors.integer":            "Vælg et af de hele tal på skalaen: %s.",
		"errors.duplicate":          "Udsagnet er besvaret to gange.",
		"errors.unknown":            "Udsagnet findes ikke.",
		"errors.too_long":           "For langt: højst %d tegn.",
		"errors.control":            "Indeholder tegn, der ikke kan gemmes (kontroltegn).",
		"errors.encoding":           "Indeholder tekst, der ikke er gyldig UTF-8.",
		"errors.choice":             "Vælg en af mulighederne.",
		"result.title":              "Jeres LOYALTY-resultat",
		"result.for":                "Resultat for %s",
		"result.taken":              "Besvaret %s",
		"result.asis.index":         "AS-IS-indeks",
		"result.tobe.index":         "TO-BE-indeks",
		"result.gap.index":          "Gap",
		"result.index.help":         "0 = passer slet ikke på nogen udsagn, 100 = passer fuldt ud på alle 21.",
		"result.points":             "point",
		"result.stage":              "Modenhedsniveau",
		"result.categories":         "De 7 kategorier",
		"result.competencies":       "De 21 kompetencer",
		"result.table":              "Vis som tabel",
		"result.gaps.title":         "Alle gaps i prioriteret rækkefølge",
		"result.gaps.lead":          "Største gap først; ved lige store gaps kommer den laveste AS-IS først.",
		"result.col.rank":           "Prioritet",
		"result.col.number":         "Nr.",
		"result.col.cat":            "Kategori",
		"result.col.name":           "Kompetence",
		"result.col.gap":            "Gap",
		"result.ahead":              "foran ambitionen",
		"result.priorities":         "Sæt ind her først",
		"result.priority.sentence":  "%s (%s): i dag %s, ambition %s – et gap på %s point.",
		"result.priority.none":      "Der er intet gap at lukke: I lever allerede op til ambitionen på alle kompetencer.",
		"result.strengths":          "Jeres styrker",
		"result.strength.sentence":  "%s (%s) scorer %s i dag.",
		"result.advice.years":       "Råd til virksomheder, der har arbejdet med NPS i %s",
		"result.advice":             "Råd til jeres niveau",
		"result.share":              "Gem denne side: linket er den eneste vej tilbage til resultatet.",
		"result.strengths.relative": "Jeres relativt stærkeste områder",
		"result.share.label":        "Jeres private link",
		"result.copy":               "Kopiér link",
		"result.copied":             "Kopieret",
		"result.print":              "Udskriv",
		"result.again":              "Tag testen igen",
		"result.theme":              "Tema",
		"result.category":           "Kategori",
		"notfound.title":            "Siden findes ikke",
		"notfound.text":             "Der er ingen side på denne adresse. Hvis du fulgte et link til et resultat, så tjek, at hele linket kom med.",
		"error.title":               "Noget gik galt",
		"error.text":                "Vi kunne ikke gennemføre din forespørgsel. Prøv igen om lidt.",
		"error.back":                "Gå til forsiden",
		"chart.asis":                "I dag (AS-IS)",
		"chart.tobe":                "Ambition (TO-BE)",
	},
}
