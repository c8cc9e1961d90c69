import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { Badge } from './badge.js';
import { start } from './main.js';

const PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>';

function ready(level, extra = {}) {
  return {
    status: 'ready',
    level,
    function: { id: 42, name: 'exporter' },
    codeHash: 'ab'.repeat(32),
    report: {
      schemaVersion: 1,
      risk: { level, score: 80, summary: 'Sends your data to another host.' },
      findings: [
        { severity: 'medium', message: 'Reads secrets', file: 'handler.py', line: 3 },
        { severity: 'critical', message: 'Deletes every asset', file: 'handler.py', line: 12 },
        { severity: 'high', message: 'Posts data to example.org', file: 'lib/send.py', line: 7 },
      ],
      required: [{ acl: 'assetsAcl', action: 'WRITE', file: 'handler.py', line: 12 }, { acl: 'assetsAcl', action: 'WRITE', file: 'x.py', line: 1 }],
      permissions: { level: 'admin', canCall: true, missing: [], excess: ['groupsAcl:CREATE'] },
    },
    permission: { level: 'admin', explanation: 'You can change access for everyone.', reasons: ['groupsAcl:CREATE in all scopes'], canCall: true },
    ...extra,
  };
}

function badgeIn() {
  const win = new JSDOM('<main><button>Run</button></main>').window;
  const control = win.document.querySelector('button');
  const b = new Badge(control);
  b.place();
  return { win, control, b };
}

test('a ready badge: text, level, status and id per the DOM contract, and a panel with findings, level and needed vs held', () => {
  const { control, b } = badgeIn();
  b.render(ready('high'));
  const host = control.nextSibling;
  assert.equal(host.getAttribute('data-preflight'), 'badge');
  assert.equal(host.getAttribute('data-status'), 'ready');
  assert.equal(host.getAttribute('data-level'), 'high');
  assert.equal(host.getAttribute('data-function-id'), '42');
  assert.equal(host.hasAttribute('data-reason-code'), false);
  const button = host.shadowRoot.querySelector('button[part="badge"]');
  assert.equal(button.textContent, 'High risk · 3 findings · you are Admin');
  assert.equal(button.getAttribute('aria-label'), 'Preflight: High risk · 3 findings · you are Admin');
  const panel = host.shadowRoot.querySelector('[part="panel"][role="dialog"]');
  const lines = [...panel.querySelectorAll('li')].map((li) => li.firstChild.textContent);
  assert.deepEqual(lines.slice(0, 3), ['handler.py:12 — Deletes every asset', 'lib/send.py:7 — Posts data to example.org', 'handler.py:3 — Reads secrets']);
  assert.match(panel.textContent, /You would run it as: Admin/);
  assert.match(panel.textContent, /You can change access for everyone\./);
  assert.match(panel.textContent, /Needed by the code: assetsAcl:WRITE(?!,)/);
  assert.match(panel.textContent, /Held but not needed .*groupsAcl:CREATE/);
});

test('not analysed, loading and no-token are never shown as a level: data-level unknown, the reason code kept', () => {
  const { control, b } = badgeIn();
  const host = control.nextSibling;
  b.render({ status: 'not-analysed', level: 'none', reasonCode: 'no-access', reason: 'You cannot read the code.' });
  assert.equal(host.getAttribute('data-level'), 'unknown');
  assert.equal(host.getAttribute('data-reason-code'), 'no-access');
  assert.equal(host.shadowRoot.querySelector('[part="badge"]').textContent, 'Not analysed · no access to the code');
  assert.match(host.shadowRoot.querySelector('[part="panel"]').textContent, /Not analysed: You cannot read the code\. Treat it as unknown, not as safe\./);
  b.render(undefined);
  assert.equal(host.getAttribute('data-status'), 'loading');
  assert.equal(host.getAttribute('data-level'), 'unknown');
  assert.equal(host.hasAttribute('data-reason-code'), false);
  b.render({ status: 'ready', level: 'none' }); // ready without a report is not a verdict
  assert.equal(host.getAttribute('data-level'), 'unknown');
});

test('HTML in a function name, finding message and file is shown as text, never parsed', () => {
  const { win, control, b } = badgeIn();
  const st = ready('critical');
  st.function.name = PAYLOAD;
  st.report.findings[1].message = PAYLOAD;
  st.report.findings[1].file = PAYLOAD;
  st.permission.reasons = [PAYLOAD];
  b.render(st);
  b.open();
  const root = control.nextSibling.shadowRoot;
  assert.equal(root.querySelector('img, script'), null);
  assert.equal(win.document.querySelector('img, script'), null);
  assert.ok(root.querySelector('[part="panel"]').textContent.includes(PAYLOAD));
});

test('keyboard: the badge opens its panel, Esc closes it and focus returns to the badge', () => {
  const { win, control, b } = badgeIn();
  b.render(ready('high'));
  const root = control.nextSibling.shadowRoot;
  const button = root.querySelector('[part="badge"]');
  button.focus();
  button.click(); // Enter/Space on a native button activate it with a click
  const panel = root.querySelector('[part="panel"]');
  assert.equal(panel.hidden, false);
  assert.equal(button.getAttribute('aria-expanded'), 'true');
  panel.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
  assert.equal(panel.hidden, true);
  assert.equal(button.getAttribute('aria-expanded'), 'false');
  assert.equal(root.activeElement, button);
});

test('clicks on the badge do not reach the row it sits in', () => {
  const { win, control, b } = badgeIn();
  let rowClicks = 0;
  win.document.querySelector('main').addEventListener('click', () => rowClicks++);
  b.render(ready('high'));
  control.nextSibling.shadowRoot.querySelector('[part="badge"]').click();
  assert.equal(rowClicks, 0);
});

const flush = (win) => new Promise((r) => win.setTimeout(r, 80));

test('the content script: one badge per control, states asked once per function, re-rendered controls get fresh badges', async () => {
  const html = readFileSync(new URL('./testdata/modern.html', import.meta.url), 'utf8');
  const win = new JSDOM(html, { url: 'https://acme.fusion.cognite.com/acme-demo/functions?cluster=westeurope-1.cognitedata.com' }).window;
  const asked = [];
  const send = async (msg) => {
    if (msg.type === 'preflight/state') {
      asked.push(msg);
      return msg.functionId === 201 || msg.functionName === 'high-risk-exporter' ? ready('high', { function: { id: 201, name: 'high-risk-exporter' } }) : ready('none', { function: { id: 202, name: 'harmless-hello' } });
    }
    return { gate: false };
  };
  const stop = start(win, send);
  try {
    await flush(win);
    const badges = () => [...win.document.querySelectorAll('[data-preflight="badge"]')];
    assert.equal(badges().length, 3);
    for (const host of badges()) assert.equal(host.previousSibling.textContent, 'Run');
    assert.deepEqual(badges().map((h) => h.getAttribute('data-level')), ['high', 'none', 'high']);
    assert.equal(asked.length, 3);
    assert.deepEqual(asked[0], { type: 'preflight/state', cluster: 'westeurope-1.cognitedata.com', project: 'acme-demo', functionId: 201, functionName: 'high-risk-exporter' });

    // A re-render replaces the table with new nodes.
    const tbody = win.document.querySelector('tbody');
    tbody.innerHTML = tbody.innerHTML.replace(/<span[^>]*data-preflight[^>]*><\/span>/g, '');
    await flush(win);
    assert.equal(badges().length, 3);
    assert.equal(win.document.querySelectorAll('tbody [data-preflight="badge"]').length, 2);
    for (const host of badges()) assert.equal(host.previousSibling.textContent, 'Run');
    assert.equal(asked.length, 3, 'a re-render does not ask again');

    // Leaving the control removes its badge.
    win.document.querySelector('[role="dialog"]').remove();
    await flush(win);
    assert.equal(badges().length, 2);
  } finally {
    stop();
  }
});

test('the content script re-asks while the background is still loading, then shows the answer', async () => {
  const win = new JSDOM('<main><table><tr><td><a href="/p/functions/7">f</a></td><td><button>Run</button></td></tr></table></main>', { url: 'https://x.fusion.cognite.com/p/functions' }).window;
  let n = 0;
  const send = async () => (++n < 3 ? { status: 'loading', level: 'unknown' } : ready('critical', { function: { id: 7, name: 'f' } }));
  const stop = start(win, send);
  try {
    const host = win.document.querySelector('[data-preflight="badge"]');
    assert.equal(host.getAttribute('data-status'), 'loading');
    for (let i = 0; i < 40 && host.getAttribute('data-status') !== 'ready'; i++) await new Promise((r) => win.setTimeout(r, 100));
    assert.equal(host.getAttribute('data-status'), 'ready');
    assert.equal(host.getAttribute('data-level'), 'critical');
    assert.equal(n, 3);
  } finally {
    stop();
  }
});

test('the id the page shows stays on the badge whatever the state says; else the background\'s', () => {
  const { control, b } = badgeIn();
  const failed = { status: 'not-analysed', level: 'unknown', reasonCode: 'api-error', reason: 'CDF answered 500' };
  b.ident = { functionId: 42, functionName: 'exporter' };
  b.render({ ...failed, function: { name: 'exporter' } });
  const host = control.nextSibling;
  assert.equal(host.getAttribute('data-function-id'), '42', 'a function without an id');
  b.render(failed);
  assert.equal(host.getAttribute('data-function-id'), '42', 'no function at all');
  b.render({ ...failed, function: { id: 'not a number', name: 'exporter' } });
  assert.equal(host.getAttribute('data-function-id'), '42');
  b.ident = { functionName: 'exporter' };
  b.render({ ...failed, function: { id: 7, name: 'exporter' } });
  assert.equal(host.getAttribute('data-function-id'), '7', 'a name-only row takes the id the background resolved');
  b.render(failed);
  assert.equal(host.hasAttribute('data-function-id'), false, 'no id is invented');
});

test('in a narrow place the badge shrinks with an ellipsis instead of overflowing; the whole line stays in title and aria-label', () => {
  const { control, b } = badgeIn();
  b.render(ready('critical'));
  const root = control.nextSibling.shadowRoot;
  const css = root.querySelector('style').textContent;
  const rule = (sel) => css.match(new RegExp(`${sel.replace(/[[\]()"=]/g, '\\$&')} \\{([^}]*)\\}`))?.[1] ?? '';
  // jsdom has no layout: the browser tests check that every run control stays
  // clickable; here the rules that make it so.
  assert.match(rule(':host'), /min-width: 0/, 'the host may shrink below its text in a flex row');
  assert.match(rule(':host'), /flex: 1 1 0/, 'it shares a tight row instead of taking its text width first');
  assert.match(rule(':host'), /max-width: max-content/, 'and never grows beyond its text');
  assert.match(rule('[part="badge"]'), /overflow: hidden;.*text-overflow: ellipsis/s);
  assert.match(rule('[part="panel"]'), /position: fixed/, 'the panel is an overlay: opening it moves nothing');
  const button = root.querySelector('button[part="badge"]');
  assert.equal(button.title, 'Critical risk · 3 findings · you are Admin');
  assert.equal(button.getAttribute('aria-label'), 'Preflight: Critical risk · 3 findings · you are Admin');
});

test('a provisional answer says it waits for the organisation policy, not that the code changed', async () => {
  const { staleNote } = await import('./badge.js');
  assert.match(staleNote({ stale: true, provisional: true }), /organisation's policy/);
  assert.match(staleNote({ stale: true }), /code changed/);
});
