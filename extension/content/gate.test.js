import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { Gatekeeper, installClickGate } from './gate.js';
import { pageContext } from './detect.js';

const critical = {
  status: 'ready',
  level: 'critical',
  codeHash: 'c0de',
  function: { id: 111, name: 'sensor-sync' },
  report: { risk: { level: 'critical', summary: 'Deletes data.' }, findings: [{ severity: 'critical', message: 'Deletes every asset', file: 'handler.py', line: 12 }], required: [] },
  permission: { level: 'admin', explanation: 'You can change everything.', reasons: [] },
};

/** The classic page with the click gate on; clicks on the modal's "Call" are counted by the page. */
function setup(answer, { onGate, opts } = {}) {
  const html = readFileSync(new URL('./testdata/classic.html', import.meta.url), 'utf8');
  const win = new JSDOM(html, { url: 'https://acme.fusion.cognite.com/acme-demo/functions?cluster=westeurope-1.cognitedata.com' }).window;
  const sent = [];
  const send = async (msg) => {
    sent.push(msg);
    if (msg.type === 'preflight/state') return critical;
    if (msg.type === 'preflight/gate') return onGate ? onGate(msg) : answer;
    return { ok: true };
  };
  const keeper = new Gatekeeper(win.document, send, opts);
  installClickGate(win, keeper, () => pageContext(win.location));
  const pageClicks = { call: 0, opener: 0 };
  const call = win.document.querySelector('[role="dialog"] button.primary');
  call.addEventListener('click', () => pageClicks.call++);
  win.document.querySelector('[aria-label="Call"]').addEventListener('click', () => pageClicks.opener++);
  return { win, sent, keeper, call, pageClicks };
}

async function gateShown(win) {
  for (let i = 0; i < 50; i++) {
    const g = win.document.querySelector('[data-preflight="gate"]');
    if (g) return g;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no gate dialog');
}
const settle = () => new Promise((r) => setTimeout(r, 20));
const button = (gate, text) => [...gate.shadowRoot.querySelectorAll('button')].find((b) => b.textContent === text);

test('Run anyway: the dialog names the function, risk, findings and level; APPROVE is sent and the click reaches the page once', async () => {
  const { win, sent, keeper, call, pageClicks } = setup({ gate: true, threshold: 'high', state: critical });
  call.click();
  const gate = await gateShown(win);
  assert.equal(pageClicks.call, 0, 'held while the dialog is open');
  assert.equal(gate.parentNode, win.document.documentElement);
  assert.equal(gate.getAttribute('data-function-id'), '111');
  const dialog = gate.shadowRoot.querySelector('[role="alertdialog"]');
  assert.match(dialog.querySelector('h2').textContent, /Critical risk: sensor-sync/);
  assert.match(dialog.textContent, /handler\.py:12 — Deletes every asset/);
  assert.match(dialog.textContent, /You would run it as: Admin/);
  assert.equal(gate.shadowRoot.activeElement, button(gate, 'Cancel'), 'focus starts on Cancel');
  assert.deepEqual(sent.find((m) => m.type === 'preflight/state'), { type: 'preflight/state', cluster: 'westeurope-1.cognitedata.com', project: 'acme-demo', functionName: 'sensor-sync' });

  button(gate, 'Run anyway').click();
  await settle();
  assert.equal(pageClicks.call, 1);
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), null);
  assert.deepEqual(sent.find((m) => m.type === 'preflight/approve'), { type: 'preflight/approve', cluster: 'westeurope-1.cognitedata.com', project: 'acme-demo', functionId: 111, codeHash: 'c0de' });
  assert.equal(keeper.takeOnce(111), true, 'the call this click makes passes the page hook without a second question');
  assert.equal(keeper.takeOnce(111), false);
});

test('Cancel and Esc: nothing reaches the page', async () => {
  const { win, sent, call, pageClicks } = setup({ gate: true, threshold: 'high', state: critical });
  call.click();
  button(await gateShown(win), 'Cancel').click();
  await settle();
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), null);
  call.click();
  await gateShown(win);
  win.document.body.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  await settle();
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), null);
  assert.equal(pageClicks.call, 0);
  assert.equal(sent.filter((m) => m.type === 'preflight/approve').length, 0);
});

test('below the threshold the click goes through without a dialog', async () => {
  const { win, call, pageClicks } = setup({ gate: false, threshold: 'high', state: { ...critical, level: 'low' } });
  call.click();
  await settle();
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), null);
  assert.equal(pageClicks.call, 1);
});

test('a background that does not answer means the dialog, not a silent run', async () => {
  const html = '<main><div role="dialog"><h2>Call function: x</h2><button>Call</button></div></main>';
  const win = new JSDOM(html, { url: 'https://acme.fusion.cognite.com/p/functions/5' }).window;
  const keeper = new Gatekeeper(win.document, async () => {
    throw new Error('Extension context invalidated.');
  });
  installClickGate(win, keeper, () => pageContext(win.location));
  let clicks = 0;
  const call = win.document.querySelector('button');
  call.addEventListener('click', () => clicks++);
  call.click();
  const gate = await gateShown(win);
  assert.match(gate.shadowRoot.textContent, /Not analysed/);
  assert.equal(clicks, 0);
});

test('the icon that only opens the modal is not held (the modal\'s Call is)', async () => {
  const { win, sent, pageClicks } = setup({ gate: true, state: critical });
  win.document.querySelector('[aria-label="Call"]').click();
  await settle();
  assert.equal(pageClicks.opener, 1);
  assert.equal(sent.length, 0);
});

/** A promise with its resolve, for answers that arrive when the test says. */
function later() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

const timedOut = {
  status: 'not-analysed',
  level: 'unknown',
  reasonCode: 'timeout',
  reason: 'The code download timed out after 60 s',
  function: { id: 111, name: 'sensor-sync' },
};

test('a slow answer: the dialog shows at once "Still checking…" (unknown), then is updated in place', async () => {
  const answer = later();
  const { win, sent, call, pageClicks } = setup(null, { onGate: () => answer.promise, opts: { showAfterMs: 0 } });
  call.click();
  const gate = await gateShown(win);
  assert.equal(sent.filter((m) => m.type === 'preflight/gate').length, 1);
  assert.equal(gate.getAttribute('data-level'), 'unknown');
  assert.equal(gate.getAttribute('data-status'), 'loading');
  assert.equal(gate.getAttribute('data-function-id'), '111');
  const dialog = gate.shadowRoot.querySelector('[role="alertdialog"]');
  assert.match(dialog.querySelector('h2').textContent, /^Risk unknown: sensor-sync$/);
  assert.match(dialog.textContent, /Still checking… Not analysed yet/);
  assert.doesNotMatch(dialog.textContent, /No risks found/);
  const cancel = button(gate, 'Cancel');
  assert.equal(gate.shadowRoot.activeElement, cancel);

  answer.resolve({ gate: true, threshold: 'high', state: timedOut });
  await settle();
  assert.equal(win.document.querySelectorAll('[data-preflight="gate"]').length, 1);
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), gate, 'the same dialog, updated in place');
  assert.equal(gate.getAttribute('data-status'), 'not-analysed');
  assert.equal(gate.getAttribute('data-function-id'), '111');
  assert.match(dialog.textContent, /Not analysed: The code download timed out/);
  assert.doesNotMatch(dialog.textContent, /Still checking/);
  assert.equal(button(gate, 'Cancel'), cancel, 'the buttons stay');
  assert.equal(gate.shadowRoot.activeElement, cancel, 'focus stays where it was');
  assert.equal(pageClicks.call, 0);
  cancel.click();
  await settle();
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), null);
  assert.equal(pageClicks.call, 0);
});

test('"Run anyway" while still checking is the user\'s decision: the click goes through once', async () => {
  const { win, sent, call, pageClicks } = setup(null, { onGate: () => new Promise(() => {}), opts: { showAfterMs: 0 } });
  call.click();
  const gate = await gateShown(win);
  assert.match(gate.shadowRoot.textContent, /Still checking/);
  button(gate, 'Run anyway').click();
  await settle();
  assert.equal(pageClicks.call, 1);
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), null);
  assert.deepEqual(sent.find((m) => m.type === 'preflight/approve'), { type: 'preflight/approve', cluster: 'westeurope-1.cognitedata.com', project: 'acme-demo', functionId: 111, codeHash: undefined });
});

test('a slow answer that needs no confirmation closes the "Still checking…" dialog and lets the click through', async () => {
  const answer = later();
  const { win, sent, call, pageClicks } = setup(null, { onGate: () => answer.promise, opts: { showAfterMs: 0 } });
  call.click();
  await gateShown(win);
  assert.equal(pageClicks.call, 0);
  answer.resolve({ gate: false, threshold: 'high', state: { ...critical, level: 'low', report: { risk: { level: 'low' }, findings: [] } } });
  await settle();
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), null);
  assert.equal(pageClicks.call, 1);
  assert.equal(sent.filter((m) => m.type === 'preflight/approve').length, 0, 'nothing to approve');
});

test('"loading" answers are asked again (no sleeps counted: the elapsed time is), then end as not analysed, never safe', async () => {
  let t = 0;
  const loading = { gate: true, threshold: 'high', state: { status: 'loading', level: 'unknown', function: { id: 111, name: 'sensor-sync' } } };
  const { win, sent, call } = setup(null, {
    onGate: () => { t += 20_000; return loading; }, // each question waits up to 20 s in the background
    opts: { showAfterMs: 0, pollMs: 1, checkMaxMs: 60_000, now: () => t },
  });
  call.click();
  const gate = await gateShown(win);
  for (let i = 0; i < 100 && gate.getAttribute('data-status') === 'loading'; i++) await settle();
  assert.equal(sent.filter((m) => m.type === 'preflight/gate').length, 3, 'asked until 60 s had passed, not 10 × 20 s');
  assert.equal(gate.getAttribute('data-status'), 'not-analysed');
  assert.equal(gate.getAttribute('data-level'), 'unknown');
  assert.match(gate.shadowRoot.textContent, /did not finish in time/);
  assert.ok(button(gate, 'Run anyway') && button(gate, 'Cancel'));
});

test('a dialog naming the function only: the id a badge already has is used, not a new lookup', async () => {
  const { win, sent, call } = setup({ gate: true, threshold: 'high', state: timedOut }, {
    opts: { known: (ident) => (ident.functionName === 'sensor-sync' ? timedOut : undefined) },
  });
  call.click();
  const gate = await gateShown(win);
  assert.equal(sent.filter((m) => m.type === 'preflight/state').length, 0);
  assert.deepEqual(sent.find((m) => m.type === 'preflight/gate'), { type: 'preflight/gate', cluster: 'westeurope-1.cognitedata.com', project: 'acme-demo', functionId: 111 });
  assert.equal(gate.getAttribute('data-function-id'), '111');
});

test('the gate keeps the id it asked about when the answer\'s state has none', async () => {
  const failed = { status: 'not-analysed', level: 'unknown', reasonCode: 'api-error', reason: 'CDF answered 500', function: { name: 'sensor-sync' } };
  const { win, call } = setup({ gate: true, threshold: 'high', state: failed }, { opts: { known: () => ({ ...failed, function: { id: 111, name: 'sensor-sync' } }) } });
  call.click();
  const gate = await gateShown(win);
  assert.equal(gate.getAttribute('data-function-id'), '111');
  assert.match(gate.shadowRoot.querySelector('h2').textContent, /sensor-sync/);
});

test('a badge that already shows the report: a slower answer is awaited before "Still checking…"', async () => {
  const answer = later();
  const { win, call } = setup(null, { onGate: () => answer.promise, opts: { showAfterMs: 0, showReadyAfterMs: 10_000, known: () => critical } });
  call.click();
  await settle();
  assert.equal(win.document.querySelector('[data-preflight="gate"]'), null, 'no dialog yet: the answer is near');
  answer.resolve({ gate: true, threshold: 'high', state: critical });
  const gate = await gateShown(win);
  assert.equal(gate.getAttribute('data-level'), 'critical');
  assert.doesNotMatch(gate.shadowRoot.textContent, /Still checking/);
});

test('a badge that already shows the report, and a slow answer: the dialog shows that report at once, then the answer', async () => {
  const answer = later();
  const { win, call } = setup(null, { onGate: () => answer.promise, opts: { showReadyAfterMs: 0, known: () => critical } });
  call.click();
  const gate = await gateShown(win);
  assert.equal(gate.getAttribute('data-level'), 'critical', 'the badge\'s report, not a blank');
  assert.match(gate.shadowRoot.textContent, /checking that the code has not changed/);
  answer.resolve({ gate: true, threshold: 'high', state: critical });
  await settle();
  assert.equal(gate.getAttribute('data-level'), 'critical');
  assert.doesNotMatch(gate.shadowRoot.textContent, /checking that the code has not changed/);
  button(gate, 'Cancel').click();
  await settle();
});
