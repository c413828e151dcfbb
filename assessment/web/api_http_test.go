package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAPICreatedLocation creates one of everything the API creates and follows each 201's
// Location: it must be the API address of what was created, which answers it.
func TestAPICreatedLocation(t *testing.T) {
	e := newWSEnv(t)
	ann, tok := e.browser(), e.token("ann@alpha.example")
	created := func(what string, res *response) map[string]any {
		t.Helper()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create %s = %d, want 201: %s", what, res.StatusCode, res.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(res.Body, &out); err != nil {
			t.Fatalf("create %s body %s: %v", what, res.Body, err)
		}
		return out
	}
	follow := func(what, loc, want string, token string) {
		t.Helper()
		if loc != want {
			t.Errorf("create %s: Location = %q, want %q", what, loc, want)
			return
		}
		if res := ann.api("GET", loc, token, ""); res.StatusCode != http.StatusOK {
			t.Errorf("create %s: GET Location %s = %d, want 200", what, loc, res.StatusCode)
		}
	}

	res := e.postJSON("/api/v1/assessments", mustJSON(t, map[string]any{"answers": uniform(2, 4).answers()}))
	result := created("assessment", res)["token"].(string)
	follow("assessment", res.Header.Get("Location"), "/api/v1/assessments/"+result, "")

	res = e.postJSON("/api/v1/assessments/"+result+"/team", []byte(`{}`))
	team := created("team", res)
	follow("team", res.Header.Get("Location"), "/api/v1/teams/"+team["team_token"].(string), "")

	res = ann.api("POST", "/api/v1/clients", tok, `{"name":"Acme A/S","industry":"retail","size":"50-249","country":"DK","nps_years":"1-5"}`)
	client := int64(created("client", res)["id"].(float64))
	follow("client", res.Header.Get("Location"), "/api/v1/clients/"+id64(client), tok)

	res = ann.api("POST", "/api/v1/clients/"+id64(client)+"/rounds", tok, `{"title":"Kick-off","lang":"en"}`)
	round := created("round", res)
	follow("round", res.Header.Get("Location"), "/api/v1/rounds/"+id64(int64(round["id"].(float64))), tok)

	res = ann.api("POST", "/api/v1/rounds/"+id64(int64(round["id"].(float64)))+"/battles", tok, `{"competency":3,"title":"Onboarding"}`)
	battle := int64(created("battle", res)["id"].(float64))
	follow("battle", res.Header.Get("Location"), "/api/v1/battles/"+id64(battle), tok)

	code := round["code"].(string)
	res = e.postJSON("/api/v1/join/"+code, mustJSON(t, map[string]any{"name": "Pia", "answers": uniform(2, 4).answers()}))
	created("participant", res)
	if loc := res.Header.Get("Location"); loc != "/api/v1/join/"+code {
		t.Errorf("join: Location = %q, want /api/v1/join/%s (where the answers are replaced)", loc, code)
	}
}

// TestAPIBattleIfMatch replays a lost update: two clients read the same battle, the first
// changes it, and the second's change, sent with the tag it read, is refused with 412 and
// leaves the first one's change alone; sent with the new tag, or without If-Match, it is made.
func TestAPIBattleIfMatch(t *testing.T) {
	e := newWSEnv(t)
	ann, tok := e.browser(), e.token("ann@alpha.example")
	res := ann.api("POST", "/api/v1/clients", tok, `{"name":"Acme A/S","industry":"retail","size":"50-249","country":"DK","nps_years":"1-5"}`)
	var cl struct{ ID int64 }
	_ = json.Unmarshal(res.Body, &cl)
	res = ann.api("POST", "/api/v1/clients/"+id64(cl.ID)+"/rounds", tok, `{"title":"Kick-off","lang":"en"}`)
	var rd struct{ ID int64 }
	_ = json.Unmarshal(res.Body, &rd)
	res = ann.api("POST", "/api/v1/rounds/"+id64(rd.ID)+"/battles", tok, `{"competency":3,"title":"Onboarding"}`)
	created := res.Header.Get("ETag")
	path := res.Header.Get("Location")

	read := ann.api("GET", path, tok, "", "Accept-Encoding", "identity")
	tag := read.Header.Get("ETag")
	if read.StatusCode != http.StatusOK || !strings.HasPrefix(tag, `"`) || tag != created {
		t.Fatalf("GET %s = %d, ETag %q; want 200 and the strong tag of the 201, %q", path, read.StatusCode, tag, created)
	}
	if res := ann.api("GET", path, tok, "", "If-None-Match", tag); res.StatusCode != http.StatusNotModified || len(res.Body) != 0 {
		t.Errorf("GET %s If-None-Match its tag = %d with %d bytes, want 304 and no body", path, res.StatusCode, len(res.Body))
	}
	first := ann.api("PATCH", path, tok, `{"owner":"Ann"}`, "If-Match", tag)
	if first.StatusCode != http.StatusOK || first.Header.Get("ETag") == tag {
		t.Fatalf("first PATCH = %d, ETag %q; want 200 and a new tag", first.StatusCode, first.Header.Get("ETag"))
	}
	stale := ann.api("PATCH", path, tok, `{"owner":"Bob"}`, "If-Match", tag)
	if stale.StatusCode != http.StatusPreconditionFailed {
		t.Fatalf("PATCH with the stale tag = %d, want 412: %s", stale.StatusCode, stale.Body)
	}
	if p := problemOf(t, stale); p.Code != "stale" {
		t.Errorf("412 code = %q, want stale", p.Code)
	}
	var b struct{ Owner string }
	_ = json.Unmarshal(ann.api("GET", path, tok, "").Body, &b)
	if b.Owner != "Ann" {
		t.Errorf("owner after the refused PATCH = %q, want Ann's change kept", b.Owner)
	}
	for _, tt := range []struct{ name, ifMatch, owner string }{
		{"the new tag", first.Header.Get("ETag"), "Bob"},
		{"a list with the current tag", `"0000", ` + "CURRENT", "Cid"},
		{"any", "*", "Dan"},
		{"no If-Match", "", "Eve"},
	} {
		cur := ann.api("GET", path, tok, "").Header.Get("ETag")
		h := []string{}
		if tt.ifMatch != "" {
			h = []string{"If-Match", strings.Replace(tt.ifMatch, "CURRENT", cur, 1)}
		}
		res := ann.api("PATCH", path, tok, `{"owner":"`+tt.owner+`"}`, h...)
		if res.StatusCode != http.StatusOK {
			t.Errorf("PATCH with %s = %d, want 200: %s", tt.name, res.StatusCode, res.Body)
		}
	}
	// A weak tag never matches If-Match (strong comparison).
	cur := ann.api("GET", path, tok, "").Header.Get("ETag")
	if res := ann.api("PATCH", path, tok, `{"owner":"Fay"}`, "If-Match", "W/"+cur); res.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("PATCH with the weak form of the current tag = %d, want 412", res.StatusCode)
	}
}

// TestAPIETags checks that every kind of API resource read carries a strong ETag that
// changes with it and answers If-None-Match with 304.
func TestAPIETags(t *testing.T) {
	e := newWSEnv(t)
	ann, tok := e.browser(), e.token("ann@alpha.example")
	result := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers()})
	for _, path := range []string{"/api/v1/assessments/" + result, "/api/v1/benchmark", "/api/v1/clients"} {
		res := ann.api("GET", path, tok, "")
		tag := res.Header.Get("ETag")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(tag, `"`) {
			t.Errorf("GET %s = %d, ETag %q; want 200 with a strong tag", path, res.StatusCode, tag)
			continue
		}
		if again := ann.api("GET", path, tok, "", "If-None-Match", tag); again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s If-None-Match %s = %d, want 304", path, tag, again.StatusCode)
		}
	}
	before := ann.api("GET", "/api/v1/clients", tok, "").Header.Get("ETag")
	ann.api("POST", "/api/v1/clients", tok, `{"name":"Beta ApS","industry":"retail","size":"50-249","country":"DK","nps_years":"1-5"}`)
	if after := ann.api("GET", "/api/v1/clients", tok, "", "If-None-Match", before); after.StatusCode != http.StatusOK || after.Header.Get("ETag") == before {
		t.Errorf("GET /api/v1/clients after a new client, If-None-Match the old tag = %d, ETag %q; want 200 and a new tag", after.StatusCode, after.Header.Get("ETag"))
	}
}

// id64 formats an id for a path.
func id64(n int64) string { return fmt.Sprint(n) }
