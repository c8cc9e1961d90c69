package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

// TestChromiumBadges: a badge with the engine's level beside every run
// control of every function of acme-demo, in each variant, on the list,
// after a re-render, on the function's page (client-side navigation) and in
// the call dialog.
func TestChromiumBadges(t *testing.T) {
	srv := Sandbox(t)
	c := StartChromium(t, srv)
	threshold, _, err := DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	for _, variant := range Variants {
		t.Run(variant, func(t *testing.T) {
			ctx := c.Ctx
			openFunctions(t, ctx, DemoProject, server.Admin, variant)
			shot(t, ctx, "list-"+variant)
			cs, err := Controls(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ids := checkControls(t, srv, cs, server.Admin, variant+" list", "")
			rows := mustEval[[]string](t, ctx, `[...new Set([...document.querySelectorAll('[data-testid="function-row"][data-function-id]')].map(r => r.getAttribute('data-function-id')))]`)
			if len(rows) < 2 {
				t.Fatalf("%s: %d function rows on the page", variant, len(rows))
			}
			for _, r := range rows {
				if !slices.Contains(ids, r) {
					t.Errorf("%s list: function %s has no badged run control", variant, r)
				}
			}

			// A re-render replaces every node: still exactly one badge per control.
			mustEval[bool](t, ctx, `(window.sandbox.rerender(), true)`)
			waitSettled(t, ctx, variant+" after rerender")
			cs, _ = Controls(ctx)
			checkControls(t, srv, cs, server.Admin, variant+" after rerender", "")
			if n := mustEval[int](t, ctx, `document.querySelectorAll('span[data-preflight="badge"]').length`); n != len(cs) {
				t.Errorf("%s after rerender: %d badges for %d run controls", variant, n, len(cs))
			}

			// The call dialog of a function below the gate threshold (so
			// pressing the row control just opens it).
			var low string
			for _, id := range ids {
				e, _ := expectFor(t, srv, id, server.Admin)
				if e.Level != "unknown" && RiskRank(e.Level) < RiskRank(threshold) &&
					mustEval[bool](t, ctx, `(() => { const c = document.querySelector('`+rowControl(id)+`'); return !!c && !c.disabled; })()`) {
					low = id
					break
				}
			}
			if low == "" {
				t.Fatalf("%s: no enabled function below the threshold %s to open the call dialog with", variant, threshold)
			}
			openCallDialog(t, ctx, low, variant)
			mustWait(t, ctx, `(() => { const c = document.querySelector('`+dialogControl+`'); const n = c && c.nextElementSibling; return !!n && n.matches('span[data-preflight="badge"]') && n.getAttribute('data-status') !== 'loading'; })()`, settleTimeout, variant+" dialog badge")
			shot(t, ctx, "dialog-"+variant)
			all, _ := Controls(ctx)
			var inDialog []Control
			for _, c := range all {
				if c.InDialog {
					inDialog = append(inDialog, c)
				}
			}
			checkControls(t, srv, inDialog, server.Admin, variant+" call dialog", low)
			if err := pressEscape(ctx); err != nil {
				t.Fatal(err)
			}
			if err := WaitJS(ctx, "!"+hasJS(`[role="dialog"]`), 3*time.Second); err != nil {
				mustEval[bool](t, ctx, `(() => { const b = [...document.querySelectorAll('[role="dialog"] button')].find(b => b.textContent.trim() === 'Cancel'); if (b) b.click(); return true; })()`)
				mustWait(t, ctx, "!"+hasJS(`[role="dialog"]`), 5*time.Second, variant+" dialog closed")
			}
			if callPosts(srv, low) != 0 {
				t.Errorf("%s: opening and closing the call dialog called function %s", variant, low)
			}

			if variant == "classic" {
				return // classic Fusion has no per-function page
			}
			for _, id := range rows {
				mustEval[bool](t, ctx, `(window.sandbox.navigate('/`+DemoProject+`/functions/`+id+`'), true)`)
				mustWait(t, ctx, `location.pathname.endsWith('/functions/`+id+`') && !document.querySelector('[data-testid="function-row"]')`, 10*time.Second, variant+" detail page "+id)
				waitSettled(t, ctx, variant+" detail "+id)
				cs, _ := Controls(ctx)
				checkControls(t, srv, cs, server.Admin, variant+" detail page", id)
				if id == rows[0] {
					shot(t, ctx, "detail-"+variant)
				}
			}
			// Back to the list by client-side navigation: fresh controls, fresh badges.
			mustEval[bool](t, ctx, `(window.sandbox.navigate('/`+DemoProject+`/functions'), true)`)
			mustWait(t, ctx, hasJS(`[data-testid="function-row"]`), 10*time.Second, variant+" back to the list")
			waitSettled(t, ctx, variant+" list again")
			cs, _ = Controls(ctx)
			checkControls(t, srv, cs, server.Admin, variant+" list after navigation", "")
		})
	}
}

// TestChromiumPersonas: each persona's badges say who the user is, and the
// panel explains the level with its reasons.
func TestChromiumPersonas(t *testing.T) {
	srv := Sandbox(t)
	for _, persona := range []string{server.Admin, server.Standard, server.ReadOnly} {
		t.Run(persona, func(t *testing.T) {
			c := StartChromium(t, srv) // one user per browser, like real people
			ctx := c.Ctx
			openFunctions(t, ctx, DemoProject, persona, "classic")
			cs, _ := Controls(ctx)
			ids := checkControls(t, srv, cs, persona, persona, "")
			perm, err := PermissionOf(srv, persona, DemoProject)
			if err != nil {
				t.Fatal(err)
			}
			label := permLabels[perm.Level]
			for _, b := range mustEval[[]Badge](t, ctx, AllBadgesJS) {
				if !strings.HasSuffix(b.Text, "you are "+label) {
					t.Errorf("%s: badge %q does not end with %q", persona, b.Text, "you are "+label)
				}
			}
			// Open the first ready badge's panel with the keyboard.
			sel := BadgeJS(ids[0])
			mustEval[bool](t, ctx, `(() => { const b = `+sel+`; b.shadowRoot.querySelector('button[part="badge"]').focus(); return true; })()`)
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
				t.Fatal(err)
			}
			mustWait(t, ctx, `(`+PanelJS(sel)+`).open`, 5*time.Second, persona+" panel opens on Enter")
			p := mustEval[Panel](t, ctx, PanelJS(sel))
			shot(t, ctx, "panel-"+persona)
			if p.Role != "dialog" || p.Expanded != "true" {
				t.Errorf("%s panel: role %q, aria-expanded %q; want dialog, true", persona, p.Role, p.Expanded)
			}
			if !strings.Contains(p.Text, perm.Explanation) {
				t.Errorf("%s panel does not explain the level %q:\n%s", persona, perm.Explanation, p.Text)
			}
			if len(perm.Reasons) > 0 && !strings.Contains(p.Text, perm.Reasons[0]) {
				t.Errorf("%s panel does not give the reason %q:\n%s", persona, perm.Reasons[0], p.Text)
			}
			if err := pressEscape(ctx); err != nil {
				t.Fatal(err)
			}
			mustWait(t, ctx, `!(`+PanelJS(sel)+`).open`, 5*time.Second, persona+" panel closes on Esc")
			if p := mustEval[Panel](t, ctx, PanelJS(sel)); p.Focus != "badge" || p.Expanded != "false" {
				t.Errorf("%s: after Esc focus is on %q and aria-expanded %q; want the badge button, false", persona, p.Focus, p.Expanded)
			}
		})
	}
}

// gateTargets are functions of the page at or above the threshold, highest
// risk first, with their expectations.
func gateTargets(t *testing.T, srv *server.Server, ids []string, threshold string) []string {
	t.Helper()
	var out []string
	for _, id := range ids {
		e, _ := expectFor(t, srv, id, server.Admin)
		if e.Level != "unknown" && RiskRank(e.Level) >= RiskRank(threshold) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int {
		ea, _ := expectFor(t, srv, a, server.Admin)
		eb, _ := expectFor(t, srv, b, server.Admin)
		return RiskRank(eb.Level) - RiskRank(ea.Level)
	})
	if len(out) < 2 {
		t.Fatalf("acme-demo has %d functions at or above %s, want two", len(out), threshold)
	}
	return out
}

// TestChromiumGate: a call of a high-risk function is held until the user
// answers; Cancel and Esc let nothing through, Run anyway exactly one call,
// remembered for the function; the page hook holds calls made without any
// button (fetch and XHR).
func TestChromiumGate(t *testing.T) {
	srv := Sandbox(t)
	c := StartChromium(t, srv)
	ctx := c.Ctx
	threshold, _, err := DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	openFunctions(t, ctx, DemoProject, server.Admin, "classic")
	cs, _ := Controls(ctx)
	ids := checkControls(t, srv, cs, server.Admin, "gate list", "")
	targets := gateTargets(t, srv, ids, threshold)
	btn, hook := targets[0], targets[1]
	eBtn, fBtn := expectFor(t, srv, btn, server.Admin)
	eHook, fHook := expectFor(t, srv, hook, server.Admin)

	// The button: Cancel, then Esc, then Run anyway.
	if !pressRun(t, ctx, srv, btn) {
		t.Fatalf("pressing Run on %s (%s) reached the API without the gate", fBtn.Name, eBtn.Level)
	}
	waitGate(t, ctx, btn, fBtn.Name, eBtn.Level)
	shot(t, ctx, "gate")
	if n := callPosts(srv, btn); n != 0 {
		t.Fatalf("%d POST …/call reached the API while the gate was open", n)
	}
	// Both ways of saying no hold the call, and pressing Run again asks again.
	for _, decline := range []struct {
		name string
		do   func()
	}{
		{"Cancel", func() { answerGate(t, ctx, "Cancel") }},
		{"Esc", func() {
			if err := pressEscape(ctx); err != nil {
				t.Fatal(err)
			}
			mustWait(t, ctx, "!("+gatePresentJS+")", 5*time.Second, "Esc closes the gate")
		}},
	} {
		decline.do()
		time.Sleep(time.Second) // a held call would have gone out by now
		if n := callPosts(srv, btn); n != 0 {
			t.Errorf("%s: %d POST …/call reached the API, want none", decline.name, n)
		}
		closeDialog(t, ctx)
		if !pressRun(t, ctx, srv, btn) {
			t.Fatalf("after %s, pressing Run again reached the API without the gate", decline.name)
		}
		waitGate(t, ctx, btn, fBtn.Name, eBtn.Level)
	}
	answerGate(t, ctx, "Run anyway")
	finishCall(t, ctx, srv, btn, 1)
	mustWait(t, ctx, `(() => { const s = document.querySelector('[data-testid="call-status"]'); return !!s && s.textContent.startsWith('Completed'); })()`, 15*time.Second, "call completes")
	time.Sleep(time.Second)
	if n := callPosts(srv, btn); n != 1 {
		t.Errorf("Run anyway: %d POST …/call reached the API, want exactly one", n)
	}
	shot(t, ctx, "called")
	closeDialog(t, ctx)

	// Remembered: the second time no dialog.
	if pressRun(t, ctx, srv, btn) {
		shot(t, ctx, "gate-second-time")
		t.Fatal("Run anyway was not remembered: the gate asked again")
	}
	finishCall(t, ctx, srv, btn, 2)
	closeDialog(t, ctx)

	// The page hook alone: a call through fetch with no button pressed.
	mustEval[bool](t, ctx, `(window.__callResult = 'pending', window.sandbox.callFunction(`+hook+`, {}).then(() => window.__callResult = 'done', e => window.__callResult = 'rejected: ' + e), true)`)
	waitGate(t, ctx, hook, fHook.Name, eHook.Level)
	shot(t, ctx, "gate-page-hook")
	if n := callPosts(srv, hook); n != 0 {
		t.Fatalf("page hook: %d POST …/call reached the API while the gate was open", n)
	}
	answerGate(t, ctx, "Cancel")
	mustWait(t, ctx, `window.__callResult !== 'pending'`, 10*time.Second, "cancelled fetch settles")
	time.Sleep(time.Second)
	if n := callPosts(srv, hook); n != 0 {
		t.Errorf("page hook Cancel: %d POST …/call reached the API, want none", n)
	}
	// … and through XHR, let through once by Run anyway.
	mustEval[bool](t, ctx, `(window.__xhrResult = 'pending', Promise.resolve(window.sandbox.callFunctionXHR(`+hook+`, {})).then(() => window.__xhrResult = 'done', e => window.__xhrResult = 'rejected: ' + e), true)`)
	waitGate(t, ctx, hook, fHook.Name, eHook.Level)
	answerGate(t, ctx, "Run anyway")
	mustWait(t, ctx, `window.__xhrResult !== 'pending'`, 15*time.Second, "approved XHR settles")
	time.Sleep(time.Second)
	if n := callPosts(srv, hook); n != 1 {
		t.Errorf("page hook Run anyway: %d POST …/call reached the API, want exactly one", n)
	}
}

// openCallDialog presses a function's row control until the page's call
// dialog opens. The SPA re-renders its list every 5 s like Fusion, so a
// click can land on a node that is being replaced; it is tried again.
func openCallDialog(t *testing.T, ctx context.Context, fid, where string) {
	t.Helper()
	for attempt := 0; attempt < 3; attempt++ {
		if err := clickSel(ctx, rowControl(fid)); err != nil {
			t.Logf("%s: %v", where, err)
			continue
		}
		if WaitJS(ctx, hasJS(dialogControl), 3*time.Second) == nil {
			return
		}
	}
	shot(t, ctx, "no-dialog-"+safeName(where))
	t.Fatalf("%s: the call dialog of function %s did not open", where, fid)
}

// closeDialog closes the page's call dialog if one is open.
func closeDialog(t *testing.T, ctx context.Context) {
	t.Helper()
	if !mustEval[bool](t, ctx, hasJS(`[role="dialog"]`)) {
		return
	}
	mustEval[bool](t, ctx, `(() => { const b = [...document.querySelectorAll('[role="dialog"] button')].find(b => b.textContent.trim() === 'Cancel' || b.getAttribute('aria-label') === 'Close'); if (b) b.click(); return true; })()`)
	mustWait(t, ctx, "!"+hasJS(`[role="dialog"]`), 5*time.Second, "page dialog closed")
}

// TestChromiumFaults: when the code or the API fails, the badge says "Not
// analysed" with the reason — never a safe-looking badge — and the gate
// still asks.
func TestChromiumFaults(t *testing.T) {
	srv := Sandbox(t)
	_, maxZip, err := DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	// A function the engine finds nothing in: the worst place for a fault to
	// look green.
	var target *server.Function
	for _, dir := range []string{"benign-timeseries-rollup", "benign-cognitedata-requests"} {
		if f := srv.FunctionByDir(dir); f != nil {
			target = f
			break
		}
	}
	if target == nil {
		t.Fatal("the sandbox serves none of the benign acme-demo functions")
	}
	fid := fmt.Sprint(target.ID)
	cases := []struct {
		name, reason string
		set          func()
		wait         time.Duration
	}{
		{"403 on the code", "no-access", func() { srv.SetDownloads(server.Downloads{ForbiddenFiles: []int64{target.FileID}}) }, settleTimeout},
		{"download timeout", "timeout", func() { srv.SetDownloads(server.Downloads{SlowChunk: 10 * time.Minute}) }, 3 * time.Minute},
		{"oversized zip", "too-large", func() { srv.SetDownloads(server.Downloads{OversizeBytes: maxZip + 1}) }, settleTimeout},
		{"API 500 on byids", "api-error", func() { srv.AddFault(server.Fault{Path: "/functions/byids", Status: 500}) }, 2 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.Reset()
			tc.set()
			t.Cleanup(srv.Reset)
			c := StartChromium(t, srv)
			ctx := c.Ctx
			if err := Navigate(ctx, FusionURL(DemoProject, server.Admin, "classic")); err != nil {
				t.Fatal(err)
			}
			// The badge right after the function's row control (found by the
			// row, so a badge that lost its data-function-id is still checked).
			sel := `(() => { const c = document.querySelector('` + rowControl(fid) + `'); const n = c && c.nextElementSibling; return n && n.matches('span[data-preflight="badge"]') ? n : null; })()`
			mustWait(t, ctx, `(() => { const b = `+sel+`; return !!b && b.getAttribute('data-status') === 'not-analysed'; })()`, tc.wait, tc.name+": not-analysed badge")
			shot(t, ctx, "fault-"+safeName(tc.name))
			b := mustEval[Badge](t, ctx, `(`+badgeJS+`)(`+sel+`)`)
			if b.FunctionID != fid {
				t.Errorf("%s: the badge of the row of function %s has data-function-id %q (the row knows the id)", tc.name, fid, b.FunctionID)
			}
			if b.Level != "unknown" {
				t.Errorf("%s: data-level %q, want unknown", tc.name, b.Level)
			}
			if b.ReasonCode != tc.reason {
				t.Errorf("%s: data-reason-code %q, want %q", tc.name, b.ReasonCode, tc.reason)
			}
			if want := "Not analysed · " + shortReasons[tc.reason]; !strings.HasPrefix(b.Text, want) {
				t.Errorf("%s: badge says %q, want it to start with %q", tc.name, b.Text, want)
			}
			// No badge of the page may look safe while it cannot be checked.
			for _, o := range mustEval[[]Badge](t, ctx, AllBadgesJS) {
				if o.Status != "ready" && (o.Level != "unknown" || strings.HasPrefix(o.Text, riskLabels["none"])) {
					t.Errorf("%s: badge of %s is %s but shows level %q: %q", tc.name, o.FunctionID, o.Status, o.Level, o.Text)
				}
			}
			// Unknown always asks.
			if !pressRun(t, ctx, srv, fid) {
				t.Fatalf("%s: a call of the not-analysed function went out without the gate", tc.name)
			}
			waitGate(t, ctx, fid, target.Name, "unknown")
			answerGate(t, ctx, "Cancel")
			if n := callPosts(srv, fid); n != 0 {
				t.Errorf("%s: %d calls reached the API after Cancel", tc.name, n)
			}
		})
	}
}

// TestChromiumPayload: HTML and script in a function's name, description and
// code are shown as text — in the page, the badge panel and the gate — and
// never run.
func TestChromiumPayload(t *testing.T) {
	srv := Sandbox(t)
	f := srv.FunctionByDir("payload-html")
	if f == nil {
		t.Fatal("the sandbox does not serve payload-html")
	}
	fid := fmt.Sprint(f.ID)
	if !strings.Contains(f.Name, "<") {
		t.Fatalf("payload-html's name %q carries no markup", f.Name)
	}
	c := StartChromium(t, srv)
	ctx := c.Ctx
	e, err := Expect(srv, f, server.Admin, DemoProject)
	if err != nil {
		t.Fatal(err)
	}
	threshold, _, _ := DefaultPolicy()
	gateLevel := e.Level
	if e.Level == "unknown" || RiskRank(e.Level) < RiskRank(threshold) {
		gateLevel = "unknown"
		// Without analysis findings the gate would not show; make it show.
		srv.SetDownloads(server.Downloads{ForbiddenFiles: []int64{f.FileID}})
		t.Logf("payload-html is %s (threshold %s): its code is forbidden so the gate shows", e.Level, threshold)
	}
	openFunctions(t, ctx, DemoProject, server.Admin, "classic")
	pwned := `typeof window.__pwned === 'undefined'`
	noMarkup := `(() => { const roots = [document, ...[...document.querySelectorAll('[data-preflight]')].map(h => h.shadowRoot).filter(Boolean)];
  return roots.every(r => r.querySelectorAll('img[src="x"], img[onerror]').length === 0) &&
    roots.slice(1).every(r => r.querySelectorAll('script, img, iframe, object, embed').length === 0); })()`
	if !mustEval[bool](t, ctx, `document.body.innerText.includes(`+jsString(f.Name)+`) || document.body.textContent.includes(`+jsString(f.Name)+`)`) {
		t.Errorf("the page does not show the name %q as text", f.Name)
	}
	sel := BadgeJS(fid)
	if !mustEval[bool](t, ctx, ClickBadgeJS(sel)) {
		t.Fatal("no badge for payload-html")
	}
	mustWait(t, ctx, `(`+PanelJS(sel)+`).open`, 5*time.Second, "payload panel")
	shot(t, ctx, "payload-panel")
	p := mustEval[Panel](t, ctx, PanelJS(sel))
	if strings.Contains(p.Text, "<img") || strings.Contains(p.Text, "<script") {
		t.Logf("panel shows the payload as text (good): %.200q", p.Text)
	}
	if !mustEval[bool](t, ctx, pwned) || !mustEval[bool](t, ctx, noMarkup) {
		t.Fatal("opening the payload function's panel ran or built markup")
	}
	mustEval[bool](t, ctx, ClickBadgeJS(sel))

	if !pressRun(t, ctx, srv, fid) {
		t.Fatal("the payload function was called without the gate")
	}
	g := waitGate(t, ctx, fid, f.Name, gateLevel)
	shot(t, ctx, "payload-gate")
	if !strings.Contains(g.Heading, f.Name) {
		t.Errorf("gate heading %q does not show the name %q as text", g.Heading, f.Name)
	}
	if !mustEval[bool](t, ctx, pwned) || !mustEval[bool](t, ctx, noMarkup) {
		t.Fatal("the gate of the payload function ran or built markup")
	}
	answerGate(t, ctx, "Cancel")
	if !mustEval[bool](t, ctx, pwned) {
		t.Fatal("window.__pwned is set")
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestChromiumToken: after badges, panels, the gate and a call, no token the
// sandbox minted is in any extension storage or profile file, Authorization
// went only to the cluster's API host, the canary download host got no
// Authorization, and no other host got anything.
func TestChromiumToken(t *testing.T) {
	srv := Sandbox(t)
	c := StartChromium(t, srv)
	ctx := c.Ctx
	threshold, _, _ := DefaultPolicy()
	openFunctions(t, ctx, DemoProject, server.Admin, "classic")
	cs, _ := Controls(ctx)
	ids := checkControls(t, srv, cs, server.Admin, "token list", "")
	if canary := srv.FunctionByDir("other-storage-host"); canary == nil || !slices.Contains(ids, fmt.Sprint(canary.ID)) {
		t.Fatal("other-storage-host (code on the canary host) is not on the page")
	}
	target := gateTargets(t, srv, ids, threshold)[0]
	if pressRun(t, ctx, srv, target) {
		answerGate(t, ctx, "Run anyway")
	}
	finishCall(t, ctx, srv, target, 1)
	// A second persona in another tab mints a second token.
	tab, cancel, err := c.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	openFunctions(t, tab, DemoProject, server.Standard, "modern")
	cancel()

	tokens := srv.Tokens()
	if len(tokens) < 2 {
		t.Fatalf("the sandbox lists %d minted tokens, want at least 2 (admin, standard)", len(tokens))
	}

	// Every extension storage area, read from an extension page.
	ext, cancelExt, err := c.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	defer cancelExt()
	if err := Navigate(ext, "chrome-extension://"+c.ExtID+"/popup/popup.html"); err != nil {
		t.Fatal(err)
	}
	dumpJS := `(async () => { const out = {};
  for (const a of ['local', 'sync', 'session']) { try { out[a] = JSON.stringify(await chrome.storage[a].get(null)); } catch (e) { out[a] = 'error: ' + e; } }
  return out; })()`
	areas := mustEval[map[string]string](t, ext, dumpJS)
	for area, content := range areas {
		if strings.HasPrefix(content, "error:") {
			t.Errorf("storage.%s unreadable: %s", area, content)
		}
		for tok := range tokens {
			if strings.Contains(content, tok) || strings.Contains(content, tokenPart(tok)) {
				t.Errorf("a %s token is in chrome.storage.%s", tokens[tok], area)
			}
		}
	}
	// The request log: Authorization only to the cluster's API host; the
	// canary got requests, none with Authorization; nothing else reached.
	sawCanary := false
	for _, r := range srv.Requests() {
		host := strings.ToLower(strings.Split(r.Host, ":")[0])
		switch {
		case r.Origin == "canary":
			sawCanary = true
			if r.HasAuth {
				t.Errorf("Authorization sent to the canary host: %s %s", r.Method, r.Path)
			}
		case r.HasAuth && host != Cluster:
			t.Errorf("Authorization sent to %s (%s %s, origin %s)", r.Host, r.Method, r.Path, r.Origin)
		case strings.HasPrefix(r.Origin, "proxy"):
			t.Errorf("a request to another host: %+v", r)
		case host != Cluster && host != FusionHost && !strings.HasPrefix(host, "storage.") && r.Origin != "storage":
			t.Errorf("a request reached an unexpected host %q: %+v", r.Host, r)
		}
		for tok := range tokens {
			if strings.Contains(r.Path, tok) || strings.Contains(r.Path, tokenPart(tok)) {
				t.Errorf("a token is in a request URL: %s %s", r.Method, r.Host)
			}
		}
	}
	if !sawCanary {
		t.Error("the canary host saw no request: other-storage-host's code was not downloaded from it")
	}
	// The profile on disk, after the browser has written everything out.
	cancelExt()
	c.Close()
	err = filepath.WalkDir(c.Profile, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for tok, persona := range tokens {
			if strings.Contains(string(data), tok) || strings.Contains(string(data), tokenPart(tok)) {
				rel, _ := filepath.Rel(c.Profile, path)
				t.Errorf("the %s token is in the profile file %s", persona, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tokenPart is the token's signature part (the last dot-separated part), so
// a copy of the secret part is found even without the header and payload.
func tokenPart(tok string) string {
	if i := strings.LastIndexByte(tok, '.'); i >= 0 && len(tok)-i > 16 {
		return tok[i+1:]
	}
	return tok
}
