package web

// Passkeys as people use them, in Chromium with its virtual authenticator (a CTAP2 platform
// authenticator that keeps resident keys and verifies its user): Ann adds a passkey on
// /w/account/passkeys, signs out, signs in with the passkey and no password, removes it, and
// then the same authenticator no longer signs her in. With LOYALTY_SCREENSHOT_DIR set it saves
// both pages at phone and desktop width.

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	cdpwebauthn "github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestPasskeysInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t)
	e := newWSEnv(t)
	// The browser speaks to the server as localhost: the RP ID of a local run.
	u, err := url.Parse(e.http.URL)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://localhost:" + u.Port()
	e.cfg.BaseURL = base
	e.restart()

	var authID cdpwebauthn.AuthenticatorID
	tb.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, cdpwebauthn.Enable, cdpwebauthn.EnableParams{}); err != nil {
			return err
		}
		res, err := cdp.Call(ctx, tg, cdpwebauthn.AddVirtualAuthenticator, cdpwebauthn.AddVirtualAuthenticatorParams{Options: &cdpwebauthn.VirtualAuthenticatorOptions{
			Protocol: cdpwebauthn.AuthenticatorProtocolCtap2, Ctap2version: cdpwebauthn.Ctap2versionCtap21, Transport: cdpwebauthn.AuthenticatorTransportInternal,
			HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
		}})
		authID = res.AuthenticatorID
		return err
	}))
	credentials := func() []*cdpwebauthn.Credential {
		t.Helper()
		var out []*cdpwebauthn.Credential
		tb.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			res, err := cdp.Call(ctx, tg, cdpwebauthn.GetCredentials, cdpwebauthn.GetCredentialsParams{AuthenticatorID: authID})
			out = res.Credentials
			return err
		}))
		return out
	}

	// Signed in with the password, Ann adds a passkey.
	signIn(tb, base)
	tb.Do(chromedp.Navigate(base + "/w/account/passkeys"))
	tb.WaitFor(`!document.querySelector('[data-testid="add-passkey"]').disabled`)
	tb.Shot("passkeys-empty")
	tb.Do(chromedp.SendKeys(chromedp.CSS(`#f-passkey-name`), "MacBook"), browsertest.ClickClear(`[data-testid="add-passkey"]`))
	tb.WaitShown(`[data-testid="passkeys-notice"]`)
	if got := tb.Text(`[data-testid="passkeys"] tbody th`); got != "MacBook" {
		t.Fatalf("passkeys after adding = %q, want MacBook", got)
	}
	creds := credentials()
	if len(creds) != 1 || !creds[0].IsResidentCredential || creds[0].RpID != "localhost" {
		t.Fatalf("authenticator holds %+v, want one resident credential for localhost", creds)
	}
	tb.CheckClean("passkeys page", true)
	tb.Accessible("passkeys page")
	// From here the sign-in page offers no autofill: the virtual authenticator answers a
	// conditional request at once, so autofill would sign Ann in by itself while the test
	// clicks the button, and the click's request would then find its sign-in form spent (403).
	// The button is what this test follows.
	tb.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
			Source: `if (window.PublicKeyCredential) PublicKeyCredential.isConditionalMediationAvailable = undefined;`})
		return err
	}))
	for _, v := range []struct {
		name string
		view chromedp.Action[chromedp.Void]
	}{{"390", browsertest.Phone}, {"1440", browsertest.Desktop}} {
		tb.Do(v.view, chromedp.Reload())
		tb.WaitShown(`[data-testid="passkeys"]`)
		tb.Shot("passkeys-" + v.name)
		tb.Do(chromedp.Navigate(base + "/login"))
		tb.WaitFor(`!document.querySelector('[data-testid="passkey-login"]').disabled`)
		tb.Shot("login-" + v.name)
		tb.Do(chromedp.Navigate(base + "/w/account/passkeys"))
	}
	tb.Accessible("sign-in page with passkeys")
	tb.Do(browsertest.Desktop)

	// Signed out, she signs in with the passkey: no email, no password.
	tb.Do(chromedp.Navigate(base+"/w/account/passkeys"), browsertest.ClickClear(`[data-testid="logout"]`))
	tb.WaitFor(`location.pathname === '/login' && !document.querySelector('[data-testid="passkey-login"]').disabled`)
	tb.Do(browsertest.ClickClear(`[data-testid="passkey-login"]`))
	tb.WaitShown(`[data-testid="ws-user"]`)
	if got := tb.Text(`[data-testid="ws-user"]`); !strings.Contains(got, "Ann") {
		t.Fatalf("signed in with the passkey as %q, want Ann", got)
	}
	if got := browsertest.Eval[string](tb, `location.pathname`); got != "/w" && got != "/w/clients" {
		t.Errorf("after the passkey sign-in the page is %q, want the workspace", got)
	}
	tb.CheckClean("passkey sign-in", true)

	// She removes it (just signed in: no password asked) and signs out; the authenticator
	// still offers the credential, and the server refuses it.
	tb.Do(chromedp.Navigate(base + "/w/account/passkeys"))
	tb.WaitShown(`[data-testid="passkeys"]`)
	tb.Do(browsertest.ClickClear(`[data-testid="passkeys"] a.button--danger`))
	tb.WaitShown(`[data-testid="confirm-remove"]`)
	tb.Do(browsertest.ClickClear(`[data-testid="confirm-remove"]`))
	tb.WaitShown(`[data-testid="passkeys-none"]`)
	tb.Do(browsertest.ClickClear(`[data-testid="logout"]`))
	tb.WaitFor(`location.pathname === '/login' && !document.querySelector('[data-testid="passkey-login"]').disabled`)
	tb.Do(browsertest.ClickClear(`[data-testid="passkey-login"]`))
	tb.WaitFor(`!document.querySelector('[data-passkey-error]').hidden`)
	if got := tb.Text(`[data-passkey-error]`); !strings.Contains(got, "was not accepted") {
		t.Errorf("a removed passkey's sign-in says %q, want that it was not accepted", got)
	}
	if got := browsertest.Eval[string](tb, `location.pathname`); got != "/login" {
		t.Errorf("a removed passkey led to %q, want to stay on /login", got)
	}
	if len(credentials()) != 1 {
		t.Error("the authenticator lost its credential: the refusal above proves nothing")
	}
	tb.Shot("login-refused")
	// The refusal is a 401 the browser logs as a failed load; nothing else may be logged.
	for _, p := range tb.Problems(true) {
		if !strings.Contains(p, "401") {
			t.Errorf("after the refused sign-in: %s", p)
		}
	}
}
