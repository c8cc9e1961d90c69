// Preflight in Firefox ESR, end to end against the sandbox CDF: the badges
// beside Fusion's run controls with the engine's levels, the persona's
// permission level, the gate (button and page hook), a 403 on the code, the
// HTML payload function, and the token kept out of extension storage.
// One browser for the whole file (Firefox takes CPU); each scenario opens
// its own tab, so each signs in and gets its own token.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  cfg, skipReason, levels, launch, openFusion, settledControls, readControls, expectedText, readGate, waitGate,
  clickGate, pressRun, openExtensionPage, openPanel, readPanel, callStatus, callsOf, control, requests, screenshot, sleep,
} from './harness.mjs';

let browser;
let ext;

before(async () => {
  if (skipReason) return;
  ext = await launch();
  browser = ext.browser;
  console.log(`Firefox ${await browser.version()}, extension ${ext.extensionId} at ${ext.extensionOrigin}`);
});

after(async () => {
  await browser?.close();
});

const fns = () => cfg.expected.functions;
const byId = (id) => fns().find((f) => String(f.id) === String(id));
const gating = (persona) => fns().filter((f) => f.status === 'Ready' && levels.atOrAbove(f.levels[persona].level, 'high'));

/** Every enabled run control of a settled page has one badge with the engine's level and the badge text. */
function assertBadges(controls, persona, { where }) {
  const live = controls.filter((c) => !c.disabled);
  assert.ok(live.length > 0, `${where}: no enabled run controls`);
  for (const c of live) {
    const b = c.badge;
    assert.ok(b, `${where}: run control "${c.control}" (row ${c.rowFunctionId}) has no badge beside it`);
    assert.ok(b.shadow, `${where}: badge of ${b.functionId} has no open shadow root`);
    const id = b.functionId ?? c.rowFunctionId;
    if (c.rowFunctionId) assert.equal(b.functionId, c.rowFunctionId, `${where}: badge names another function than its row`);
    if (c.rowBadges !== null) assert.equal(c.rowBadges, 1, `${where}: row ${c.rowFunctionId} has ${c.rowBadges} badges`);
    const fn = byId(id);
    assert.ok(fn, `${where}: badge for unknown function ${id}`);
    assert.equal(b.status, 'ready', `${where}: ${fn.dir} not analysed: ${b.reasonCode} — ${b.text}`);
    assert.equal(b.level, fn.levels[persona].level, `${where}: ${fn.dir}: level`);
    assert.equal(b.text, expectedText(persona, fn), `${where}: ${fn.dir}: badge text`);
    assert.equal(b.ariaLabel, `Preflight: ${b.text}`, `${where}: ${fn.dir}: aria-label`);
    assert.equal(b.unsafeNodes, 0, `${where}: ${fn.dir}: the badge holds img/script/iframe elements`);
  }
  return live;
}

/**
 * Waits until the page's badges pass assertBadges (an answer first given
 * from another tab's cached report may be replaced once this tab's own
 * analysis is done); fails with the last mismatch.
 */
async function waitBadges(page, persona, { where, timeout = 60_000, min = 1 }) {
  const end = Date.now() + timeout;
  for (;;) {
    const controls = await readControls(page);
    try {
      assert.ok(controls.filter((c) => !c.disabled).length >= min, `${where}: fewer than ${min} enabled run controls`);
      return assertBadges(controls, persona, { where });
    } catch (err) {
      if (Date.now() > end) throw err;
    }
    await sleep(300);
  }
}

test('classic list: a badge with the engine\'s level beside every run control of acme-demo', { skip: skipReason }, async () => {
  const page = await openFusion(browser, { variant: 'classic' });
  const live = await waitBadges(page, 'admin', { where: 'classic list', min: fns().filter((f) => f.status === 'Ready').length });
  const seen = new Set(live.map((c) => c.badge.functionId));
  for (const f of fns().filter((f) => f.status === 'Ready')) {
    assert.ok(seen.has(String(f.id)), `classic list: ${f.dir} (${f.id}) has no badge`);
  }
  await screenshot(page, 'firefox-badges-classic');

  // A re-render (new DOM nodes, as React re-keying) gets fresh badges, one per control.
  await page.evaluate(() => window.sandbox.rerender());
  await waitBadges(page, 'admin', { where: 'classic list after rerender' });

  // The panel of a high-risk badge: findings as text, no elements from CDF data.
  const high = gating('admin')[0];
  assert.ok(high, 'acme-demo has no function at or above high');
  const panel = await openPanel(page, high.id);
  assert.equal(panel.expanded, 'true');
  assert.equal(panel.unsafe, 0);
  assert.ok(panel.text.includes(levels.permissionLabel(cfg.expected.personas.admin.permission.level)), `panel does not name the permission level: ${panel.text}`);
  assert.match(panel.text, /\S+:\d+ — /, `panel shows no "file:line — message" finding: ${panel.text}`);
  await screenshot(page, 'firefox-panel');
  await page.keyboard.press('Escape');
  const closed = await readPanel(page, high.id);
  assert.deepEqual({ open: closed.open, expanded: closed.expanded, focus: closed.focus }, { open: false, expanded: 'false', focus: 'badge' },
    'Esc does not close the panel and return focus to the badge');
  await page.close();
});

test('modern variant: list, then the detail page after client-side navigation', { skip: skipReason }, async () => {
  const page = await openFusion(browser, { variant: 'modern' });
  await waitBadges(page, 'admin', { where: 'modern list' });
  const fn = gating('admin')[0];
  await page.evaluate((p) => window.sandbox.navigate(p), `/acme-demo/functions/${fn.id}`);
  await page.waitForFunction(() => location.pathname.split('/').length === 4, { timeout: 10_000 });
  const live = await waitBadges(page, 'admin', { where: 'modern detail page' });
  assert.ok(live.some((c) => c.badge.functionId === String(fn.id)), `detail page of ${fn.dir}: no badge for it`);
  await screenshot(page, 'firefox-badges-modern-detail');
  await page.close();
});

test('persona read-only: every badge says "you are Read-only" (the engine\'s level)', { skip: skipReason }, async () => {
  const perm = cfg.expected.personas.readonly.permission;
  assert.equal(levels.permissionLabel(perm.level), 'Read-only', `the engine judges the read-only persona ${perm.level}`);
  // Its own cluster host: this browser's other tabs are admin on CLUSTER (see the next test).
  const page = await openFusion(browser, { persona: 'readonly', cluster: 'asia-northeast1-1.cognitedata.com' });
  const live = await waitBadges(page, 'readonly', { where: 'read-only persona' });
  for (const c of live) assert.ok(c.badge.text.endsWith('you are Read-only'), c.badge.text);
  const first = live.find((c) => c.badge.status === 'ready');
  const { text } = await openPanel(page, first.badge.functionId, { keyboard: true });
  assert.ok(text.includes(perm.explanation), `the panel does not explain the level: ${text}`);
  await screenshot(page, 'firefox-readonly-panel');
  await page.close();
});

test('two identities on one cluster in two tabs: each tab shows its own level', {
  skip: skipReason,
}, async () => {
  const page = await openFusion(browser, { persona: 'readonly' }); // CLUSTER: admin tabs came first
  await waitBadges(page, 'readonly', { where: 'read-only tab after admin tabs', timeout: 20_000 });
  await page.close();
});

test('the gate: Cancel sends no call, "Run anyway" exactly one', { skip: skipReason }, async () => {
  const page = await openFusion(browser, { variant: 'classic' });
  await settledControls(page);
  const fn = gating('admin')[0];
  const before = (await callsOf(fn.id)).length;

  await pressRun(page, fn.id);
  const gate = await waitGate(page);
  assert.equal(gate.count, 1);
  assert.equal(gate.functionId, String(fn.id));
  assert.deepEqual([...gate.buttons].sort(), ['Cancel', 'Run anyway']);
  assert.equal(gate.focused, 'Cancel', 'focus does not start on Cancel');
  assert.ok(gate.heading.includes(fn.name), `gate heading does not name the function: ${gate.heading}`);
  assert.ok(gate.text.includes(levels.riskLabel(fn.levels.admin.level)), `gate does not state the risk: ${gate.text}`);
  assert.ok(gate.text.includes(levels.permissionLabel(cfg.expected.personas.admin.permission.level)), 'gate does not state the permission level');
  assert.equal(gate.unsafeNodes, 0);
  await screenshot(page, 'firefox-gate');
  await clickGate(page, 'Cancel');
  await sleep(1500); // a leaked call would have reached the sandbox by now
  assert.equal((await callsOf(fn.id)).length, before, 'Cancel: a call reached the API');

  await pressRun(page, fn.id);
  await waitGate(page);
  await clickGate(page, 'Run anyway');
  await page.waitForFunction(() => /Completed|failed/.test(document.querySelector('[data-testid="call-status"]')?.textContent ?? ''), { timeout: 20_000 });
  assert.match(await callStatus(page), /^Completed/);
  assert.equal((await callsOf(fn.id)).length, before + 1, '"Run anyway": not exactly one call');
  await page.close();
});

test('the page-hook gate holds a call made without any button; Esc cancels; "Run anyway" is remembered', { skip: skipReason }, async () => {
  const candidates = gating('admin');
  const fn = candidates[1] ?? candidates[0];
  const page = await openFusion(browser, { variant: 'compact' });
  await settledControls(page);
  const before = (await callsOf(fn.id)).length;

  await page.evaluate((id) => { window.sandbox.callFunction(id, {}); }, fn.id);
  const gate = await waitGate(page);
  assert.equal(gate.functionId, String(fn.id));
  await page.keyboard.press('Escape'); // Esc = Cancel
  await page.waitForFunction(() => !document.querySelector('div[data-preflight="gate"]'), { timeout: 10_000 });
  await page.waitForFunction(() => /failed/.test(document.querySelector('[data-testid="call-status"]')?.textContent ?? ''), { timeout: 10_000 });
  assert.equal((await callsOf(fn.id)).length, before, 'Esc: the held call reached the API');

  await page.evaluate((id) => { window.sandbox.callFunctionXHR(id, {}); }, fn.id);
  await waitGate(page);
  await clickGate(page, 'Run anyway');
  await page.waitForFunction(() => /Completed/.test(document.querySelector('[data-testid="call-status"]')?.textContent ?? ''), { timeout: 20_000 });
  assert.equal((await callsOf(fn.id)).length, before + 1, 'XHR "Run anyway": not exactly one call');

  // Same function, same code: no dialog the second time.
  const status = await callStatus(page);
  await page.evaluate((id) => { window.sandbox.callFunction(id, {}); }, fn.id);
  await page.waitForFunction((s) => {
    const t = document.querySelector('[data-testid="call-status"]')?.textContent ?? '';
    return t !== s && /Completed/.test(t);
  }, { timeout: 20_000 }, status);
  assert.equal(await readGate(page), null, 'the gate asked again after "Run anyway"');
  assert.equal((await callsOf(fn.id)).length, before + 2);
  await page.close();
});

test('a 403 on the code: "Not analysed · no access to the code", never a safe badge', { skip: skipReason }, async () => {
  // The safest-looking function, on a cluster no other scenario used (its own report cache).
  const fn = fns().filter((f) => f.status === 'Ready').sort((a, b) => levels.riskRank(a.levels.admin.level) - levels.riskRank(b.levels.admin.level))[0];
  await control('POST', '/_fake/downloads', { forbiddenFiles: [fn.fileId] });
  try {
    const page = await openFusion(browser, { variant: 'modern', path: `/${fn.id}`, cluster: 'northeurope-1.cognitedata.com' });
    const controls = await settledControls(page);
    const c = controls.find((x) => x.badge?.functionId === String(fn.id));
    assert.ok(c, `no badge for ${fn.dir} on its page`);
    assert.equal(c.badge.status, 'not-analysed');
    assert.equal(c.badge.level, 'unknown');
    assert.equal(c.badge.reasonCode, 'no-access');
    assert.ok(c.badge.text.startsWith(`${levels.NOT_ANALYSED} · no access to the code`), c.badge.text);
    await screenshot(page, 'firefox-not-analysed-403');
    await page.close();
  } finally {
    await control('POST', '/_fake/downloads', {});
  }
});

test('the payload function: its HTML and script render as text, nothing runs', { skip: skipReason }, async () => {
  const fn = byId(cfg.expected.payloadId);
  assert.ok(fn, 'acme-demo has no payload function');
  assert.match(fn.name, /<img|<script/i, 'the payload function\'s name holds no markup');
  const page = await openFusion(browser, { variant: 'classic' });
  const live = await waitBadges(page, 'admin', { where: 'payload list' });
  assert.ok(live.some((c) => c.badge.functionId === String(fn.id)), 'no badge for the payload function');
  if (levels.atOrAbove(fn.levels.admin.level, 'high')) {
    await page.evaluate((id) => { window.sandbox.callFunction(id, {}); }, fn.id);
    const gate = await waitGate(page);
    assert.ok(gate.heading.includes(fn.name), `gate heading does not show the name as text: ${gate.heading}`);
    assert.equal(gate.unsafeNodes, 0);
    await clickGate(page, 'Cancel');
  }
  const state = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    imgs: document.querySelectorAll('img[src="x"]').length,
  }));
  assert.deepEqual(state, { pwned: 'undefined', imgs: 0 });
  await page.close();
});

test('the token is in no extension storage and went to no host but its cluster', { skip: skipReason }, async () => {
  const tokens = ((await control('GET', '/_fake/tokens')).items ?? []).map((i) => i.token);
  assert.ok(tokens.length > 0, 'the sandbox minted no token: no page signed in');
  // storage.local/session/sync read from an extension page (the profile on
  // disk is searched by the Go test after Firefox exits).
  const page = await openExtensionPage(browser, ext.extensionOrigin, 'popup/popup.html');
  const dump = await page.evaluate(async () => {
    const api = globalThis.browser ?? globalThis.chrome;
    const out = {};
    for (const area of ['local', 'session', 'sync']) {
      try { out[area] = await api.storage[area].get(null); } catch (e) { out[area] = `unreadable: ${e}`; }
    }
    return JSON.stringify(out);
  });
  console.log(`extension storage: ${dump.length} bytes (${Object.keys(JSON.parse(dump).local ?? {}).length} local keys)`);
  for (const t of tokens) assert.ok(!dump.includes(t), 'a token is in extension storage');
  await page.close();

  const log = await requests();
  const withAuth = log.filter((r) => r.hasAuth);
  assert.ok(withAuth.length > 0);
  for (const r of withAuth) {
    assert.equal(r.origin, 'api', `Authorization sent to a ${r.origin} host: ${r.method} ${r.host}${r.path}`);
    assert.match(r.host.replace(/:\d+$/, ''), /^[a-z0-9-]+\.cognitedata\.com$/, `Authorization sent to ${r.host}`);
    assert.doesNotMatch(r.host, /^(storage|canary)\./, `Authorization sent to ${r.host}`);
  }
  const refused = log.filter((r) => r.origin === 'proxy-refused');
  if (refused.length) console.log(`proxy refused: ${[...new Set(refused.map((r) => r.host))].join(', ')}`);
});

