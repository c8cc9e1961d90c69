// The Firefox end-to-end harness: Firefox ESR with the Firefox package as
// shipped (dist/firefox) installed as a temporary add-on over WebDriver BiDi
// (puppeteer-core), reaching the sandbox CDF under the real host names
// through the sandbox's CONNECT proxy; helpers that read the extension's DOM
// contract (t6-contract.md) and the sandbox's request log.
//
// The Go test scripts/e2e/firefox_test.go starts the sandbox and runs these
// tests with the settings below in the environment; run alone, they skip.

import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import puppeteer from 'puppeteer-core';

const env = process.env;

/** Settings from the Go test; null when run without it. */
export const cfg = env.PREFLIGHT_FF_EXT
  ? {
      firefox: env.PREFLIGHT_FIREFOX || '/usr/bin/firefox-esr',
      ext: env.PREFLIGHT_FF_EXT, // dist/firefox
      proxy: env.PREFLIGHT_FF_PROXY, // host:port of the sandbox's CONNECT proxy
      api: env.PREFLIGHT_FF_API, // https://127.0.0.1:P — the sandbox's control API, directly
      ca: readFileSync(env.PREFLIGHT_FF_CA), // the sandbox's certificate (PEM)
      expected: JSON.parse(readFileSync(env.PREFLIGHT_FF_EXPECTED, 'utf8')),
      out: env.PREFLIGHT_FF_OUT, // screenshots
      profile: env.PREFLIGHT_FF_PROFILE, // the Firefox profile (kept: the Go test searches it)
    }
  : null;

export const skipReason = cfg ? false : 'run through `go test ./scripts/e2e -run Firefox` (it starts the sandbox)';

/** The cluster every scenario's Fusion page calls, unless it needs a fresh cache. */
export const CLUSTER = 'westeurope-1.cognitedata.com';
export const FUSION = 'https://acme.fusion.cognite.com';

/** The risk levels and labels as the shipped extension words them. */
export const levels = cfg ? await import(join(cfg.ext, 'lib', 'levels.js')) : null;

const geckoId = cfg ? JSON.parse(readFileSync(join(cfg.ext, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id : '';

/**
 * Launches Firefox with the extension installed. Its moz-extension:// UUID
 * is fixed through a pref so the tests can open extension pages.
 */
export async function launch() {
  const [proxyHost, proxyPort] = cfg.proxy.split(':');
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: cfg.firefox,
    headless: true,
    acceptInsecureCerts: true, // the sandbox's self-signed certificate, for pages and the add-on's fetches
    userDataDir: cfg.profile,
    defaultViewport: { width: 1440, height: 900 },
    extraPrefsFirefox: {
      // Firefox has no --host-resolver-rules: every HTTPS connection goes
      // through the sandbox's proxy, which maps the CDF and Fusion hosts to
      // the sandbox and refuses (and logs) everything else.
      'network.proxy.type': 1,
      'network.proxy.ssl': proxyHost,
      'network.proxy.ssl_port': Number(proxyPort),
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
    },
  });
  const id = await browser.installExtension(cfg.ext);
  return { browser, extensionId: id, extensionOrigin: `moz-extension://${uuid}` };
}

/**
 * Opens an extension page (moz-extension://…) in a new tab. Firefox loads
 * it, but WebDriver BiDi reports no navigation for the moz-extension scheme,
 * so the load is awaited in the page itself.
 */
export async function openExtensionPage(browser, origin, path) {
  const page = await browser.newPage();
  const url = `${origin}/${path}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 3_000 }).catch((e) => {
    if (e.name !== 'TimeoutError') throw e;
  });
  const end = Date.now() + 15_000;
  for (;;) {
    const href = await page.evaluate(() => document.readyState !== 'loading' && location.href).catch(() => null);
    if (href === url) return page;
    if (Date.now() > end) throw new Error(`extension page ${url} did not load (at ${href})`);
    await sleep(100);
  }
}

/** The URL of a Fusion functions page in the sandbox. */
export function fusionURL({ project = 'acme-demo', path = '', cluster = CLUSTER, persona = 'admin', variant = 'classic' } = {}) {
  const q = new URLSearchParams({ cluster, persona, variant });
  return `${FUSION}/${project}/functions${path}?${q}`;
}

/** Opens a new tab on a Fusion functions page and waits for its run controls. */
export async function openFusion(browser, opts) {
  const page = await browser.newPage();
  await page.goto(fusionURL(opts));
  await page.waitForSelector('[data-testid="run-control"]', { timeout: 30_000 });
  return page;
}

/**
 * The page's run controls: the list's and the function page's (the sandbox
 * marks them with data-testid) and the primary button of the page's own
 * call dialog (Call, Run, Call function).
 */
export const RUN_CONTROLS = '[data-testid="run-control"], [role="dialog"] button.primary';

/**
 * Every run control on the page with the badge beside it: the badge is the
 * control's next sibling (or, when the content script anchors it on a
 * wrapper, the wrapper's — up to three levels up). Runs in the page.
 * With hit, each control is scrolled into view and `covered` names what is
 * on top of its centre when that is not the control (a user could not click
 * it); null when the control itself is hit.
 */
export function readControls(page, { hit = false } = {}) {
  return page.evaluate((sel, hit) => {
    const badgeOf = (el) => {
      for (let n = el, i = 0; n && i < 4; n = n.parentElement, i++) {
        const s = n.nextElementSibling;
        if (s && s.matches('span[data-preflight="badge"]')) return s;
      }
      return null;
    };
    const coveredBy = (c) => {
      c.scrollIntoView({ block: 'center', inline: 'center' });
      const r = c.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return 'nothing: the control has no size';
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!top || top === c || c.contains(top)) return null;
      if (top.matches('span[data-preflight="badge"]')) return `the Preflight badge of function ${top.dataset.functionId ?? '?'}`;
      return top.tagName.toLowerCase() + (typeof top.className === 'string' && top.className ? `.${top.className.trim().split(/\s+/).join('.')}` : '');
    };
    return [...document.querySelectorAll(sel)].filter((c) => !c.closest('[data-preflight]')).map((c) => {
      const row = c.closest('[data-testid="function-row"]');
      const b = badgeOf(c);
      const button = b?.shadowRoot?.querySelector('button[part="badge"]');
      return {
        rowFunctionId: row?.dataset.functionId ?? null,
        control: (c.getAttribute('aria-label') || c.getAttribute('title') || c.textContent || '').trim(),
        disabled: c.disabled === true || c.getAttribute('aria-disabled') === 'true',
        inDialog: !!c.closest('[role="dialog"]'),
        next: !!c.nextElementSibling?.matches('span[data-preflight="badge"]'),
        covered: hit ? coveredBy(c) : null,
        // badges in the same row (exactly one per control is the contract)
        rowBadges: row ? row.querySelectorAll('span[data-preflight="badge"]').length : null,
        badge: b && {
          functionId: b.dataset.functionId ?? null,
          status: b.dataset.status,
          level: b.dataset.level,
          reasonCode: b.dataset.reasonCode ?? null,
          shadow: !!b.shadowRoot,
          text: button?.textContent ?? null,
          ariaLabel: button?.getAttribute('aria-label') ?? null,
          unsafeNodes: b.shadowRoot ? b.shadowRoot.querySelectorAll('img,script,iframe,object,embed').length : 0,
        },
      };
    });
  }, RUN_CONTROLS, hit);
}

/** Every badge host of the page: {functionId, status, level, reasonCode, text}. */
export function readBadges(page) {
  return page.evaluate(() => [...document.querySelectorAll('span[data-preflight="badge"]')].map((b) => ({
    functionId: b.dataset.functionId ?? null,
    status: b.dataset.status,
    level: b.dataset.level,
    reasonCode: b.dataset.reasonCode ?? null,
    text: b.shadowRoot?.querySelector('button[part="badge"]')?.textContent ?? null,
  })));
}

/**
 * Opens the page's call dialog for a function by pressing its run control
 * (a real click; the row's control, else the page's only one). The sandbox
 * re-renders its list every 5 s like Fusion, so a click can land on a node
 * being replaced: it is tried again. Resolves once the dialog's primary
 * button has its badge.
 */
export async function openCallDialog(page, functionId) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const c = await page.$(`[data-testid="function-row"][data-function-id="${functionId}"] [data-testid="run-control"]`)
      ?? await page.$('[data-testid="run-control"]');
    if (!c) throw new Error(`no run control for function ${functionId}`);
    await c.click().catch(() => {});
    const open = await page.waitForFunction(() => {
      const b = document.querySelector('[role="dialog"] button.primary');
      return !!b && !!b.nextElementSibling?.matches('span[data-preflight="badge"]');
    }, { timeout: 5_000 }).then(() => true, () => false);
    if (open) return;
  }
  throw new Error(`the call dialog of function ${functionId} did not open (or its control got no badge)`);
}

/** Waits until every enabled run control has a settled badge (ready or not-analysed); returns them. */
export async function settledControls(page, { timeout = 60_000, min = 1 } = {}) {
  const end = Date.now() + timeout;
  let last = [];
  for (;;) {
    last = await readControls(page);
    const live = last.filter((c) => !c.disabled);
    if (live.length >= min && live.every((c) => c.badge && (c.badge.status === 'ready' || c.badge.status === 'not-analysed'))) {
      return last;
    }
    if (Date.now() > end) {
      throw new Error(`badges did not settle in ${timeout} ms: ${JSON.stringify(last, null, 1)}`);
    }
    await sleep(250);
  }
}

/** The expected badge text for a function analysed for a persona (levels.badgeText of the engine's answer). */
export function expectedText(persona, fn) {
  const p = cfg.expected.personas[persona];
  return levels.badgeText({
    status: 'ready',
    level: fn.levels[persona].level,
    report: { risk: { level: fn.levels[persona].level }, findings: new Array(fn.levels[persona].findings).fill({}) },
    permission: { level: p.permission.level },
  });
}

/** A badge's panel: {open, expanded, focus ('badge'|'panel'|other), text, unsafe}. */
export function readPanel(page, functionId) {
  return page.evaluate((id) => {
    const root = document.querySelector(`span[data-preflight="badge"][data-function-id="${id}"]`)?.shadowRoot;
    const button = root?.querySelector('button[part="badge"]');
    const p = root?.querySelector('[part="panel"][role="dialog"]');
    const active = root?.activeElement;
    return {
      open: !!p && p.checkVisibility(),
      expanded: button?.getAttribute('aria-expanded') ?? null,
      focus: !active ? null : active === button ? 'badge' : p?.contains(active) ? 'panel' : active.tagName,
      text: p?.textContent ?? '',
      unsafe: root ? root.querySelectorAll('img,script,iframe,object,embed').length : 0,
    };
  }, String(functionId));
}

/** Opens a badge's panel with a real click (or keyboard: focus + Enter); returns readPanel once open. */
export async function openPanel(page, functionId, { keyboard = false } = {}) {
  const btn = (await page.evaluateHandle((id) => document
    .querySelector(`span[data-preflight="badge"][data-function-id="${id}"]`)?.shadowRoot
    ?.querySelector('button[part="badge"]') ?? null, String(functionId))).asElement();
  if (!btn) throw new Error(`no badge button for function ${functionId}`);
  if (keyboard) {
    await btn.focus();
    await page.keyboard.press('Enter');
  } else {
    await btn.click();
  }
  const end = Date.now() + 10_000;
  for (;;) {
    const p = await readPanel(page, functionId);
    if (p.open) return p;
    if (Date.now() > end) throw new Error(`the panel of ${functionId} did not open`);
    await sleep(100);
  }
}

/** The gate's state in the page, or null when there is none. */
export function readGate(page) {
  return page.evaluate(() => {
    const g = document.querySelectorAll('div[data-preflight="gate"]');
    if (g.length === 0) return null;
    const root = g[0].shadowRoot;
    const dialog = root?.querySelector('[role="alertdialog"]');
    const buttons = root ? [...root.querySelectorAll('button')].map((b) => b.textContent.trim()) : [];
    const active = root?.activeElement;
    return {
      count: g.length,
      functionId: g[0].dataset.functionId ?? null,
      status: g[0].dataset.status ?? null, // loading ("Still checking…") | ready | not-analysed | …
      level: g[0].dataset.level ?? null,
      hasDialog: !!dialog,
      text: dialog?.textContent ?? '',
      heading: dialog?.querySelector('h1,h2,h3,[role="heading"]')?.textContent ?? '',
      buttons,
      focused: active ? active.textContent.trim() : null,
      unsafeNodes: root ? root.querySelectorAll('img,script,iframe,object,embed').length : 0,
    };
  });
}

/** Waits for the gate dialog. */
export async function waitGate(page, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const g = await readGate(page);
    if (g?.hasDialog) return g;
    if (Date.now() > end) throw new Error(`no gate dialog after ${timeout} ms`);
    await sleep(150);
  }
}

/** Clicks (a real, trusted click) the gate button with this exact text. */
export async function clickGate(page, text) {
  const h = await page.evaluateHandle((t) => {
    const root = document.querySelector('div[data-preflight="gate"]')?.shadowRoot;
    return [...(root?.querySelectorAll('button') ?? [])].find((b) => b.textContent.trim() === t) ?? null;
  }, text);
  const el = h.asElement();
  if (!el) throw new Error(`gate has no button "${text}"`);
  await el.click();
  await page.waitForFunction(() => !document.querySelector('div[data-preflight="gate"]'), { timeout: 10_000 });
}

/**
 * Presses a function's run control (a real click) and, when the page opens
 * its own call dialog rather than calling at once, presses that dialog's
 * primary button too — until the gate shows or the call status changes.
 */
export async function pressRun(page, functionId) {
  await closePageDialog(page);
  const control = await page.$(`[data-testid="function-row"][data-function-id="${functionId}"] [data-testid="run-control"]`)
    ?? await page.$('[data-testid="run-control"]');
  if (!control) throw new Error(`no run control for function ${functionId}`);
  await control.click();
  const end = Date.now() + 15_000;
  let pressedModal = false;
  while (Date.now() < end) {
    if ((await readGate(page))?.hasDialog) return;
    if (!pressedModal) {
      const h = await page.evaluateHandle(() => {
        const dialog = [...document.querySelectorAll('[role="dialog"], dialog[open], [aria-modal="true"]')]
          .find((d) => !d.closest('[data-preflight]'));
        if (!dialog) return null;
        return [...dialog.querySelectorAll('button')].find((b) => /^(Call|Run|Call function)$/.test(b.textContent.trim())) ?? null;
      });
      const el = h.asElement();
      if (el) {
        pressedModal = true;
        await el.click();
      }
    }
    await sleep(150);
  }
  throw new Error(`pressing Run/Call on ${functionId} showed no gate`);
}

/** Closes the page's own call dialog, if one is open (its "Cancel" button), so run controls are clickable. */
export async function closePageDialog(page) {
  const h = await page.evaluateHandle(() => {
    const dialog = [...document.querySelectorAll('[role="dialog"]')].find((d) => !d.closest('[data-preflight]'));
    return dialog ? [...dialog.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Cancel') ?? null : null;
  });
  const el = h.asElement();
  if (!el) return;
  await el.click();
  await page.waitForFunction(() => ![...document.querySelectorAll('[role="dialog"]')].some((d) => !d.closest('[data-preflight]')), { timeout: 5_000 });
}

/** The sandbox's text of the last call's status ("Completed (call N)", "Call failed: …"), or ''. */
export function callStatus(page) {
  return page.evaluate(() => document.querySelector('[data-testid="call-status"]')?.textContent ?? '');
}

/** GET/POST the sandbox's control API (directly, trusting its certificate). */
export function control(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = https.request(`${cfg.api}${path}`, {
      method, ca: cfg.ca,
      headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {},
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(text ? JSON.parse(text) : null);
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Sets how the sandbox's storage hosts serve zips (scripts/fakecdf/server Downloads; durations in ms). */
export function setDownloads({ forbiddenFiles, slowChunkMs, oversizeBytes } = {}) {
  return control('POST', '/_fake/downloads', {
    ...(forbiddenFiles ? { forbiddenFiles } : {}),
    ...(slowChunkMs ? { slowChunk: slowChunkMs * 1e6 } : {}), // Go time.Duration: nanoseconds
    ...(oversizeBytes ? { oversizeBytes } : {}),
  });
}

/** Makes the sandbox's API answer requests whose path contains `path` with `status`. */
export function addFault({ path, status }) {
  return control('POST', '/_fake/faults', { path, status });
}

/** The sandbox's request log. */
export async function requests() {
  return (await control('GET', '/_fake/requests')).items ?? [];
}

/** The POST …/functions/{id}/call requests the API received for a function. */
export async function callsOf(functionId) {
  const re = new RegExp(`/api/v1/projects/[^/]+/functions/${functionId}/call$`);
  return (await requests()).filter((r) => r.method === 'POST' && re.test(r.path));
}

/** Saves a screenshot of the page under the output folder; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(cfg.out, { recursive: true });
  const path = join(cfg.out, `${name}.png`);
  writeFileSync(path, await page.screenshot({ type: 'png' }));
  console.log(`screenshot: ${path}`);
  return path;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
