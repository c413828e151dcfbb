package assessment_test

import (
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestParseInvitationLabels(t *testing.T) {
	existing := []assessment.Invitation{{Label: "Ida Hansen"}}
	many := ""
	for i := range assessment.MaxInvitations {
		many += "P" + string(rune('A'+i%26)) + string(rune('a'+i/26)) + "\n"
	}
	tests := []struct {
		name, text string
		want       []string
		rule       string
		line       int
	}{
		{"lines, blanks and spaces", "Ole\r\n\n  Kim Berg \n", []string{"Ole", "Kim Berg"}, "", 0},
		{"a name already given, any case", "Ole\nida hansen", nil, assessment.RuleDuplicate, 2},
		{"a name twice in the list", "Ole\nKim\nole", nil, assessment.RuleDuplicate, 3},
		{"too long", "Ole\n" + strings.Repeat("é", assessment.MaxInvitationLabel+1), nil, assessment.RuleTooLong, 2},
		{"a control character", "Ole\x07", nil, assessment.RuleControl, 1},
		{"nothing", " \n\n", nil, assessment.RuleRequired, 0},
		{"more than the most with the one there", many, nil, assessment.RuleTooMany, 0},
	}
	for _, tt := range tests {
		got, err := assessment.ParseInvitationLabels(tt.text, existing)
		if tt.rule == "" {
			if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s: ParseInvitationLabels = %q, %v; want %q", tt.name, got, err, tt.want)
			}
			continue
		}
		fes := assessment.FieldErrors(err)
		if len(fes) != 1 || fes[0].Rule != tt.rule || fes[0].Field != assessment.FieldInvitationLabels || got != nil {
			t.Errorf("%s: ParseInvitationLabels = %q, %v; want one %s problem", tt.name, got, err, tt.rule)
			continue
		}
		if line, _ := fes[0].Args["Line"].(int); line != tt.line {
			t.Errorf("%s: problem on line %v, want %d", tt.name, fes[0].Args["Line"], tt.line)
		}
	}
}

func TestCheckCap(t *testing.T) {
	tests := []struct {
		cap, taken int
		rule       string
	}{
		{0, 7, ""}, {3, 3, ""}, {1, 0, ""}, {assessment.MaxInvitations, 0, ""},
		{-1, 0, assessment.RuleRange}, {assessment.MaxInvitations + 1, 0, assessment.RuleRange},
		{2, 3, assessment.RuleBelowJoined},
	}
	for _, tt := range tests {
		err := assessment.CheckCap(tt.cap, tt.taken)
		fes := assessment.FieldErrors(err)
		if (tt.rule == "") != (err == nil) || tt.rule != "" && (len(fes) != 1 || fes[0].Rule != tt.rule) {
			t.Errorf("CheckCap(%d, %d) = %v, want rule %q", tt.cap, tt.taken, err, tt.rule)
		}
	}
}

func TestInvitationRules(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	unused := assessment.Invitation{Label: "Ole"}
	joined := assessment.Invitation{Label: "Ida", UsedAt: now, ParticipantID: 7}
	finished := assessment.Invitation{Label: "Kim", UsedAt: now, ParticipantID: 8, Finished: true}
	removed := assessment.Invitation{Label: "Bo", UsedAt: now}
	for _, tt := range []struct {
		i          assessment.Invitation
		status     string
		removeCode string
		useKey     string
	}{
		{unused, assessment.InvitationUnused, "", ""},
		{joined, assessment.InvitationJoined, "", assessment.MsgInvitationUsed},
		{finished, assessment.InvitationFinished, assessment.ECONFLICT, assessment.MsgInvitationUsed},
		{removed, assessment.InvitationRemoved, "", assessment.MsgInvitationUsed},
	} {
		if got := tt.i.Status(); got != tt.status {
			t.Errorf("Status(%s) = %s, want %s", tt.i.Label, got, tt.status)
		}
		if got := assessment.ErrorCode(tt.i.CheckRemove()); got != tt.removeCode {
			t.Errorf("CheckRemove(%s) = %q, want %q", tt.i.Label, got, tt.removeCode)
		}
		key := ""
		if e, ok := assessment.AsError(tt.i.CheckUse(assessment.Places{Cap: 9, Taken: 1})); ok {
			key = e.Key
		}
		if key != tt.useKey {
			t.Errorf("CheckUse(%s) = %q, want %q", tt.i.Label, key, tt.useKey)
		}
	}
	// Places: one per link by default, the holder's cap otherwise; used links take them.
	links := []assessment.Invitation{unused, joined, finished, removed}
	for _, tt := range []struct {
		cap  int
		want assessment.Places
		full bool
	}{{0, assessment.Places{Cap: 4, Taken: 3}, false}, {3, assessment.Places{Cap: 3, Taken: 3}, true}} {
		team := assessment.Team{Cap: tt.cap}
		got := team.PlacesOf(links)
		if got != tt.want || got.Full() != tt.full {
			t.Errorf("PlacesOf with cap %d = %+v (full %v), want %+v (full %v)", tt.cap, got, got.Full(), tt.want, tt.full)
		}
		if err := unused.CheckUse(got); (assessment.ErrorCode(err) == assessment.ECONFLICT) != tt.full {
			t.Errorf("CheckUse(unused) with cap %d = %v, want refused %v", tt.cap, err, tt.full)
		}
	}
	team := assessment.Round{}
	if err := team.CheckJoinByCode(); assessment.ErrorCode(err) != assessment.EFORBIDDEN {
		t.Errorf("CheckJoinByCode(team round) = %v, want forbidden", err)
	}
	ws := assessment.Round{WorkspaceID: 3}
	if err := ws.CheckJoinByCode(); err != nil {
		t.Errorf("CheckJoinByCode(workshop round) = %v, want nil", err)
	}
}
