package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var operatorTests = []test{
	{"operator accounts sign in like members and belong to no workspace", testOperatorAccounts},
	{"a suspended workspace refuses its sessions and tokens", testSuspendWorkspace},
	{"the operator audit log is its own", testOperatorAudit},
	{"workspace usage and members for the operator", testWorkspaceSummaries},
	{"outbox state shows no address", testOutboxState},
	{"rejected tests wait no more", testRejectAssessment},
	{"pool health previews the next release", testPoolHealth},
}

// testOperatorAccounts: an operator is created with a set-password link (a password reset
// row) and no usable password, is found by email with workspace 0, can hold a session, is
// in no workspace's member list, and is removed with its sessions; an address with an
// account is taken.
func testOperatorAccounts(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	op, err := assessment.NewOperator(" Olga@Ops.Example ")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.CreateOperator(ctx, &op, "set-pw", time.Now().Add(time.Hour), mailTo(op.Email)); err != nil {
		t.Fatal(err)
	}
	u, hash, err := f.db.UserByEmail(ctx, "olga@ops.example")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != op.ID || u.WorkspaceID != 0 || u.Role != assessment.RoleOperator || u.Name != "olga" || hash != "!" {
		t.Errorf("UserByEmail(operator) = %+v, hash %q; want id %d, workspace 0, role operator, name olga, hash !", u, hash, op.ID)
	}
	if ru, err := f.db.PasswordResetUser(ctx, "set-pw"); err != nil || ru.ID != op.ID {
		t.Errorf("PasswordResetUser(set-password link) = %v, %v; want the operator", ru, err)
	}
	if err := f.db.CreateSession(ctx, op.ID, "op-sess", "csrf", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s, err := f.db.Session(ctx, "op-sess"); err != nil || !s.User.IsOperator() || s.User.WorkspaceID != 0 {
		t.Errorf("Session(operator's) = %+v, %v; want the operator without a workspace", s, err)
	}
	member, _ := assessment.NewUser("anna@alpha.example", "Anna", assessment.RoleAdmin)
	if err := f.db.CreateUser(ctx, f.a.ID, &member, "x"); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"olga@ops.example", "anna@alpha.example"} {
		again, _ := assessment.NewOperator(email)
		if err := f.db.CreateOperator(ctx, &again, "other-"+email, time.Now().Add(time.Hour), mailTo(email)); assessment.ErrorCode(err) != assessment.ECONFLICT {
			t.Errorf("CreateOperator(%s, taken) = %v, want ECONFLICT", email, err)
		}
	}
	if ms, err := f.db.Members(ctx, f.a.ID); err != nil || len(ms) != 1 || ms[0].ID != member.ID {
		t.Errorf("Members(A) = %v, %v; want Anna only", ms, err)
	}
	ops, err := f.db.Operators(ctx)
	if err != nil || len(ops) != 1 || ops[0].Email != "olga@ops.example" {
		t.Errorf("Operators() = %v, %v; want olga only", ops, err)
	}
	if _, err := f.db.RemoveOperator(ctx, "anna@alpha.example"); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("RemoveOperator(a member) = %v, want ENOTFOUND", err)
	}
	if gone, err := f.db.RemoveOperator(ctx, "OLGA@ops.example"); err != nil || gone.ID != op.ID {
		t.Fatalf("RemoveOperator(olga) = %v, %v", gone, err)
	}
	if _, err := f.db.Session(ctx, "op-sess"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("Session(removed operator's) = %v, want EUNAUTHORIZED", err)
	}
}

// testSuspendWorkspace: suspending ends the members' sessions and refuses their tokens; the
// member is still found (to be told why at sign-in); resuming lets tokens work again.
func testSuspendWorkspace(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	u, _ := assessment.NewUser("anna@alpha.example", "Anna", assessment.RoleAdmin)
	if err := f.db.CreateUser(ctx, f.a.ID, &u, "x"); err != nil {
		t.Fatal(err)
	}
	other, _ := assessment.NewUser("bo@beta.example", "Bo", assessment.RoleAdmin)
	if err := f.db.CreateUser(ctx, f.b.ID, &other, "x"); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*assessment.User{&u, &other} {
		if err := f.db.CreateSession(ctx, m.ID, "sess-"+m.Email, "csrf", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := f.db.CreateAPIToken(ctx, m.ID, "tok-"+m.Email, &assessment.APIToken{Name: "t", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	w, err := f.db.SetWorkspaceSuspended(ctx, f.a.ID, true)
	if err != nil || w.Name != "Alpha Consulting" {
		t.Fatalf("SetWorkspaceSuspended(A) = %v, %v", w, err)
	}
	if _, err := f.db.Session(ctx, "sess-anna@alpha.example"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("Session(suspended member's) = %v, want EUNAUTHORIZED", err)
	}
	if _, err := f.db.APITokenUser(ctx, "tok-anna@alpha.example"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("APITokenUser(suspended member's) = %v, want EUNAUTHORIZED", err)
	}
	if found, _, err := f.db.UserByEmail(ctx, "anna@alpha.example"); err != nil || !found.Suspended {
		t.Errorf("UserByEmail(suspended member) = %+v, %v; want Suspended", found, err)
	}
	if _, err := f.db.Session(ctx, "sess-bo@beta.example"); err != nil {
		t.Errorf("Session(another workspace's) = %v, want it untouched", err)
	}
	if _, err := f.db.SetWorkspaceSuspended(ctx, f.a.ID, false); err != nil {
		t.Fatal(err)
	}
	if tu, err := f.db.APITokenUser(ctx, "tok-anna@alpha.example"); err != nil || tu.ID != u.ID || tu.Suspended {
		t.Errorf("APITokenUser(resumed member's) = %v, %v; want Anna", tu, err)
	}
	if _, err := f.db.SetWorkspaceSuspended(ctx, 999999, true); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("SetWorkspaceSuspended(unknown) = %v, want ENOTFOUND", err)
	}
}

// testOperatorAudit: an operator-scoped event is in the operator log only, even when it names
// a workspace's id by mistake; workspace events never are.
func testOperatorAudit(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	for _, e := range []assessment.AuditEvent{
		{WorkspaceID: f.a.ID, Action: assessment.AuditSignIn, Address: "192.0.2.1"},
		{Scope: assessment.AuditScopeOperator, ActorName: "olga", Action: assessment.AuditWorkspaceSuspend, Target: assessment.AuditTarget(assessment.TargetWorkspace, f.a.ID), Address: "192.0.2.9"},
		{Scope: assessment.AuditScopeOperator, WorkspaceID: f.a.ID, ActorName: "cli", Action: assessment.AuditOperatorAdded, Address: assessment.AuditAddressCLI},
	} {
		if err := f.db.RecordAudit(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
	ops, err := f.db.OperatorAuditEvents(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 2 || ops[0].Action != assessment.AuditOperatorAdded || ops[1].Action != assessment.AuditWorkspaceSuspend ||
		ops[0].Scope != assessment.AuditScopeOperator || ops[0].WorkspaceID != 0 || ops[1].Address != "192.0.2.9" {
		t.Errorf("OperatorAuditEvents = %+v, want operator.added then workspace.suspended, no workspace", ops)
	}
	if page, err := f.db.OperatorAuditEvents(ctx, ops[0].ID, 10); err != nil || len(page) != 1 || page[0].ID != ops[1].ID {
		t.Errorf("OperatorAuditEvents(before newest) = %v, %v; want the older one", page, err)
	}
	ws, err := f.db.AuditEvents(ctx, f.a.ID, 0, 10)
	if err != nil || len(ws) != 1 || ws[0].Action != assessment.AuditSignIn {
		t.Errorf("AuditEvents(A) = %v, %v; want its sign-in only", ws, err)
	}
}

// testWorkspaceSummaries: the fixture's workspace A has one client and one round; two
// participants answer, one member signs in; B is empty.
func testWorkspaceSummaries(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	// The fixture opened its round on the real clock: what follows happens later.
	at := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	f.now = func() time.Time { return at }
	u, _ := assessment.NewUser("anna@alpha.example", "Anna", assessment.RoleAdmin)
	if err := f.db.CreateUser(ctx, f.a.ID, &u, "x"); err != nil {
		t.Fatal(err)
	}
	c, _ := assessment.NewUser("carl@alpha.example", "Carl", assessment.RoleConsultant)
	if err := f.db.CreateUser(ctx, f.a.ID, &c, "x"); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"p1", "p2"} {
		if err := f.answer(t, tok, false, ratings(assessment.CompetencyCount)); err != nil {
			t.Fatal(err)
		}
	}
	signIn := at.Add(3 * time.Hour)
	if err := f.db.RecordAudit(ctx, &assessment.AuditEvent{WorkspaceID: f.a.ID, At: signIn, ActorID: u.ID, ActorName: "Anna", Action: assessment.AuditSignIn}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.StartTOTP(ctx, c.ID, "sealed"); err != nil {
		t.Fatal(err)
	}
	if ok, err := f.db.EnableTOTP(ctx, c.ID, 1, []string{"r1"}); err != nil || !ok {
		t.Fatalf("EnableTOTP = %v, %v", ok, err)
	}
	sums, err := f.db.WorkspaceSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 {
		t.Fatalf("WorkspaceSummaries = %d workspaces, want 2", len(sums))
	}
	a, b := sums[0], sums[1]
	if a.Name != "Alpha Consulting" || a.Members != 2 || a.Clients != 1 || a.Rounds != 1 || a.Participants != 2 || !a.LastActivity.Equal(signIn) || a.Suspended() {
		t.Errorf("WorkspaceSummaries[A] = %+v, want 2 members, 1 client, 1 round, 2 participants, last activity %v", a, signIn)
	}
	if b.Name != "Beta Advisory" || b.Members != 0 || b.Clients != 0 || b.Rounds != 0 || !b.LastActivity.IsZero() {
		t.Errorf("WorkspaceSummaries[B] = %+v, want empty", b)
	}
	ms, err := f.db.WorkspaceMembers(ctx, f.a.ID)
	if err != nil || len(ms) != 2 {
		t.Fatalf("WorkspaceMembers(A) = %v, %v", ms, err)
	}
	if ms[0].Name != "Anna" || !ms[0].LastSignIn.Equal(signIn) || ms[0].SecondFactor || ms[1].Name != "Carl" || !ms[1].LastSignIn.IsZero() || !ms[1].SecondFactor {
		t.Errorf("WorkspaceMembers(A) = %+v, want Anna (signed in %v, one factor) and Carl (never, with an authenticator)", ms, signIn)
	}
	if _, err := f.db.WorkspaceMembers(ctx, 999999); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("WorkspaceMembers(unknown) = %v, want ENOTFOUND", err)
	}
}

// testOutboxState: one message of each state; the failed one's error named its recipient,
// which the console sees as a domain only.
func testOutboxState(t *testing.T, d Database) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db := d.Open(t, func() time.Time { return now })
	var ids []int64
	for _, to := range []string{"queued@x.example", "retry@y.example", "sent@x.example", "gone@z.example"} {
		m := mailTo(to)
		if err := db.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if err := db.MailFailed(ctx, ids[1], now, now.Add(10*time.Minute), false, "450 retry@y.example: mailbox busy"); err != nil {
		t.Fatal(err)
	}
	if err := db.MailSent(ctx, ids[2], now); err != nil {
		t.Fatal(err)
	}
	if err := db.MailFailed(ctx, ids[3], now, now, true, "550 <gone@z.example> unknown"); err != nil {
		t.Fatal(err)
	}
	counts, list, err := db.OutboxState(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range assessment.OutboxStates {
		if counts[s] != 1 {
			t.Errorf("OutboxState counts[%s] = %d, want 1 (%v)", s, counts[s], counts)
		}
	}
	if len(list) != 2 || list[0].ID != ids[3] || list[1].ID != ids[1] {
		t.Fatalf("OutboxState list = %+v, want the failed then the retrying message", list)
	}
	if got := list[0]; got.RecipientHost != "z.example" || got.LastError != "550 <…@z.example> unknown" || got.Retrying || !got.NextAt.IsZero() || got.Attempts != 1 {
		t.Errorf("failed message = %+v, want domain z.example, the address hidden, no next attempt", got)
	}
	if got := list[1]; got.RecipientHost != "y.example" || got.LastError != "450 …@y.example: mailbox busy" || !got.Retrying || !got.NextAt.Equal(now.Add(10*time.Minute)) {
		t.Errorf("retrying message = %+v, want domain y.example, the address hidden, next attempt in 10 minutes", got)
	}
}

// testRejectAssessment: a rejected test is pending no more; one in the pool cannot be
// rejected; a verified one is listed for unverifying.
func testRejectAssessment(t *testing.T, d Database) {
	ctx := context.Background()
	db := d.Open(t, nil)
	q := Questionnaire(t)
	var ids []int64
	for range 3 {
		a := sample()
		a.QuestionnaireVersion = q.Version
		if err := db.CreateAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if err := db.RejectAssessment(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if in, err := db.VerifyAssessment(ctx, q, ids[1]); err != nil || !in {
		t.Fatalf("VerifyAssessment = %v, %v", in, err)
	}
	if err := db.RejectAssessment(ctx, ids[1]); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("RejectAssessment(in the pool) = %v, want ECONFLICT", err)
	}
	if err := db.RejectAssessment(ctx, 999999); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("RejectAssessment(unknown) = %v, want ENOTFOUND", err)
	}
	pending, err := db.PendingAssessments(ctx, q.Version)
	if err != nil || len(pending) != 1 || pending[0].ID != ids[2] {
		t.Errorf("PendingAssessments = %v, %v; want only test %d", idsOf(pending), err, ids[2])
	}
	verified, err := db.VerifiedAssessments(ctx, q.Version, 10)
	if err != nil || len(verified) != 1 || verified[0].ID != ids[1] || verified[0].Company.Industry != "retail" {
		t.Errorf("VerifiedAssessments = %v, %v; want test %d with its profile", idsOf(verified), err, ids[1])
	}
}

// testPoolHealth: four verified companies are too few for any group (withheld: below the
// threshold); with six, the first release would publish every group they fill.
func testPoolHealth(t *testing.T, d Database) {
	ctx := context.Background()
	db := d.Open(t, nil)
	q := Questionnaire(t)
	verify := func(i int) {
		t.Helper()
		a := sample()
		a.QuestionnaireVersion = q.Version
		a.Company.Name = fmt.Sprintf("Company %d", i)
		if err := db.CreateAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
		if in, err := db.VerifyAssessment(ctx, q, a.ID); err != nil || !in {
			t.Fatalf("VerifyAssessment = %v, %v", in, err)
		}
	}
	check := func(companies int, next assessment.Decision, reason string) {
		t.Helper()
		h, err := db.PoolHealth(ctx, q.Version)
		if err != nil {
			t.Fatal(err)
		}
		if h.Companies != companies || h.Status.Latest != 0 || len(h.Groups) == 0 {
			t.Fatalf("PoolHealth = %+v, want %d companies, no release", h, companies)
		}
		for _, g := range h.Groups {
			if g.Live != companies || g.Next != next || g.Reason != reason || g.Published != 0 {
				t.Errorf("PoolHealth group %v = %+v, want %d live, decision %d (%s)", g.PeerGroup, g, companies, next, reason)
			}
		}
	}
	for i := range 4 {
		verify(i)
	}
	check(4, assessment.Hide, assessment.HealthBelow)
	for i := 4; i < 6; i++ {
		verify(i)
	}
	check(6, assessment.Publish, assessment.HealthPublish)
	vs, err := db.PoolVersions(ctx)
	if err != nil || len(vs) != 1 || vs[q.Version] != 6 {
		t.Errorf("PoolVersions = %v, %v; want {%s: 6}", vs, err, q.Version)
	}
}
