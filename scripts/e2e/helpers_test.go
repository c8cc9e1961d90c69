package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

// settleTimeout bounds how long a page may take until every badge is
// settled (ready or not analysed); generous because the 2 shared cores run
// other browsers and builds too.
const settleTimeout = 45 * time.Second

// riskLabels and permLabels mirror extension/lib/levels.js: the words a
// user reads on the badge.
var riskLabels = map[string]string{
	"none": "No risks found", "low": "Low risk", "medium": "Medium risk", "high": "High risk",
	"critical": "Critical risk", "unknown": "Risk unknown",
}

var permLabels = map[string]string{
	"admin": "Admin", "elevated": "Elevated", "standard": "Standard", "read-only": "Read-only", "none": "No access",
}

var shortReasons = map[string]string{
	"no-access": "no access to the code", "too-large": "code too large", "timeout": "timed out",
	"api-error": "CDF API error", "not-found": "function not found", "engine-error": "analysis failed",
	"storage-permission": "needs a permission", "unauthorized": "sign-in expired",
}

// wantBadgeText is the badge line the engine's answer must produce.
func wantBadgeText(e Expectation, perm string) string {
	n := strconv.Itoa(e.Findings) + " findings"
	if e.Findings == 1 {
		n = "1 finding"
	}
	return riskLabels[e.Level] + " · " + n + " · you are " + permLabels[perm]
}

// shot saves a screenshot under the test's artifact directory (kept with
// go test -artifacts) and logs where.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	path := filepath.Join(t.ArtifactDir(), name+".png")
	if err := Screenshot(ctx, path); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", path)
}

// openFunctions loads the functions page and waits until every run control
// has a settled badge.
func openFunctions(t *testing.T, ctx context.Context, project, persona, variant string) {
	t.Helper()
	if err := Navigate(ctx, FusionURL(project, persona, variant)); err != nil {
		t.Fatal(err)
	}
	waitSettled(t, ctx, "functions page "+variant)
}

func waitSettled(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	if err := WaitSettled(ctx, settleTimeout); err != nil {
		shot(t, ctx, "unsettled-"+safeName(where))
		cs, _ := Controls(ctx)
		t.Fatalf("%s: badges did not settle: %v\ncontrols: %s", where, err, dump(cs))
	}
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, s)
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func mustEval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := Eval[T](ctx, js)
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func mustWait(t *testing.T, ctx context.Context, js string, d time.Duration, what string) {
	t.Helper()
	if err := WaitJS(ctx, js, d); err != nil {
		shot(t, ctx, "timeout-"+safeName(what))
		t.Fatalf("%s: %v", what, err)
	}
}

// expectFor is the engine's expectation for a function id on the page.
func expectFor(t *testing.T, srv *server.Server, fid, persona string) (Expectation, *server.Function) {
	t.Helper()
	id, err := strconv.ParseInt(fid, 10, 64)
	if err != nil {
		t.Fatalf("function id %q on the page is not a number", fid)
	}
	f := FunctionByID(srv, id)
	if f == nil {
		t.Fatalf("function id %s on the page is not served by the sandbox", fid)
	}
	e, err := Expect(srv, f, persona, DemoProject)
	if err != nil {
		t.Fatal(err)
	}
	return e, f
}

// checkControls asserts the DOM contract for every run control: exactly one
// badge, right after it, naming the function, ready with the level and the
// words the engine gives. want restricts the function a control must belong
// to ("" = any). It returns the function ids seen.
func checkControls(t *testing.T, srv *server.Server, cs []Control, persona, where, want string) []string {
	t.Helper()
	if len(cs) == 0 {
		t.Fatalf("%s: no run controls on the page", where)
	}
	perm := map[string]string{server.Admin: "admin", server.Standard: "standard", server.ReadOnly: "read-only"}[persona]
	var ids []string
	for i, c := range cs {
		if len(c.Badges) != 1 || !c.Next {
			t.Errorf("%s: control %d (%q, function %s) has %d badges after it (next sibling: %v), want exactly one right after it", where, i, c.Label, c.FID, len(c.Badges), c.Next)
			continue
		}
		b := c.Badges[0]
		if c.Covered != "" {
			t.Errorf("%s: run control %d (%q, function %s) is covered by %s: it cannot be clicked", where, i, c.Label, c.FID, c.Covered)
		}
		if !b.HasButton {
			t.Errorf("%s: control %d: badge has no open shadow root with button[part=badge]", where, i)
			continue
		}
		if b.FunctionID == "" {
			t.Errorf("%s: control %d (%q): badge has no data-function-id", where, i, c.Label)
			continue
		}
		if c.FID != "" && b.FunctionID != c.FID {
			t.Errorf("%s: control %d of function %s carries the badge of function %s", where, i, c.FID, b.FunctionID)
		}
		if want != "" && b.FunctionID != want {
			t.Errorf("%s: control %d: badge of function %s, want %s", where, i, b.FunctionID, want)
		}
		e, f := expectFor(t, srv, b.FunctionID, persona)
		ids = append(ids, b.FunctionID)
		if e.Level == "unknown" {
			// The engine itself cannot analyse it: never safe-looking.
			if b.Level != "unknown" || b.Status == "loading" {
				t.Errorf("%s: %s (engine: unknown) shows status %s level %s", where, f.Dir, b.Status, b.Level)
			}
			continue
		}
		if b.Status != "ready" || b.Level != e.Level {
			t.Errorf("%s: %s: badge status %q level %q (%q), engine says %q", where, f.Dir, b.Status, b.Level, b.Text, e.Level)
			continue
		}
		if w := wantBadgeText(e, perm); b.Text != w {
			t.Errorf("%s: %s: badge text %q, want %q", where, f.Dir, b.Text, w)
		}
		if b.AriaLabel != "Preflight: "+b.Text {
			t.Errorf("%s: %s: aria-label %q, want %q", where, f.Dir, b.AriaLabel, "Preflight: "+b.Text)
		}
	}
	return ids
}

// requestsTo lists the sandbox's logged POST …/functions/{id}/call requests.
func callPosts(srv *server.Server, fid string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/functions/"+fid+"/call") {
			n++
		}
	}
	return n
}

// clickSel clicks the first element matching a CSS selector with a real
// (trusted) mouse click, as a user would.
func clickSel(ctx context.Context, sel string) error {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(cctx, chromedp.ScrollIntoView(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		return fmt.Errorf("click %s: %w", sel, err)
	}
	return nil
}

// rowControl is the run control of function fid in the list (or cards).
func rowControl(fid string) string {
	return `[data-function-id="` + fid + `"] [data-testid="run-control"]`
}

// dialogControl is the run control of the page's own call dialog.
const dialogControl = `[role="dialog"] button.primary`

// dialogReadyJS is true when the page's call dialog is open and its
// control already has its badge: the badge's insertion moves the control in
// a right-aligned footer, so a click aimed before it can miss.
const dialogReadyJS = `(() => { const c = document.querySelector('` + dialogControl + `'); const n = c && c.nextElementSibling;
  return !!n && n.matches('span[data-preflight="badge"]'); })()`

// pressEscape sends Esc to the focused element.
func pressEscape(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape))
}

// hasJS is a JS predicate: selector matches in the light DOM.
func hasJS(sel string) string {
	q, _ := json.Marshal(sel)
	return `!!document.querySelector(` + string(q) + `)`
}

const gatePresentJS = `!!document.querySelector('div[data-preflight="gate"]')`

// pressTimeout bounds the wait for the gate after pressing Run: the
// background waits up to 20 s (GATE_WAIT_MS) for an analysis in progress,
// and a failed one is retried when the gate asks.
const pressTimeout = 35 * time.Second

// pressRun presses the run control of fid like a user: the row's control,
// then the call dialog's when one opens. It returns when the gate shows
// (true) or the call reached the API without one (false).
func pressRun(t *testing.T, ctx context.Context, srv *server.Server, fid string) bool {
	t.Helper()
	before := callPosts(srv, fid)
	if err := clickSel(ctx, rowControl(fid)); err != nil {
		t.Fatal(err)
	}
	clickedDialog := false
	deadline := time.Now().Add(pressTimeout)
	for time.Now().Before(deadline) {
		if mustEval[bool](t, ctx, gatePresentJS) {
			return true
		}
		if callPosts(srv, fid) > before {
			return false
		}
		if !clickedDialog && mustEval[bool](t, ctx, dialogReadyJS) {
			if err := clickSel(ctx, dialogControl); err != nil {
				t.Fatal(err)
			}
			clickedDialog = true
		}
		time.Sleep(100 * time.Millisecond)
	}
	shot(t, ctx, "press-run-"+fid)
	t.Fatalf("pressing Run on %s: neither the gate nor a call within %v", fid, pressTimeout)
	return false
}

// finishCall completes a call after "Run anyway" (clicking the dialog's
// control if the approved click only opened it) until the API has seen
// want POST …/call for fid.
func finishCall(t *testing.T, ctx context.Context, srv *server.Server, fid string, want int) {
	t.Helper()
	clickedDialog := false
	start := time.Now()
	deadline := start.Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if callPosts(srv, fid) >= want {
			return
		}
		if time.Since(start) < 3*time.Second {
			// The replayed click usually makes the call by itself.
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if mustEval[bool](t, ctx, gatePresentJS) {
			shot(t, ctx, "gate-again-"+fid)
			t.Fatalf("the gate asked again for %s after Run anyway", fid)
		}
		if !clickedDialog && mustEval[bool](t, ctx, dialogReadyJS) {
			if err := clickSel(ctx, dialogControl); err != nil {
				t.Fatal(err)
			}
			clickedDialog = true
		}
		time.Sleep(100 * time.Millisecond)
	}
	shot(t, ctx, "finish-call-"+fid)
	t.Fatalf("function %s: %d POST …/call reached the API, want %d", fid, callPosts(srv, fid), want)
}

// waitGate waits for the gate dialog and checks its contract.
func waitGate(t *testing.T, ctx context.Context, fid, name, level string) Gate {
	t.Helper()
	mustWait(t, ctx, gatePresentJS, pressTimeout, "gate for "+fid)
	// Focus moves to Cancel once the dialog is shown.
	_ = WaitJS(ctx, `(() => { const g = document.querySelector('div[data-preflight="gate"]'); const a = g && g.shadowRoot && g.shadowRoot.activeElement; return !!a && a.textContent.trim() === 'Cancel'; })()`, 3*time.Second)
	g, err := ReadGate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g.Count != 1 || !g.Role {
		t.Errorf("gate: %d hosts, alertdialog %v; want one with role=alertdialog", g.Count, g.Role)
	}
	if g.FunctionID != fid {
		t.Errorf("gate: data-function-id %q, want %s", g.FunctionID, fid)
	}
	if name != "" && !strings.Contains(g.Heading, name) {
		t.Errorf("gate heading %q does not name the function %q", g.Heading, name)
	}
	if l := riskLabels[level]; !strings.Contains(strings.ToLower(g.Heading+g.Text), strings.ToLower(l)) {
		t.Errorf("gate does not state the risk %q: heading %q", l, g.Heading)
	}
	has := map[string]bool{}
	for _, b := range g.Buttons {
		has[b] = true
	}
	if !has["Run anyway"] || !has["Cancel"] {
		t.Errorf("gate buttons %q, want \"Run anyway\" and \"Cancel\"", g.Buttons)
	}
	if g.Focused != "Cancel" {
		t.Errorf("gate: focus on %q, want Cancel", g.Focused)
	}
	return g
}

func answerGate(t *testing.T, ctx context.Context, button string) {
	t.Helper()
	if !mustEval[bool](t, ctx, ClickGateJS(button)) {
		t.Fatalf("gate has no %q button", button)
	}
	mustWait(t, ctx, "!("+gatePresentJS+")", 5*time.Second, "gate removed after "+button)
}
