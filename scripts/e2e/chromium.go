package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

// ChromiumConfig says how to launch Chromium.
type ChromiumConfig struct {
	Bin      string // the browser binary (ChromiumPath())
	Ext      string // the unpacked extension folder (dist/chrome)
	Profile  string // a fresh user-data-dir
	Headless bool
	Width    int // window size (default 1440×900)
	Height   int
}

// Chromium is one browser with the extension loaded, reaching the sandbox
// under the real host names.
type Chromium struct {
	Ctx     context.Context // the first tab
	Profile string
	ExtID   string
	Srv     *server.Server

	cancelAlloc, cancelTab context.CancelFunc
	closed                 bool
}

// LaunchChromium starts Chromium with the flags proven in
// reference/extension.md §3: new headless, no sandbox (root), a fresh
// profile, the extension as the only one, the sandbox's host names mapped to
// its port, and only the sandbox's certificate trusted (by its SPKI hash).
func LaunchChromium(parent context.Context, srv *server.Server, cfg ChromiumConfig) (*Chromium, error) {
	if cfg.Width == 0 {
		cfg.Width, cfg.Height = 1440, 900
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(cfg.Bin),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.UserDataDir(cfg.Profile),
		chromedp.Flag("load-extension", cfg.Ext),
		chromedp.Flag("disable-extensions-except", cfg.Ext),
		chromedp.Flag("host-resolver-rules", srv.HostResolverRules()),
		chromedp.Flag("ignore-certificate-errors-spki-list", srv.SPKIHash()),
		chromedp.WindowSize(cfg.Width, cfg.Height),
	}
	if cfg.Headless {
		opts = append(opts, chromedp.Flag("headless", "new"), chromedp.Flag("hide-scrollbars", true), chromedp.Flag("mute-audio", true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	tctx, cancelTab := chromedp.NewContext(actx)
	c := &Chromium{Ctx: tctx, Profile: cfg.Profile, ExtID: ExtensionID(cfg.Ext), Srv: srv, cancelAlloc: cancelAlloc, cancelTab: cancelTab}
	// The first action starts the browser; it must not carry a timeout (that
	// would bound the browser's life).
	if err := chromedp.Do(tctx, chromedp.Navigate("about:blank")); err != nil {
		c.Close()
		return nil, fmt.Errorf("e2e: start chromium: %w", err)
	}
	return c, nil
}

// StartChromium launches Chromium with dist/chrome against srv for a test
// (headless, fresh profile under the test's temp dir); it closes when the
// test ends.
func StartChromium(tb testing.TB, srv *server.Server) *Chromium {
	tb.Helper()
	bin, ext := NeedChromium(tb)
	prof, err := os.MkdirTemp("", "preflight-chromium-")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := LaunchChromium(context.Background(), srv, ChromiumConfig{Bin: bin, Ext: ext, Profile: prof, Headless: true})
	if err != nil {
		os.RemoveAll(prof)
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c.Close()
		os.RemoveAll(prof)
	})
	return c
}

// Close ends the browser (idempotent). The profile stays on disk.
func (c *Chromium) Close() {
	if c.closed {
		return
	}
	c.closed = true
	c.cancelTab()
	c.cancelAlloc()
}

// NewTab opens another tab; cancel closes it.
func (c *Chromium) NewTab() (context.Context, context.CancelFunc, error) {
	ctx, cancel := chromedp.NewContext(c.Ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("e2e: new tab: %w", err)
	}
	return ctx, cancel, nil
}

// ServiceWorker is a context attached to the extension's service worker,
// waiting up to timeout for it to be running.
func (c *Chromium) ServiceWorker(timeout time.Duration) (context.Context, context.CancelFunc, error) {
	prefix := "chrome-extension://" + c.ExtID + "/"
	deadline := time.Now().Add(timeout)
	for {
		infos, err := chromedp.Targets(c.Ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("e2e: targets: %w", err)
		}
		for _, ti := range infos {
			if ti.Type == "service_worker" && strings.HasPrefix(ti.URL, prefix) {
				ctx, cancel := chromedp.NewContext(c.Ctx, chromedp.WithTargetID(ti.TargetID))
				return ctx, cancel, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, nil, fmt.Errorf("e2e: no service worker of extension %s among %d targets", c.ExtID, len(infos))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Targets lists the browser's targets.
func (c *Chromium) Targets() ([]*target.Info, error) { return chromedp.Targets(c.Ctx) }

// Eval evaluates a JavaScript expression in ctx's page (awaiting a Promise)
// and decodes its JSON value into T.
func Eval[T any](ctx context.Context, js string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// WaitJS polls a JavaScript predicate in ctx's page every 50 ms until it is
// truthy or timeout passes; the predicate's last value is in the error.
func WaitJS(ctx context.Context, js string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last string
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
		if err == nil {
			s := string(v)
			if s != "false" && s != "null" && s != "0" && s != `""` && s != "" {
				return nil
			}
			last = s
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("e2e: waited %v for %s (last: %s)", timeout, js, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Navigate loads url in ctx's tab.
func Navigate(ctx context.Context, url string) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("e2e: navigate %s: %w", url, err)
	}
	return nil
}

// Screenshot saves a PNG of ctx's viewport (what a user sees) to path.
func Screenshot(ctx context.Context, path string) error {
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return fmt.Errorf("e2e: screenshot: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("e2e: screenshot: %w", err)
	}
	return os.WriteFile(path, png, 0o644)
}

// Badge is one badge host as the page shows it (DOM contract: t6-contract.md).
type Badge struct {
	FunctionID  string `json:"fid"`
	Status      string `json:"status"`
	Level       string `json:"level"`
	ReasonCode  string `json:"reasonCode"`
	Text        string `json:"text"`      // the shadow button's text
	AriaLabel   string `json:"aria"`      // its aria-label
	Expanded    string `json:"expanded"`  // its aria-expanded
	HasButton   bool   `json:"hasButton"` // an open shadow root with button[part=badge]
	ControlFID  string `json:"controlFid"`
	ControlText string `json:"controlText"`
}

// Control is one run control of the page and the badges right after it.
type Control struct {
	FID      string  `json:"fid"`      // the closest [data-function-id] around it
	Label    string  `json:"label"`    // aria-label, title or text
	Disabled bool    `json:"disabled"` // the control is disabled
	InDialog bool    `json:"inDialog"` // inside a role=dialog of the page
	Badges   []Badge `json:"badges"`   // badge hosts among its following siblings (one expected, right next)
	Next     bool    `json:"next"`     // the first badge is the control's next element sibling
	// Covered names what is on top of the control's centre when that is not
	// the control ("" when the control itself is hit): a user cannot click it.
	Covered string `json:"covered"`
}

// RunControls selects the page's run controls: the sandbox marks the list's
// and the function page's with data-testid; its call dialog's primary button
// (Call, Run, Call function) is one too.
const RunControls = `[data-testid="run-control"], [role="dialog"] button.primary`

// badgeJS describes a badge host element `b`.
const badgeJS = `(b) => {
  const btn = b.shadowRoot && b.shadowRoot.querySelector('button[part="badge"]');
  const ctl = b.previousElementSibling;
  const around = ctl && ctl.closest('[data-function-id]');
  return {fid: b.getAttribute('data-function-id') || '', status: b.getAttribute('data-status') || '',
    level: b.getAttribute('data-level') || '', reasonCode: b.getAttribute('data-reason-code') || '',
    text: btn ? btn.textContent : '', aria: btn ? (btn.getAttribute('aria-label') || '') : '',
    expanded: btn ? (btn.getAttribute('aria-expanded') || '') : '', hasButton: !!btn,
    controlFid: around ? around.getAttribute('data-function-id') : '',
    controlText: ctl ? (ctl.getAttribute('aria-label') || ctl.getAttribute('title') || ctl.textContent || '').trim() : ''};
}`

// ControlsJS lists the page's run controls with their badges.
const ControlsJS = `(() => {
  const desc = ` + badgeJS + `;
  return [...document.querySelectorAll('` + RunControls + `')].map(c => {
    const around = c.closest('[data-function-id]');
    const badges = [];
    for (let s = c.nextElementSibling; s; s = s.nextElementSibling) {
      if (s.matches('span[data-preflight="badge"]')) badges.push(desc(s));
      else if (s.matches('` + RunControls + `')) break;
    }
    const n = c.nextElementSibling;
    c.scrollIntoView({block: 'center', inline: 'center'});
    const r = c.getBoundingClientRect();
    const hit = r.width > 0 ? document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) : c;
    let covered = '';
    if (hit && hit !== c && !c.contains(hit)) {
      covered = hit.matches('span[data-preflight="badge"]') ? 'the Preflight badge of function ' + (hit.getAttribute('data-function-id') || '?')
        : hit.tagName.toLowerCase() + (hit.className ? '.' + String(hit.className).split(' ').join('.') : '');
    }
    return {covered, fid: around ? around.getAttribute('data-function-id') : '',
      label: (c.getAttribute('aria-label') || c.getAttribute('title') || c.textContent || '').trim(),
      disabled: !!c.disabled || c.getAttribute('aria-disabled') === 'true',
      inDialog: !!c.closest('[role="dialog"]'),
      badges, next: !!(n && n.matches('span[data-preflight="badge"]'))};
  });
})()`

// AllBadgesJS lists every badge host in the document.
const AllBadgesJS = `[...document.querySelectorAll('span[data-preflight="badge"]')].map(` + badgeJS + `)`

// ControlsSettledJS is truthy when the page has run controls and each has a
// badge whose status is no longer loading.
const ControlsSettledJS = `(() => {
  const cs = [...document.querySelectorAll('` + RunControls + `')];
  return cs.length > 0 && cs.every(c => { const n = c.nextElementSibling;
    return n && n.matches('span[data-preflight="badge"]') && n.getAttribute('data-status') && n.getAttribute('data-status') !== 'loading'; });
})()`

// Controls reads the page's run controls and badges.
func Controls(ctx context.Context) ([]Control, error) { return Eval[[]Control](ctx, ControlsJS) }

// WaitSettled waits until every run control has a settled badge.
func WaitSettled(ctx context.Context, timeout time.Duration) error {
	return WaitJS(ctx, ControlsSettledJS, timeout)
}

// Gate is the gate dialog as the page shows it.
type Gate struct {
	Present    bool     `json:"present"`
	Count      int      `json:"count"` // gate hosts in the document
	FunctionID string   `json:"fid"`
	Role       bool     `json:"role"` // [role=alertdialog] inside
	Heading    string   `json:"heading"`
	Text       string   `json:"text"`
	Buttons    []string `json:"buttons"`
	Focused    string   `json:"focused"` // text of the focused element in the shadow root
}

// GateJS describes the gate dialog.
const GateJS = `(() => {
  const gs = document.querySelectorAll('div[data-preflight="gate"]');
  const g = gs[0];
  if (!g) return {present: false, count: 0, buttons: []};
  const r = g.shadowRoot;
  const d = r && r.querySelector('[role="alertdialog"]');
  const h = d && d.querySelector('h1,h2,h3,[role="heading"]');
  return {present: true, count: gs.length, fid: g.getAttribute('data-function-id') || '', role: !!d,
    heading: h ? h.textContent : '', text: d ? d.textContent : '',
    buttons: d ? [...d.querySelectorAll('button')].map(b => b.textContent.trim()) : [],
    focused: r && r.activeElement ? r.activeElement.textContent.trim() : ''};
})()`

// ReadGate reads the gate dialog.
func ReadGate(ctx context.Context) (Gate, error) { return Eval[Gate](ctx, GateJS) }

// ClickGateJS returns JS that clicks the gate's button with that exact text.
func ClickGateJS(text string) string {
	q, _ := json.Marshal(text)
	return `(() => { const g = document.querySelector('div[data-preflight="gate"]');
  const b = g && g.shadowRoot && [...g.shadowRoot.querySelectorAll('button')].find(b => b.textContent.trim() === ` + string(q) + `);
  if (!b) return false; b.click(); return true; })()`
}

// BadgeJS returns JS selecting the first badge host of function fid that is
// the next sibling of a run control (optionally only inside a dialog).
func BadgeJS(fid string) string {
	q, _ := json.Marshal(fid)
	return `[...document.querySelectorAll('span[data-preflight="badge"][data-function-id=` + string(q) + `]')]
  .find(b => b.previousElementSibling && b.previousElementSibling.matches('` + RunControls + `'))`
}

// Panel is a badge's panel.
type Panel struct {
	Open     bool   `json:"open"`
	Role     string `json:"role"`
	Text     string `json:"text"`
	Expanded string `json:"expanded"`
	Focus    string `json:"focus"` // the shadow root's focused element: "badge", "panel" or ""
}

// PanelJS reads the panel of the badge selected by sel (a JS expression).
func PanelJS(sel string) string {
	return `(() => { const b = ` + sel + `; if (!b || !b.shadowRoot) return {open: false};
  const r = b.shadowRoot, p = r.querySelector('[part="panel"]'), btn = r.querySelector('button[part="badge"]');
  const vis = !!p && !p.hidden && getComputedStyle(p).display !== 'none' && p.getClientRects().length > 0;
  const a = r.activeElement;
  return {open: vis, role: p ? (p.getAttribute('role') || '') : '', text: p ? p.textContent : '',
    expanded: btn ? (btn.getAttribute('aria-expanded') || '') : '',
    focus: a === btn ? 'badge' : (a && p && p.contains(a) ? 'panel' : '')}; })()`
}

// ClickBadgeJS clicks the badge button of the badge selected by sel.
func ClickBadgeJS(sel string) string {
	return `(() => { const b = ` + sel + `; const btn = b && b.shadowRoot && b.shadowRoot.querySelector('button[part="badge"]');
  if (!btn) return false; btn.click(); return true; })()`
}

// popupShimJS runs in the popup page opened as a tab: the popup asks for
// "the active tab of the current window", which would be itself, so the
// shim answers with the Fusion tab instead (found by URL — host permissions
// allow that without the tabs permission). The popup's own code and its
// messages to the background are unchanged.
const popupShimJS = `(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  if (!api || !api.tabs) return;
  const query = api.tabs.query.bind(api.tabs);
  api.tabs.query = async (q) => (q && q.active)
    ? (await query({url: ['https://*.fusion.cognite.com/*', 'https://fusion.cognite.com/*']})).slice(0, 1)
    : query(q);
})()`

// OpenPopup opens the extension's popup for the Fusion tab as a 360 px
// wide tab. The browser action's popup window cannot be screenshotted
// through CDP in headless mode, so this is the popup page itself, asked
// about the Fusion tab (see popupShimJS). cancel closes it.
func (c *Chromium) OpenPopup() (context.Context, context.CancelFunc, error) {
	ctx, cancel, err := c.NewTab()
	if err != nil {
		return nil, nil, err
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: popupShimJS}); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("e2e: popup shim: %w", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 600)); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("e2e: popup viewport: %w", err)
	}
	if err := Navigate(ctx, "chrome-extension://"+c.ExtID+"/popup/popup.html"); err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}
