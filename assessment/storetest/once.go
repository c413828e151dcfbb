package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// testCreateAssessmentOnce: a key stores one assessment; its repeat gets the first response
// and stores nothing; another request under it is ErrOnceMismatch with the first response;
// 24 hours later it is forgotten; deleting the assessment deletes its key.
func testCreateAssessmentOnce(t *testing.T, d Database) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	db := d.Open(t, func() time.Time { return now })
	ctx := context.Background()
	once, err := assessment.NewOnce("api:assessments", "0123456789abcdef-key", []byte("body 1"))
	if err != nil {
		t.Fatal(err)
	}
	respond := func(token string) assessment.OnceResponse {
		return assessment.OnceResponse{Status: 201, Location: "/r/" + token, Body: []byte(`{"token":"` + token + `"}`)}
	}
	if r, err := db.OnceResponse(ctx, once); r != nil || err != nil {
		t.Fatalf("OnceResponse of a new key = %v, %v; want nil, nil", r, err)
	}
	a := sample()
	if r, err := db.CreateAssessmentOnce(ctx, a, once, respond); r != nil || err != nil || a.Token == "" {
		t.Fatalf("CreateAssessmentOnce = %v, %v (token %q); want stored", r, err, a.Token)
	}
	want := respond(a.Token)
	b := sample()
	r, err := db.CreateAssessmentOnce(ctx, b, once, respond)
	if err != nil || r == nil || !reflect.DeepEqual(*r, want) || b.Token != "" {
		t.Errorf("repeat = %+v, %v (token %q); want the first response %+v and nothing stored", r, err, b.Token, want)
	}
	if r, err := db.OnceResponse(ctx, once); err != nil || r == nil || !reflect.DeepEqual(*r, want) {
		t.Errorf("OnceResponse = %+v, %v; want %+v", r, err, want)
	}
	other := *once
	other.RequestHash = "another request"
	if r, err := db.CreateAssessmentOnce(ctx, sample(), &other, respond); !errors.Is(err, assessment.ErrOnceMismatch) || r == nil || r.Location != want.Location {
		t.Errorf("another request under the key = %+v, %v; want ErrOnceMismatch with the first response", r, err)
	}
	elsewhere := *once
	elsewhere.Scope = "form:test"
	if r, err := db.OnceResponse(ctx, &elsewhere); r != nil || err != nil {
		t.Errorf("the key in another scope = %+v, %v; want unknown", r, err)
	}
	now = now.Add(assessment.OnceTTL)
	if r, err := db.OnceResponse(ctx, once); r != nil || err != nil {
		t.Errorf("the key 24 hours later = %+v, %v; want forgotten", r, err)
	}
	c := sample()
	if r, err := db.CreateAssessmentOnce(ctx, c, once, respond); r != nil || err != nil || c.Token == a.Token {
		t.Errorf("the key 24 hours later stores = %+v, %v; want a new assessment", r, err)
	}
	if err := db.DeleteAssessment(ctx, c.Token); err != nil {
		t.Fatal(err)
	}
	if r, err := db.OnceResponse(ctx, once); r != nil || err != nil {
		t.Errorf("the key of a deleted assessment = %+v, %v; want gone with it", r, err)
	}
}

// testDevices: a device is known to the member it signed in as until it expires, and goes
// with the member.
func testDevices(t *testing.T, d Database) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	db := d.Open(t, func() time.Time { return now })
	ctx := context.Background()
	ws, err := db.EnsureWorkspace(ctx, "Alpha")
	if err != nil {
		t.Fatal(err)
	}
	u := &assessment.User{Email: "ann@alpha.example", Name: "Ann", Role: assessment.RoleAdmin}
	if err := db.CreateUser(ctx, ws.ID, u, "hash"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateDevice(ctx, u.ID, "device-hash", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, hash string
		at         time.Time
		want       int64
	}{
		{"known", "device-hash", now, u.ID},
		{"unknown", "other-hash", now, 0},
		{"expired", "device-hash", now.Add(time.Hour), 0},
	} {
		now = c.at
		if got, err := db.DeviceUser(ctx, c.hash); err != nil || got != c.want {
			t.Errorf("DeviceUser(%s) = %d, %v; want %d", c.name, got, err, c.want)
		}
	}
}
