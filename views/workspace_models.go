package views

import (
	"fmt"

	"github.com/a-h/templ"
)

// WSPage is the common model of a signed-in consultant's page.
type WSPage struct {
	Page
	// CSRF is the session's token, sent back by every form in the _csrf field.
	CSRF      string
	UserName  string
	Workspace string
	Admin     bool
	// Operator is set for an operator's session: the navigation leads to the console
	// (/ops) and the operator's account, never to a workspace.
	Operator bool
	// Section marks the current item of the workspace navigation.
	Section string
}

// LoginPage is the sign-in form.
type LoginPage struct {
	Page
	// CSRF is the double-submit token of the form, also set in a cookie for /login.
	CSRF  string
	Email string
	Next  string
	Error string
	// PasskeysOn offers "Sign in with a passkey" (the server has a secure origin).
	PasskeysOn bool
}

// Choice is an option of a select list or radio group.
type Choice struct {
	Value string
	Label string
}

// ClientsPage lists a workspace's clients.
type ClientsPage struct {
	WSPage
	Clients  []ClientRow
	Archived bool
	// ImportLink and ImportError re-show the form that imports a team round after a problem.
	ImportLink  string
	ImportError string
}

// ClientRow is a client in a list.
type ClientRow struct {
	ID       int64
	Name     string
	Industry string
	Country  string
	Consent  bool
}

// ClientFormPage creates (ID 0) or edits a client.
type ClientFormPage struct {
	WSPage
	ID         int64
	Name       string
	Industry   string
	Size       string
	Country    string
	NPSYears   string
	Consent    bool
	Industries []Choice
	Sizes      []Choice
	Segments   []Choice
	// Errors maps a field name (name, industry, size, country, nps_years) to its message.
	Errors map[string]string
}

// ClientPage shows one client with its rounds.
type ClientPage struct {
	WSPage
	ID       int64
	Name     string
	Profile  []Choice
	Consent  bool
	Archived bool
	Rounds   []RoundRow
	Langs    []Choice
	Lang     string
	// RoundTitle and RoundError re-show the open-round form after a problem.
	RoundTitle string
	RoundError string
	// Closed lists the closed rounds with answers, for the compare form.
	Closed []Choice
	// Downloads are the client's history exports, once a round is closed.
	Downloads []Download
	// Benchmark compares the latest closed round with a peer group (HasBenchmark: there is
	// one).
	Benchmark    BenchmarkView
	HasBenchmark bool
}

// RoundRow is a round in a client's list.
type RoundRow struct {
	ID     int64
	Title  string
	Lang   string
	Opened string
	Closed string
	Open   bool
	// Status is open, revealed or closed; StatusLabel says it in the page's language.
	Status      string
	StatusLabel string
}

// ClientDeletePage asks to confirm deleting a client.
type ClientDeletePage struct {
	WSPage
	ID     int64
	Name   string
	Rounds int
	Error  string
}

// DashboardPage is the consultant's view of a round: blind until the result is revealed or
// shown on this screen, with the room's progress, the participants and the round's controls.
type DashboardPage struct {
	WSPage
	// RevealWait says why the result cannot be revealed yet (too few have finished); the
	// reveal button is disabled while it is set.
	RevealWait  string
	RoundID     int64
	ClientID    int64
	Client      string
	Title       string
	Open        bool
	Revealed    bool
	Status      string
	StatusLabel string
	JoinURL     string
	// JoinHost is where a participant types the short code: "HOST/j".
	JoinHost  string
	ShortCode string
	QRURL     string
	LiveURL   string
	// LiveETag is the ETag of the fragment rendered in the page, so the first poll is a 304.
	LiveETag string
	// LivePollMS is how often, in milliseconds, workshop.js asks for the fragment.
	LivePollMS int64
	Live       LiveView
	// Show is set when the room's result is on this screen (revealed, or ?show=1).
	Show       bool
	ShowURL    string
	HideURL    string
	PresentURL string
	// ServerNowMS is the server's clock when the page was made, for the countdown script.
	ServerNowMS      int64
	CountdownMinutes []int
	Battles          BattlesView
	Notes            NotesView
	// Downloads are the round's exports; DownloadNote says why the CSV is not offered yet.
	Downloads    []Download
	DownloadNote string
}

// LiveView is the part of a round's view that updates while people answer: the dashboard's,
// the report's and the room's.
type LiveView struct {
	Loc
	RoundID int64
	// Participants counts those who finished: the room's result is theirs.
	Participants int
	Progress     ProgressView
	// People lists one page of the participants for the consultant (never their answers);
	// List says which page, of what, and how to reach the others.
	People  []ParticipantRow
	List    PeopleList
	HasData bool
	// Blind hides the result on this screen; ShowURL shows it.
	Blind   bool
	ShowURL string
	// DeadlineMS is when the countdown ends (Unix milliseconds), 0 without one.
	DeadlineMS int64
	// Chart is the ECharts option of the category radar.
	Chart        any
	Competencies []CompStatRow
	// DisagreeAsIs and DisagreeToBe name the competencies the room disagrees on.
	DisagreeAsIs []string
	DisagreeToBe []string
	Threshold    int
	HeatAsIs     []HeatRow
	HeatToBe     []HeatRow
	HeatHead     []int
	TopGaps      []GapRow
	// Detail reports that enough participants finished for views of single participants;
	// DetailNote says why they are missing when not.
	Detail     bool
	DetailNote string
	// Individual shows the heatmaps: the consultant's view with Detail, never the room's.
	Individual bool
	// MinDetail is how many must finish before single participants may be shown, and before
	// a team round shows anything of its result.
	MinDetail int
	// PendingNote tells the consultant how many changes wait for the next publication;
	// WaitNote why no result shows yet though some finished.
	PendingNote string
	WaitNote    string
}

// ProgressView counts a round's participants by status.
type ProgressView struct {
	Joined    int
	Answering int
	Finished  int
}

// PeopleList is the consultant's participant list as a hall needs it: a search by name, a
// filter by status, and pages (assessment.ParticipantFilter). Its links and its form are plain
// GET requests of the dashboard, so it works without JavaScript and a live update keeps them.
type PeopleList struct {
	// Action is the dashboard's URL the search form sends to; Show keeps the room's result
	// shown on this screen.
	Action string
	Show   bool
	Query  string
	Status string
	// Total counts every participant; Matched those the search and status select.
	Total, Matched int
	// First and Last are the positions of the page's rows among the matched (from 1).
	First, Last int
	Page, Pages int
	// Filters are the status filters with what each would find; PrevURL and NextURL the
	// neighbouring pages ("" at either end); ClearURL the list without search or filter.
	Filters          []PeopleFilter
	PrevURL, NextURL string
	ClearURL         string
}

// PeopleFilter is one status filter of the participant list.
type PeopleFilter struct {
	Label   string
	Count   int
	URL     string
	Current bool
	Status  string
}

// ParticipantRow is one participant in the consultant's list: name, when they joined, status.
type ParticipantRow struct {
	ID          int64
	Name        string
	Joined      string
	Status      string
	StatusLabel string
	RemoveURL   string
}

// CompStatRow is one competency of the live table. Min and max are empty below the detail
// threshold.
type CompStatRow struct {
	Number int
	Name   string
	// Label says what the competency measures.
	Label        string
	AsIsMean     string
	AsIsMin      string
	AsIsMax      string
	AsIsSD       string
	ToBeMean     string
	ToBeMin      string
	ToBeMax      string
	ToBeSD       string
	Gap          string
	DisagreeAsIs bool
	DisagreeToBe bool
}

// HeatRow is one participant (by anonymous label) of a heatmap.
type HeatRow struct {
	Label string
	Cells []HeatCell
}

// HeatCell is one coloured cell; Class is heat-1 … heat-5.
type HeatCell struct {
	Text  string
	Class string
	Title string
}

// JoinPage is the form where a participant types a short code.
type JoinPage struct {
	Page
	Code  string
	Error string
}

// CountdownView is a running countdown for answering.
type CountdownView struct {
	Active bool
	// Seconds left when the page was made, counted down by script; Clock is them as m:ss and
	// Text in words, for a page without script.
	Seconds int64
	Clock   string
	Text    string
}

// WelcomePage is the start of a round on a participant's phone: what it is, who sees what,
// an optional name and role.
type WelcomePage struct {
	Page
	Code      string
	Title     string
	Client    string
	Name      string
	Role      string
	Errors    map[string]string
	Countdown CountdownView
	// MinDetail is how many must finish before anyone's answers are shown, even anonymously.
	MinDetail int
	// Team marks a team round: no consultant, and the team's rules of who sees what.
	Team bool
	// StartAction is where Start posts: the round's link, or a personal link.
	StartAction string
	// For names the colleague a personal link is for; empty on the round's link.
	For string
}

// ParticipatePage is a participant's form in a round: only their own answers.
type ParticipatePage struct {
	Test   TestPage
	Code   string
	Title  string
	Client string
	Name   string
	Open   bool
	// Done is the state after sending while the round is open: thanks, what happens next
	// and EditURL, the form again to change the answers.
	Done     bool
	EditURL  string
	Known    bool
	Finished bool
	Revealed bool
	// StateURL is polled to follow the room; DraftURL takes each tapped answer; RoomURL is
	// the room's result.
	StateURL   string
	DraftURL   string
	RoomURL    string
	LivePollMS int64
	Countdown  CountdownView
	// Own is this participant's own answers, read-only, once the round has closed; empty
	// for anyone this browser is not a participant of the round.
	Own []OwnCategory
	// Team marks a team round; MinDetail is how many must finish before its result shows.
	Team      bool
	MinDetail int
}

// OwnCategory is a category of a participant's own answers.
type OwnCategory struct {
	Letter string
	Name   string
	Items  []OwnAnswer
}

// OwnAnswer is one competency of a participant's own answers, formatted for display.
type OwnAnswer struct {
	Number int
	Name   string
	AsIs   string
	ToBe   string
	Gap    string
}

// RoomPage is the room's result shown to a participant who answered, once revealed.
type RoomPage struct {
	Page
	Code     string
	Title    string
	Client   string
	Revealed bool
	// Answered reports that this browser's participant finished: only they see the result.
	Answered   bool
	StateURL   string
	BackURL    string
	LivePollMS int64
	Live       LiveView
	// Team marks a team round, whose result shows only once MinDetail have finished.
	Team      bool
	MinDetail int
}

// ReportPage is a round's report with its Must Win Battles and notes.
type ReportPage struct {
	WSPage
	RoundID      int64
	ClientID     int64
	Client       string
	Title        string
	Opened       string
	Closed       string
	Status       string
	StatusLabel  string
	Participants int
	// HasScores is set once someone finished: the scored view, the benchmark and the room's
	// detail exist only then.
	HasScores bool
	ScoredView
	Battles BattlesView
	Notes   NotesView
	Live    LiveView
	// CanDetail offers the per-person heatmaps (enough have finished); Detail includes them,
	// and DetailURL switches them on or off.
	CanDetail bool
	Detail    bool
	DetailURL string
	// Downloads are the round's exports; DownloadNote says why the CSV is not offered yet.
	Downloads    []Download
	DownloadNote string
	// PendingNote says how many changes wait for the next publication; WaitNote why there is
	// no result yet though some finished.
	PendingNote string
	WaitNote    string
}

// BattlesView is a round's Must Win Battles with the forms that record them; Back names the
// page the forms return to.
type BattlesView struct {
	Loc
	RoundID      int64
	CSRF         string
	Back         string
	Battles      []BattleRow
	CanAdd       bool
	Competencies []Choice
	Statuses     []Choice
	// Form re-shows the add form after a problem, which FormError explains.
	Form      BattleRow
	FormError string
}

// BattleRow is a Must Win Battle.
type BattleRow struct {
	ID          int64
	Competency  int
	CompName    string
	Title       string
	Owner       string
	Due         string
	DueText     string
	Status      string
	StatusLabel string
	// Carried marks a battle carried over from an earlier round.
	Carried bool
	History []BattleEvent
}

// BattleEvent is one status in a battle's history.
type BattleEvent struct {
	Status string
	Date   string
}

// NotesView is a round's notes per competency with the form that writes them.
type NotesView struct {
	Loc
	RoundID      int64
	CSRF         string
	Back         string
	Notes        []NoteRow
	Competencies []Choice
}

// NoteRow is the note on one competency.
type NoteRow struct {
	Number int
	Name   string
	Text   string
}

// RoundConfirmPage asks to confirm a change of a round (close, re-open, remove a participant)
// and says what it does.
type RoundConfirmPage struct {
	WSPage
	RoundID int64
	Round   string
	Client  string
	// Kind is close, reopen or remove.
	Kind    string
	Subject string
	Points  []string
	Action  string
	Back    string
	Error   string
}

// PresentPage is one step of the presentation on the projector.
type PresentPage struct {
	Page
	RoundID     int64
	Round       string
	Client      string
	Step        string
	Steps       []StepLink
	PrevURL     string
	NextURL     string
	ExitURL     string
	LiveURL     string
	LiveETag    string
	LivePollMS  int64
	ServerNowMS int64
	CSRF        string
	Revealed    bool
	Open        bool
	Content     PresentView
}

// StepLink is one step in the presentation's step bar.
type StepLink struct {
	URL     string
	Label   string
	Current bool
}

// PresentView is what one step of the presentation shows; it is the live part.
type PresentView struct {
	Loc
	// WaitNote says why an empty step shows nothing though some finished.
	WaitNote string
	// Step is the step shown: the lobby until the result is revealed.
	Step         string
	Revealed     bool
	Progress     ProgressView
	DeadlineMS   int64
	Participants int
	// Empty is set when nobody has finished yet.
	Empty      bool
	Detail     bool
	DetailNote string
	Lobby      LobbyView
	// Radar step.
	Chart     any
	AsIsIndex string
	ToBeIndex string
	GapIndex  string
	// Disagreement steps: the widest spreads, and More naming the rest.
	Disagreements []PresentItem
	More          string
	// Gaps step.
	Gaps []GapRow
	// Category steps.
	Category string
	Items    []PresentItem
	// Battles steps: one page of the Must Win Battles, BattlesFrom the number of its first,
	// and BattlesPage saying which of how many it shows when they take more than one step.
	Battles     BattlesView
	BattlesFrom int
	BattlesPage string
}

// LobbyView is how to join, in huge type.
type LobbyView struct {
	Open      bool
	JoinURL   string
	JoinHost  string
	ShortCode string
	QRURL     string
}

// PresentItem is one competency on the projector: means, gap, and how many chose each point
// (bars, only above the detail threshold).
type PresentItem struct {
	Number int
	Name   string
	// Label says what the competency measures.
	Label        string
	Statement    string
	AsIs         string
	ToBe         string
	Gap          string
	DisagreeAsIs bool
	DisagreeToBe bool
	AsIsBars     []Bar
	ToBeBars     []Bar
}

// Bar is how many participants chose one point of the scale.
type Bar struct {
	Value int
	Label string
	Count int
	Pct   float64
}

// PortfolioPage shows every client as a row of category scores.
type PortfolioPage struct {
	WSPage
	Categories []Choice
	Rows       []PortfolioRow
	Industries []Choice
	Industry   string
	Sort       string
	// SortLinks maps a sort key to the URL that sorts by it.
	SortLinks map[string]string
	// Downloads are the portfolio's exports, with the page's filter and sort: the files hold
	// what the page shows.
	Downloads []Download
	// Spread shows where every client shown stands per category against the others.
	Spread []SpreadRow
	// SpreadTicks label the strips' scale (positions in the strip's viewBox).
	SpreadTicks []TrendTick
}

// SpreadRow is one category's strip: the clients' middle half as a box, their median as a
// line, and each client as a dot whose title names it.
type SpreadRow struct {
	Letter, Name string
	// Summary says the strip in words (its aria-label).
	Summary             string
	P25X, MedianX, P75X float64
	Dots                []SpreadDot
}

// SpreadDot is one client on a strip, at X (and Y, to keep neighbours apart) of its viewBox.
type SpreadDot struct {
	X, Y  float64
	Title string
}

// PortfolioRow is one client of the portfolio.
type PortfolioRow struct {
	ClientID int64
	Name     string
	Industry string
	Cells    []HeatCell
	AsIs     string
	Gap      string
	Date     string
	Round    string
	HasData  bool
	// Movement is the overall AS-IS of each closed round, oldest first ("2.1 → 2.6"), and
	// Change the move from the first to the last (empty with fewer than two rounds).
	Movement string
	Change   string
	Up, Down bool
}

// ComparePage compares two rounds of a client.
type ComparePage struct {
	WSPage
	ClientID   int64
	Client     string
	Before     string
	After      string
	Chart      any
	Rows       []DeltaRow
	Categories []DeltaRow
	Improved   []string
	Slipped    []string
	Rounds     []Choice
	A, B       string
	// Benchmark compares the later round with a peer group.
	Benchmark BenchmarkView
}

// DeltaRow is one line of a comparison.
type DeltaRow struct {
	Label      string
	BeforeAsIs string
	AfterAsIs  string
	DeltaAsIs  string
	BeforeToBe string
	AfterToBe  string
	DeltaToBe  string
	Up         bool
	Down       bool
}

// MembersPage lists a workspace's members; admins may add, re-role and remove them.
type MembersPage struct {
	WSPage
	Members []MemberRow
	// Email, Name and Role re-show the add form after a problem, which Error explains.
	Email string
	Name  string
	Role  string
	Error string
	// Notice confirms the change just made.
	Notice string
	// ActionError explains why a role change was refused.
	ActionError string
	// Invitations are the pending invitations (admins only); InviteEmail, InviteAdmin and
	// InviteError re-show the invitation form after a problem.
	Invitations []InvitationRow
	InviteEmail string
	InviteAdmin bool
	InviteError string
}

// InvitationRow is one pending invitation to the workspace.
type InvitationRow struct {
	ID      int64
	Email   string
	Admin   bool
	Expires string
}

// InvitePage is an invitation link's page.
type InvitePage struct {
	Page
	// Action is the form's address (the link itself).
	Action      string
	Workspace   string
	Email       string
	Name        string
	MinPassword int
	// Error explains why the form was not accepted; Problem why the link does not work.
	Error   string
	Problem string
}

// MemberRow is one member of the list with the actions the viewer may take on them.
type MemberRow struct {
	ID    int64
	Name  string
	Email string
	Admin bool
	// Self marks the viewer's own row.
	Self bool
	// CanRemove and CanChangeRole are what the workspace's rules allow the viewer: only an
	// admin, never removing themselves, never leaving the workspace without an admin.
	CanRemove     bool
	CanChangeRole bool
	// SecondFactor says whether the member has a second factor; admins see it, to know who
	// a requirement would hold back.
	SecondFactor bool
}

// MemberRemovePage asks to confirm removing a member, or says why they cannot be removed.
type MemberRemovePage struct {
	WSPage
	ID    int64
	Name  string
	Email string
	Error string
	// Allowed offers the confirmation form; false when the rules forbid the removal.
	Allowed bool
}

// TokensPage is the signed-in member's API tokens and the form to make one.
type TokensPage struct {
	WSPage
	Tokens []TokenRow
	// Name and Expires re-show the form after a problem; NameError and ExpiresError say it.
	Name         string
	Expires      string
	NameError    string
	ExpiresError string
	// Lifetimes are the expiry choices of the form.
	Lifetimes []Choice
	// NewToken is the secret of the token just made, shown this once, and NewTokenName its
	// name; both empty otherwise.
	NewToken     string
	NewTokenName string
	// Notice confirms the change just made.
	Notice string
}

// TokenRow is one API token of the list: its name and dates, formatted.
type TokenRow struct {
	ID       int64
	Name     string
	Created  string
	LastUsed string
	Expires  string
	// Expired marks a token past its expiry, which no longer works.
	Expired bool
}

// TokenRevokePage asks for confirmation before an API token is revoked.
type TokenRevokePage struct {
	WSPage
	Token TokenRow
}

// urlf formats a local URL for an href or action.
func urlf(format string, args ...any) templ.SafeURL { return templ.URL(fmt.Sprintf(format, args...)) }

// ForgotPage asks for the address of a forgotten password.
type ForgotPage struct {
	Page
	Email string
	// Notice says what happened, the same words whether or not the address has an account.
	Notice string
	Error  string
}

// ResetPage sets a new password through a reset link.
type ResetPage struct {
	Page
	Action      string
	Email       string
	MinPassword int
	Error       string
	// Problem says why the link does not work.
	Problem string
}

// PasskeysPage is the signed-in member's passkeys and the form to add one.
type PasskeysPage struct {
	WSPage
	Passkeys []PasskeyRow
	// Available is false on a server that cannot offer passkeys; Unavailable says why.
	Available   bool
	Unavailable string
	// RenameID and RenameError re-show a rename that had a problem.
	RenameID    int64
	RenameError string
	// Notice confirms the change just made.
	Notice string
}

// PasskeyRow is one passkey of the list: its name and dates, formatted.
type PasskeyRow struct {
	ID       int64
	Name     string
	Created  string
	LastUsed string
	// Blocked marks a passkey whose sign counter went backwards (it may have been copied);
	// it no longer signs in.
	Blocked bool
}

// PasskeyRemovePage asks for confirmation before a passkey is removed.
type PasskeyRemovePage struct {
	WSPage
	Passkey PasskeyRow
	// NeedPassword asks for the password: the member did not sign in recently.
	NeedPassword bool
	// Error says the password was wrong.
	Error string
}

// filterName names a status filter in test ids: its status, or "all".
func filterName(status string) string {
	if status == "" {
		return "all"
	}
	return status
}
