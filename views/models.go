package views

// Page carries what every page needs: the locale, the title and where the language switch
// should point.
type Page struct {
	Loc
	// Title is the page's own title; the layout appends the app name.
	Title string
	// Path is the current path without query, used for language-switch links.
	Path string
	// Charts makes the layout load ECharts; only result pages need it.
	Charts bool
	// Passkeys makes the layout load the passkey script (the sign-in and passkeys pages).
	Passkeys bool
	// Stylesheet is a stylesheet of the page's own ("css/ops.css"), loaded after app.css:
	// what only a few signed-in pages use stays out of the public pages' weight.
	Stylesheet string
	// Languages are the languages offered by the switch.
	Languages []Language
	// Notice is an optional banner shown above the content (for example demo data).
	Notice string
	// PrintFooter is the running footer of the printed page (its title and date); the
	// layout falls back to Title.
	PrintFooter string
	// UILang is the language of the page's frame (header, navigation, footer) when it
	// differs from the document's (Loc): a hand-out speaks its round's language whatever
	// language the reader's pages speak. Empty means Loc's.
	UILang string
	// Audience is who the page is for, which decides what its footer promises: the public
	// (""), a workshop participant (AudienceParticipant) or a signed-in consultant
	// (AudienceWorkspace).
	Audience string
}

// The audiences of a page (Page.Audience) besides the public.
const (
	AudienceParticipant = "participant"
	AudienceWorkspace   = "workspace"
)

// UI is the locale of the page's frame: UILang, or else the document's.
func (p Page) UI() Loc {
	if p.UILang != "" {
		return Loc{Lang: p.UILang}
	}
	return p.Loc
}

// Footer is the running footer of the printed page: PrintFooter, or else the title and the
// app's name.
func (p Page) Footer() string {
	if p.PrintFooter != "" {
		return p.PrintFooter
	}
	if p.Title == "" {
		return p.T("app.name")
	}
	return p.Title + " · " + p.T("app.name")
}

// Download is a link to one of a page's exports ("Download Excel").
type Download struct {
	URL   string
	Label string
	// Hint says whom the file is for, as the link's title ("For Excel in Danish, …"); may be
	// empty.
	Hint   string
	TestID string
}

// LangURL returns the current page's path in another language.
func (p Page) LangURL(code string) string { return p.Path + "?lang=" + code }

// ScaleOption is one point of the answer scale.
type ScaleOption struct {
	Value int
	Label string
}

// TestPage is the questionnaire form, possibly re-rendered with errors.
type TestPage struct {
	Page
	Scale      []ScaleOption
	Categories []TestCategory
	Role       string
	Company    string
	RoleError  string
	// CompanyError is the message for the company name field.
	CompanyError string
	// NameError is the message for a workshop participant's name field.
	NameError string
	// Errors lists every problem for the summary at the top, each linking to its item.
	Errors   []ErrorLink
	Answered int
	Total    int
	// KeepKey names this questionnaire's answers kept on the device until they are submitted
	// (app.js, localStorage).
	KeepKey string
	// Once is the form's one-time id (hidden field "once"): sent twice, it stores one result.
	Once string
	// Sent is the address of the result this browser already sent from this form (Back after
	// sending), shown above the form; SentChanged says that answers changed after sending
	// were not stored.
	Sent        string
	SentChanged bool
	// SentID is the one-time id that test was sent with: app.js empties a form the browser
	// refilled with it after Back.
	SentID string
	// Profile selects and the benchmark consent, with their errors by field name.
	Industries    []ProfileChoice
	Sizes         []ProfileChoice
	Countries     []ProfileChoice
	NPSYears      []ProfileChoice
	Consent       bool
	ProfileErrors map[string]string
	// Previous is the token of the earlier result this test retakes, sent back in a hidden
	// field; RetakeNote says which result that is. Both empty for a first test.
	Previous   string
	RetakeNote string
	// RetakeMissing says that the earlier result asked for no longer exists.
	RetakeMissing string
}

// TestCategory is a category block of the form.
type TestCategory struct {
	Key    string
	Letter string
	Name   string
	Theme  string
	Items  []TestItem
}

// TestItem is one competency of the form with the answers given so far.
type TestItem struct {
	Number int
	// Name is the item's title. For the competencies named AS-IS, TO-BE and GAP, which would
	// read like the answer rows below them, it is what they measure ("Monthly measurement"),
	// and Tag names the competency ("Competency “AS-IS”").
	Name      string
	Tag       string
	Statement string
	// AsIs and ToBe are the chosen scale values, 0 when none.
	AsIs      int
	ToBe      int
	AsIsError string
	ToBeError string
	// Error is a problem with the item as a whole (for example answered twice).
	Error string
}

// HasError reports whether any message is attached to the item.
func (i TestItem) HasError() bool { return i.AsIsError != "" || i.ToBeError != "" || i.Error != "" }

// ErrorLink is one entry of an error summary.
type ErrorLink struct {
	Anchor string
	Text   string
}

// ResultPage is the result of one assessment.
type ResultPage struct {
	Page
	Company string
	Role    string
	Taken   string
	ScoredView
	// ShareURL is the page's own address, to copy and send to the team: absolute on the
	// server's base URL, or else relative (the page's script completes it).
	ShareURL string
	// MailURL is a mailto: link that opens a message to oneself with ShareURL in it.
	MailURL string
	// DeleteURL is the page where the holder of the link deletes the result.
	DeleteURL string
	// RetakeURL opens the test form to take it again and compare: it carries this result's
	// own token, which the reader of this page already holds.
	RetakeURL string
	// Retake compares the result with the earlier one it retakes; nil when there is none.
	Retake *RetakeView
	// TeamURL invites the leadership team (or leads to the team round once it is open).
	TeamURL string
	// Verify is the card on verification by work email.
	Verify VerifyView
	// Downloads are the result's exports, with the peer group the page shows.
	Downloads []Download
}

// RetakeView compares a result with the earlier result it retakes. It names the earlier
// result by its date only: its link (its token) is never shown.
type RetakeView struct {
	Taken string
	// The indexes before and after, and how they moved (the difference of the shown numbers).
	AsIsBefore string
	AsIsAfter  string
	AsIsDelta  string
	ToBeBefore string
	ToBeAfter  string
	ToBeDelta  string
	// Rows are the seven categories' changes, then the overall change.
	Rows []DeltaRow
	// Improved and Slipped name the largest moves of AS-IS; More* name the others, behind
	// "… and 6 more".
	Improved     []string
	Slipped      []string
	MoreImproved []string
	MoreSlipped  []string
}

// ScoredView is a scored set of answers as the result page and a workshop round's report
// show it: the indexes, the maturity stage and its advice, the two radars with their tables,
// the gap table, the sentences, and the benchmark.
type ScoredView struct {
	// Indexes, formatted, and their raw 0-100 values for the bars.
	AsIsIndex    string
	ToBeIndex    string
	GapIndex     string
	AsIsIndexPct float64
	ToBeIndexPct float64
	Stage        StageView
	Stages       []StageView
	// CategoryChart and CompetencyChart are ECharts options (JSON) for the two radars.
	CategoryChart   any
	CompetencyChart any
	CategoryRows    []ScoreRow
	CompetencyRows  []ScoreRow
	Gaps            []GapRow
	Priorities      []string
	Strengths       []string
	// StrengthsRelative is set when even the strongest competencies are at or below the middle
	// of the scale: they are then the relatively strongest areas, not strengths.
	StrengthsRelative bool
	// AdviceFor says whose advice this is: the stage's, or that of the NPS experience the
	// company gave.
	AdviceFor   string
	AdviceTitle string
	Advice      []AdviceView
	// Benchmark compares the company with its peers.
	Benchmark BenchmarkView
	// EarlierLabel names the earlier AS-IS the radars and their tables show for a retake;
	// empty when there is none.
	EarlierLabel string
}

// StageView is a maturity stage for display.
type StageView struct {
	Key         string
	Name        string
	Description string
	From        string
	Current     bool
}

// ScoreRow is a row of a chart's data table.
type ScoreRow struct {
	Label string
	AsIs  string
	ToBe  string
	Gap   string
	// Peer is the peer median AS-IS, empty when no benchmark is shown.
	Peer string
	// Earlier is the AS-IS of the earlier result a retake compares with, empty when none.
	Earlier string
}

// GapRow is a row of the gap table.
type GapRow struct {
	Rank     int
	Number   int
	Letter   string
	Category string
	Name     string
	// Label says what the competency measures, shown under its name.
	Label string
	AsIs  string
	ToBe  string
	Gap   string
	// BarPct is the gap's share of the scale range, 0-100, for the bar.
	BarPct float64
	// Ahead marks a negative gap: the present exceeds the ambition.
	Ahead bool
}

// AdviceView is one piece of advice.
type AdviceView struct {
	Title string
	Text  string
}

// HomePage is the landing page.
type HomePage struct {
	Page
	Themes []HomeTheme
}

// HomeTheme is a theme with its categories, for the LOYALTY band.
type HomeTheme struct {
	Name       string
	Categories []HomeCategory
}

// HomeCategory is a category with its competency names.
type HomeCategory struct {
	// First is the number of the category's first competency, so lists count 1-21.
	First        int
	Letter       string
	Name         string
	Competencies []string
}

// ErrorPage is a 404 or 500 page.
// ResultDeletePage asks the holder of a result link to confirm deleting the result.
type ResultDeletePage struct {
	Page
	// Token is the result's token, for the form's address and the way back.
	Token   string
	Company string
	Taken   string
	// Error says why the deletion was not done (the box was not ticked).
	Error string
	// Team says that the team round opened from the result goes with it.
	Team bool
}

// PrivacyPage is the privacy statement.
type PrivacyPage struct {
	Page
	// Keep says how long this server keeps results: its retention period, or none.
	Keep string
}

// ErrorPage is a page that says something went wrong, or that there is nothing here.
type ErrorPage struct {
	Page
	Heading string
	Text    string
}

// groupHint is what the peer-group switch says under its chips when some are disabled: how to
// enable them. It is text on the page, as a tooltip never shows on a phone.
func groupHint(groups []GroupLink) string {
	for _, g := range groups {
		if g.Disabled && !g.Current && g.Hint != "" {
			return g.Hint
		}
	}
	return ""
}

// VerifyView is the result page's card about verification by work email: the form while the
// result may still be confirmed (Action set), or what the confirmed result counts for.
type VerifyView struct {
	// Action is where the form posts; "" when no form is shown.
	Action string
	// Domain is the domain the result was confirmed for, and Status the sentence on what
	// that means now (waiting for approval, counting, rejected).
	Domain string
	Status string
}

// VerifyRequestPage is the page the result page's verification form answers with: the link
// sent, or the form again with what is wrong.
type VerifyRequestPage struct {
	Page
	Action string
	Back   string
	Email  string
	Error  string
	Sent   string
}

// VerifyPage is the page a verification link opens: the confirm button (a GET never
// confirms), what confirming did, or why the link does not work.
type VerifyPage struct {
	Page
	// Lead says what confirming does; Action is where the button posts ("" once done).
	Lead   string
	Action string
	// Button is the confirm button's label.
	Button string
	// Done is the outcome once confirmed; Error why the link does not work.
	Done   string
	Error  string
	Domain string
}

// ResultEmailPage sends a result's private link to an address the holder types.
type ResultEmailPage struct {
	Page
	Action string
	Back   string
	Email  string
	Error  string
	// Sent confirms the message is on its way.
	Sent string
}
