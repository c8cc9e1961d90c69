// Command demo shows the Preflight extension working: it starts the sandbox
// CDF, launches Chromium with dist/chrome (headless unless $DISPLAY is set),
// opens acme-demo's functions page in Fusion and saves screenshots of the
// badges, a high-risk badge's panel, the gate dialog after pressing Call and
// the popup for that tab. `make demo` builds dist/ first and runs
//
//	go run ./scripts/demo [-out demo]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cdf-preflight/preflight/scripts/e2e"
	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

func main() {
	out := flag.String("out", "demo", "folder for the screenshots")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	root, err := e2e.RepoRoot()
	if err != nil {
		return err
	}
	ext, err := e2e.Package(root, "chrome")
	if err != nil {
		return err
	}
	bin := e2e.ChromiumPath()
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("no Chromium at %s (set PREFLIGHT_CHROMIUM): %w", bin, err)
	}
	srv, err := e2e.StartSandbox(root)
	if err != nil {
		return err
	}
	defer srv.Close()
	prof, err := os.MkdirTemp("", "preflight-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(prof)
	headless := os.Getenv("DISPLAY") == ""
	c, err := e2e.LaunchChromium(context.Background(), srv, e2e.ChromiumConfig{Bin: bin, Ext: ext, Profile: prof, Headless: headless})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	ctx := c.Ctx
	pageURL := e2e.FusionURL(e2e.DemoProject, server.Admin, "classic")
	fmt.Println("opening", pageURL)
	if err := e2e.Navigate(ctx, pageURL); err != nil {
		return err
	}
	if err := e2e.WaitSettled(ctx, time.Minute); err != nil {
		return err
	}
	var saved []string
	save := func(name string, shoot func(string) error) error {
		path := filepath.Join(out, name)
		if err := shoot(path); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		saved = append(saved, path)
		return nil
	}
	page := func(path string) error { return e2e.Screenshot(ctx, path) }
	if err := save("badges.png", page); err != nil {
		return err
	}

	// The highest-risk function the engine can analyse: its panel, then its gate.
	fid, err := riskiest(srv)
	if err != nil {
		return err
	}
	sel := e2e.BadgeJS(fid)
	if ok, err := e2e.Eval[bool](ctx, e2e.ClickBadgeJS(sel)); err != nil || !ok {
		return fmt.Errorf("no badge for function %s: %v", fid, err)
	}
	if err := e2e.WaitJS(ctx, `(`+e2e.PanelJS(sel)+`).open`, 10*time.Second); err != nil {
		return err
	}
	if err := save("panel.png", page); err != nil {
		return err
	}
	if _, err := e2e.Eval[bool](ctx, e2e.ClickBadgeJS(sel)); err != nil {
		return err
	}

	control := `[data-function-id="` + fid + `"] [data-testid="run-control"]`
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(control), chromedp.NodeVisible)); err != nil {
		return fmt.Errorf("press Call: %w", err)
	}
	gate := `!!document.querySelector('div[data-preflight="gate"]')`
	if err := e2e.WaitJS(ctx, gate, 5*time.Second); err != nil {
		// Classic Fusion's row button opens the call dialog; its Call asks.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[role="dialog"] button.primary`), chromedp.NodeVisible)); err != nil {
			return fmt.Errorf("press Call in the dialog: %w", err)
		}
		if err := e2e.WaitJS(ctx, gate, 15*time.Second); err != nil {
			return fmt.Errorf("the gate did not show: %w", err)
		}
	}
	time.Sleep(300 * time.Millisecond) // let the dialog's entrance settle
	if err := save("gate.png", page); err != nil {
		return err
	}
	if _, err := e2e.Eval[bool](ctx, e2e.ClickGateJS("Cancel")); err != nil {
		return err
	}

	pctx, cancel, err := c.OpenPopup()
	if err != nil {
		return err
	}
	defer cancel()
	if err := e2e.WaitJS(pctx, `(() => { const ds = [...document.querySelectorAll('details[data-status]')]; return ds.length > 0 && ds.every(d => d.dataset.status !== 'loading'); })()`, 15*time.Second); err != nil {
		return err
	}
	if err := save("popup.png", func(path string) error { return e2e.Screenshot(pctx, path) }); err != nil {
		return err
	}

	fmt.Println()
	fmt.Println("Screenshots:")
	for _, p := range saved {
		abs, _ := filepath.Abs(p)
		fmt.Println("  ", abs)
	}
	fmt.Println()
	fmt.Println("Load the extension by hand:")
	fmt.Println("  Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked →", filepath.Join(root, "dist", "chrome"))
	fmt.Println("  Firefox:         about:debugging → This Firefox → Load Temporary Add-on →", filepath.Join(root, "dist", "firefox", "manifest.json"))
	fmt.Println("  Sandbox Fusion:  go run ./scripts/fakecdf (prints the URL and the browser flags to reach it)")
	return nil
}

// riskiest is the acme-demo function with the highest level the engine
// gives (critical before high), on the page.
func riskiest(srv *server.Server) (string, error) {
	best, rank := "", -1
	for _, dir := range []string{"risky-caller-token-webhook", "risky-slack-webhook", "risky-group-create"} {
		f := srv.FunctionByDir(dir)
		if f == nil {
			continue
		}
		e, err := e2e.Expect(srv, f, server.Admin, e2e.DemoProject)
		if err != nil {
			return "", err
		}
		if r := e2e.RiskRank(e.Level); e.Level != "unknown" && r > rank {
			best, rank = strconv.FormatInt(f.ID, 10), r
		}
	}
	if best == "" {
		return "", errors.New("none of acme-demo's risky functions is served")
	}
	return best, nil
}
