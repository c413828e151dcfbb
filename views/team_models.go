package views

// TeamInvitePage invites the leadership team from a result: what a team round is, who sees
// what, and the button that opens it.
type TeamInvitePage struct {
	Page
	Company string
	Taken   string
	// Action opens the team round (POST); ResultURL goes back to the result, whose holder
	// is reading this page.
	Action    string
	ResultURL string
	// MinDetail is how many must finish before the team's result shows.
	MinDetail int
}

// TeamPage is the executive's private page of a team round: how to join, the team's
// progress and, once enough have finished, its result. It never links to the result the
// round came from: the team link must not lead to a link that can delete it.
type TeamPage struct {
	Page
	Company string
	Opened  string
	// Colleagues are the personal links, oldest first: the only way into the round.
	Colleagues []ColleagueRow
	// AddAction makes personal links from AddList, the holder's names one a line (kept
	// after a problem, named in AddErrors); Added is how many were just made.
	AddAction string
	AddList   string
	AddErrors []string
	Added     int
	// CapAction sets the cap on colleagues; Cap is its field ("" for one place per link),
	// CapErr its problem, Places says how many places are taken of how many.
	CapAction string
	CapMax    int
	Cap       string
	CapErr    string
	Places    string
	// Notice says what the holder's last action did; ActionError why it was refused.
	Notice      string
	ActionError string
	// Legacy is how many colleagues joined with the shared code before personal links.
	Legacy int
	// LiveURL is polled for Live; LiveETag is the ETag of the fragment in the page.
	LiveURL    string
	LiveETag   string
	LivePollMS int64
	Live       TeamLiveView
	// Revealed shows the team's result on the phones of those who finished; RevealAction
	// switches it.
	Revealed     bool
	RevealAction string
	// TeamURL is the page's own address, to keep: absolute on the base URL, or relative.
	TeamURL string
	// MailURL is a mailto: link that opens a message to oneself with TeamURL in it.
	MailURL   string
	MinDetail int
}

// TeamImportPage asks a consultant to confirm taking a team round into the workspace, and
// says what that does.
type TeamImportPage struct {
	WSPage
	// Link is the team link as the consultant pasted it, sent again with the confirmation.
	Link    string
	Heading string
	// Facts say when the round was opened and how many have answered.
	Facts   string
	Points  []string
	Name    string
	NameErr string
	Consent bool
}

// TeamLiveView is the refreshed part of the team page: the live view's progress and radar, and
// the team's result as a leadership team reads it — what to talk about first, the largest
// gaps, every competency with its spread.
type TeamLiveView struct {
	LiveView
	// Topics are the competencies to talk about first, most disagreement first (at most
	// assessment.TeamTopicsMax).
	Topics []TeamTopicRow
	// Gaps are the largest gaps, largest first.
	Gaps []GapRow
	// Rows are every competency in number order.
	Rows []TeamStatRow
}

// TeamTopicRow is one competency to talk about first, said in words.
type TeamTopicRow struct {
	Number int
	Text   string
}

// TeamStatRow is one competency of the team's table. Gap is the difference of the rounded
// means shown beside it.
type TeamStatRow struct {
	Number     int
	Name       string
	Label      string
	AsIs       string
	ToBe       string
	Gap        string
	AsIsSD     string
	ToBeSD     string
	Topic      bool
	TopicTitle string
}

// ColleagueRow is one personal link on the team page: the name the holder gave it and how
// far that colleague is, never anything they answered.
type ColleagueRow struct {
	ID    int64
	Label string
	// Status is an assessment.Invitation* status; StatusText says it in words.
	Status     string
	StatusText string
	// URL is the personal link to copy and MailURL a message carrying it, while unused.
	URL     string
	MailURL string
	// EmailAction sends the link from the server to an address typed, when the server sends
	// email; Email is what was typed and EmailError why it was refused.
	EmailAction string
	Email       string
	EmailError  string
	// RemoveAction withdraws the link (and removes the colleague who has not finished);
	// empty for a colleague who finished. RemoveText labels its button.
	RemoveAction string
	RemoveText   string
}
