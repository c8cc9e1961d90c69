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
function setup(answer) {
  const html = readFileSync(new URL('./testdata/classic.html', import.meta.url), 'utf8');
  const win = new JSDOM(html, { url: 'https://acme.fusion.cognite.com/acme-demo/functions?cluster=westeurope-1.cognitedata.com' }).window;
  const sent = [];
  const send = async (msg) => {
    sent.push(msg);
    if (msg.type === 'preflight/state') return critical;
    if (msg.type === 'preflight/gate') return answer;
    return { ok: true };
  };
  const keeper = new Gatekeeper(win.document, send);
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
