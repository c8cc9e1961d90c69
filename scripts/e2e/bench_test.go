package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

// recorderJS runs in every document before the page's scripts: it notes,
// for each badge host, when it first reached a settled status (ready or not
// analysed), so the latency is measured where it happens and not when the
// test happens to look.
const recorderJS = `(() => {
  const seen = new WeakSet(); window.__pfSettled = [];
  const scan = () => {
    for (const b of document.querySelectorAll('span[data-preflight="badge"]')) {
      const s = b.getAttribute('data-status');
      if ((s === 'ready' || s === 'not-analysed') && !seen.has(b)) { seen.add(b); window.__pfSettled.push(performance.now()); }
    }
  };
  new MutationObserver(scan).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-status']});
})()`

// latencyJS waits until every run control rendered by the last
// performance.mark('sandbox:controls') has a settled badge and returns the
// milliseconds from that mark to the first and to the last of them.
const latencyJS = `(async () => {
  const deadline = performance.now() + 30000;
  for (;;) {
    const marks = performance.getEntriesByName('sandbox:controls');
    if (marks.length) {
      const t0 = marks[marks.length - 1].startTime;
      const n = document.querySelectorAll('` + RunControls + `').length;
      const after = window.__pfSettled.filter(t => t >= t0);
      if (n > 0 && after.length >= n) return {first: Math.min(...after) - t0, all: Math.max(...after.slice(0, n)) - t0};
    }
    if (performance.now() > deadline) return {first: -1, all: -1};
    await new Promise(r => setTimeout(r, 10));
  }
})()`

// latency is latencyJS's answer.
type latency struct {
	First float64 `json:"first"`
	All   float64 `json:"all"`
}

// BenchmarkBadgeLatency measures, in Chromium against the sandbox, the time
// from the page's run controls appearing to every one of them carrying a
// settled badge. warm: the extension running, the engine loaded and the
// reports cached, the list re-rendered with new nodes. cold: a fresh
// profile, the first navigation (the service worker starts, loads the wasm,
// fetches and analyses every function). Budget (issue 6): < 300 ms warm,
// < 1 s cold — reported, not asserted: ms/first-badge until the first badge
// is settled, ms/all-badges until every control of the page has one.
//
// In a Chromium started moments before (as here), storage.managed answers
// only once the browser's policy service is up, about 2 s after launch: the
// cold badges are then made with the user's or default policy, marked
// provisional (and stale), and replaced when the organisation's policy is
// known — the time to that is the browser's, not the extension's. Where the
// extension's cold time goes is in background/reports.js and engine.js.
func BenchmarkBadgeLatency(b *testing.B) {
	srv := Sandbox(b)
	url := FusionURL(DemoProject, server.Admin, "classic")
	b.Run("warm", func(b *testing.B) {
		c := StartChromium(b, srv)
		if _, err := chromedp.Call(c.Ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recorderJS}); err != nil {
			b.Fatal(err)
		}
		if err := Navigate(c.Ctx, url); err != nil {
			b.Fatal(err)
		}
		if err := WaitSettled(c.Ctx, settleTimeout); err != nil {
			b.Fatal(err)
		}
		var first, all float64
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := Eval[bool](c.Ctx, `(window.sandbox.rerender(), true)`); err != nil {
				b.Fatal(err)
			}
			l, err := Eval[latency](c.Ctx, latencyJS)
			if err != nil || l.All < 0 {
				b.Fatalf("badges did not settle after a re-render: %v", err)
			}
			first, all = first+l.First, all+l.All
		}
		b.ReportMetric(first/float64(b.N), "ms/first-badge")
		b.ReportMetric(all/float64(b.N), "ms/all-badges")
	})
	b.Run("cold", func(b *testing.B) {
		bin, ext := NeedChromium(b)
		var first, all float64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			prof, err := os.MkdirTemp("", "preflight-bench-")
			if err != nil {
				b.Fatal(err)
			}
			c, err := LaunchChromium(context.Background(), srv, ChromiumConfig{Bin: bin, Ext: ext, Profile: prof, Headless: true})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := chromedp.Call(c.Ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recorderJS}); err != nil {
				b.Fatal(err)
			}
			// Let the freshly installed extension's worker go idle-ready
			// before the measured navigation, like a browser opened earlier.
			time.Sleep(500 * time.Millisecond)
			b.StartTimer()
			if err := Navigate(c.Ctx, url); err != nil {
				b.Fatal(err)
			}
			l, err := Eval[latency](c.Ctx, latencyJS)
			b.StopTimer()
			c.Close()
			os.RemoveAll(prof)
			if err != nil || l.All < 0 {
				b.Fatalf("badges did not settle on the first load: %v", err)
			}
			first, all = first+l.First, all+l.All
		}
		b.ReportMetric(first/float64(b.N), "ms/first-badge")
		b.ReportMetric(all/float64(b.N), "ms/all-badges")
	})
}
