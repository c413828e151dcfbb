package assessment

import (
	"strings"
	"time"
)

// Personal links (issue 16). A team round used to admit anyone with its join code, so a
// colleague could join twice and, once the result was shared, subtract their own two answers
// from three times the mean: the executive's 42 answers, exactly. A team round now admits only
// through personal links that its holder makes on the team page, one per colleague:
//
//   - each link admits one device, once: the first browser that presses Start on it becomes
//     that colleague, and the link is used; the same browser coming back is recognised by its
//     cookie and continues; any other browser (another device, or the same one with its
//     cookies cleared) is refused;
//   - the round's join code and short code admit nobody new into a team round
//     (Round.CheckJoinByCode), also in team rounds opened before personal links existed:
//     those who joined with the code keep their place, and the holder adds personal links
//     for anyone else;
//   - the holder may set a cap on how many colleagues join (Team.Cap); by default there is
//     one place per personal link;
//   - the holder sees who has joined and finished by the name they gave each link, never
//     anyone's answers, and may withdraw a link nobody used or remove a colleague who has
//     not finished. A colleague who finished stays: taking their answers out would change
//     the team's result by exactly their answers.
//
// What personal links cannot stop is the holder: whoever makes the links could answer on
// some of them. docs/privacy.md says so.

// MaxInvitations is the most personal links a team round may have, withdrawn ones not
// counted: a leadership team, not a company survey.
const MaxInvitations = 50

// MaxInvitationLabel is the longest name the holder may give a personal link, in characters.
const MaxInvitationLabel = MaxName

// FieldInvitationLabels names the holder's list of colleagues (one name a line) in a
// FieldError; Args["Line"] is the line a problem is on, when it is on one.
const FieldInvitationLabels = "team.colleagues"

// FieldTeamCap names the cap on colleagues in a FieldError.
const FieldTeamCap = "team.cap"

// RuleBelowJoined is the problem of a cap lower than the colleagues who have joined already.
const RuleBelowJoined = "below_joined"

// RuleTooMany is the problem of a list longer than allowed; Args["Max"] says how long.
const RuleTooMany = "too_many"

// Invitation statuses, as the team page and the API name them.
const (
	InvitationUnused   = "unused"   // nobody has pressed Start on the link
	InvitationJoined   = "joined"   // a device has, and has not finished
	InvitationFinished = "finished" // that colleague's answers count
	InvitationRemoved  = "removed"  // a device used it, and the colleague was removed since
)

// Invitation is a personal link of a team round: the link admits one device once.
type Invitation struct {
	ID      int64
	RoundID int64
	// Token is the secret of the link, /i/{Token}: 128 random bits.
	Token string
	// Label is the name the holder gave it, shown to the holder and on the link's own
	// welcome, never beside anyone's answers.
	Label     string
	CreatedAt time.Time
	// UsedAt is when a device pressed Start on the link; zero while unused. A used link
	// stays used, even when its colleague is removed: it never admits a second device.
	UsedAt time.Time
	// ParticipantID is the participant the link admitted; 0 while unused, or once that
	// participant was removed.
	ParticipantID int64
	// Finished reports whether that participant has finished.
	Finished bool
}

// Used reports whether a device has pressed Start on the link.
func (i *Invitation) Used() bool { return !i.UsedAt.IsZero() }

// Status is one of the Invitation* statuses.
func (i *Invitation) Status() string {
	switch {
	case !i.Used():
		return InvitationUnused
	case i.ParticipantID == 0:
		return InvitationRemoved
	case i.Finished:
		return InvitationFinished
	}
	return InvitationJoined
}

// CheckRemove returns ECONFLICT for a link whose colleague has finished: their answers are in
// the team's result, and taking them out would show them as the difference.
func (i *Invitation) CheckRemove() error {
	if i.Status() == InvitationFinished {
		return NewError(ECONFLICT, MsgInvitationFinished, Args{"Label": i.Label})
	}
	return nil
}

// CheckUse returns why the link cannot admit a new device: ECONFLICT when a device has used
// it already (MsgInvitationUsed) or when the round is full (MsgTeamFull).
func (i *Invitation) CheckUse(places Places) error {
	if i.Used() {
		return NewError(ECONFLICT, MsgInvitationUsed, nil)
	}
	if places.Full() {
		return NewError(ECONFLICT, MsgTeamFull, Args{"Count": places.Cap})
	}
	return nil
}

// Places counts the places for colleagues in a team round.
type Places struct {
	// Cap is how many colleagues may join by personal link: the holder's cap, or without one
	// the number of personal links.
	Cap int
	// Taken is how many personal links have been used.
	Taken int
}

// Full reports whether no further colleague may join.
func (p Places) Full() bool { return p.Taken >= p.Cap }

// PlacesOf counts the places of team t with its personal links.
func (t *Team) PlacesOf(links []Invitation) Places {
	p := Places{Cap: t.Cap}
	for _, l := range links {
		if l.Used() {
			p.Taken++
		}
	}
	if t.Cap == 0 {
		p.Cap = len(links)
	}
	return p
}

// CheckJoinByCode returns EFORBIDDEN for a team round: its join code admits nobody new, only
// personal links do. A workshop round, or a team round a consultant took over, admits the
// room by its code.
func (r *Round) CheckJoinByCode() error {
	if r.IsTeam() {
		return NewError(EFORBIDDEN, MsgTeamByInvitation, nil)
	}
	return nil
}

// ParseInvitationLabels reads the holder's list of colleagues: one name a line, blank lines
// skipped, each a clean text of at most MaxInvitationLabel characters, none twice (ignoring
// case), none already among existing, and at most MaxInvitations in all. Problems name
// their line.
func ParseInvitationLabels(text string, existing []Invitation) ([]string, error) {
	seen := map[string]bool{}
	for _, l := range existing {
		seen[strings.ToLower(l.Label)] = true
	}
	var labels []string
	var problems []FieldError
	for n, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		label, ps := CleanText(FieldInvitationLabels, line, MaxInvitationLabel)
		for _, p := range ps {
			p.Args = withLine(p.Args, n+1)
			problems = append(problems, p)
		}
		if len(ps) > 0 || label == "" {
			continue
		}
		key := strings.ToLower(label)
		if seen[key] {
			problems = append(problems, FieldError{Field: FieldInvitationLabels, Rule: RuleDuplicate, Args: Args{"Line": n + 1, "Label": label}})
			continue
		}
		seen[key] = true
		labels = append(labels, label)
	}
	if len(problems) == 0 && len(labels) == 0 {
		problems = append(problems, FieldError{Field: FieldInvitationLabels, Rule: RuleRequired})
	}
	if len(problems) == 0 && len(existing)+len(labels) > MaxInvitations {
		problems = append(problems, FieldError{Field: FieldInvitationLabels, Rule: RuleTooMany,
			Args: Args{"Max": MaxInvitations, "Left": max(0, MaxInvitations-len(existing))}})
	}
	if len(problems) > 0 {
		return nil, Invalid(problems)
	}
	return labels, nil
}

func withLine(args Args, line int) Args {
	out := Args{"Line": line}
	for k, v := range args {
		out[k] = v
	}
	return out
}

// CheckCap validates a cap on the colleagues of a team round: 0 (one place per personal
// link) or from 1 to MaxInvitations, and not below the places taken already.
func CheckCap(cap int, taken int) error {
	switch {
	case cap < 0 || cap > MaxInvitations:
		return Invalid([]FieldError{{Field: FieldTeamCap, Rule: RuleRange, Args: Args{"Min": 1, "Max": MaxInvitations}}})
	case cap != 0 && cap < taken:
		return Invalid([]FieldError{{Field: FieldTeamCap, Rule: RuleBelowJoined, Args: Args{"Joined": taken}}})
	}
	return nil
}

// InvitationTokenLength is the length of a personal link's token: 128 random bits as
// URL-safe base64, like a team link's.
const InvitationTokenLength = TeamTokenLength
