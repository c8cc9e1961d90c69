import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { startBridge } from '../content/bridge.js';
import { Gatekeeper } from '../content/gate.js';

const HOOK_SRC = readFileSync(new URL('./hook.js', import.meta.url), 'utf8');
const CALL_URL = 'https://westeurope-1.cognitedata.com/api/v1/projects/acme-demo/functions/111/call';

/**
 * A page with the hook loaded at "document_start": a fake fetch and XHR
 * that record what reaches the network, postMessage with the source and
 * origin browsers set, and timers the test fires by hand.
 */
function pageWithHook() {
  const dom = new JSDOM('<main></main>', { url: 'https://acme.fusion.cognite.com/acme-demo/functions', runScripts: 'outside-only' });
  const win = dom.window;
  const network = [];
  win.fetch = async (input, init) => {
    network.push({ url: String(input), method: init?.method ?? 'GET', body: init?.body });
    return { ok: true, status: 201 };
  };
  class FakeXHR extends win.EventTarget {
    open(method, url) {
      this.method = method;
      this.url = url;
    }
    send(body) {
      network.push({ url: this.url, method: this.method, body, xhr: true });
    }
    abort() {
      this.aborted = true;
    }
  }
  win.XMLHttpRequest = FakeXHR;
  win.postMessage = (data, origin) => {
    assert.equal(origin, win.location.origin);
    setTimeout(() => win.dispatchEvent(new win.MessageEvent('message', { data, origin, source: win })), 0);
  };
  const timers = [];
  win.setTimeout = (fn, ms, ...args) => timers.push({ fn, ms, args });
  const questions = [];
  win.confirm = (q) => {
    questions.push(q);
    return win.confirmAnswer === true;
  };
  win.eval(HOOK_SRC);
  /** The hook's messages to the content script. */
  const calls = [];
  win.addEventListener('message', (e) => {
    if (e.data?.source === 'preflight-hook') calls.push(e.data);
  });
  const post = (data) => win.postMessage(data, win.location.origin);
  return { win, network, calls, post, timers, questions };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

test('a POST …/functions/{id}/call is held until the decision; deny rejects with the cancellation TypeError', async () => {
  const { win, network, calls, post } = pageWithHook();
  post({ source: 'preflight-content', kind: 'ready' });
  await tick();
  const p = win.fetch(CALL_URL, { method: 'POST', body: '{"data":{}}' });
  await tick();
  assert.equal(network.length, 0, 'nothing reached the network while held');
  assert.equal(calls.length, 1);
  const { id, ...rest } = calls[0];
  assert.match(id, /^[A-Za-z0-9_-]{8,64}$/);
  assert.deepEqual(rest, { source: 'preflight-hook', kind: 'call', url: CALL_URL, functionId: 111, project: 'acme-demo', cluster: 'westeurope-1.cognitedata.com' });
  post({ source: 'preflight-content', kind: 'decision', id, allow: false });
  await assert.rejects(p, (err) => err instanceof win.TypeError && err.message === 'Preflight: the call was cancelled by the user');
  assert.equal(network.length, 0);
});

test('allow lets the very same request through once; other requests are never held', async () => {
  const { win, network, calls, post } = pageWithHook();
  post({ source: 'preflight-content', kind: 'ready' });
  await tick();
  await win.fetch('https://westeurope-1.cognitedata.com/api/v1/projects/acme-demo/functions', { method: 'POST' });
  await win.fetch(CALL_URL); // a GET is not a call
  assert.equal(network.length, 2);
  const p = win.fetch(CALL_URL, { method: 'post', body: 'B' });
  await tick();
  post({ source: 'preflight-content', kind: 'decision', id: calls[0].id, allow: true });
  assert.deepEqual(await p, { ok: true, status: 201 });
  assert.deepEqual(network[2], { url: CALL_URL, method: 'post', body: 'B' });
});

test('forged decisions are ignored: from another source, for an unknown id, or malformed', async () => {
  const { win, network, calls, post } = pageWithHook();
  post({ source: 'preflight-content', kind: 'ready' });
  await tick();
  let settled = false;
  const p = win.fetch(CALL_URL, { method: 'POST' }).finally(() => (settled = true));
  await tick();
  const id = calls[0].id;
  win.dispatchEvent(new win.MessageEvent('message', { data: { source: 'preflight-content', kind: 'decision', id, allow: true }, origin: win.location.origin, source: null }));
  win.dispatchEvent(new win.MessageEvent('message', { data: { source: 'preflight-content', kind: 'decision', id, allow: true }, origin: 'https://evil.example', source: win }));
  post({ source: 'preflight-content', kind: 'decision', id: 'other', allow: true });
  post({ source: 'preflight-content', kind: 'decision', id, allow: 'yes' });
  await tick();
  assert.equal(settled, false);
  assert.equal(network.length, 0);
  post({ source: 'preflight-content', kind: 'decision', id, allow: false });
  await assert.rejects(p);
});

test('before the content script is ready calls wait; after 5 s the user is asked with confirm', async () => {
  const { win, network, calls, timers, questions } = pageWithHook();
  const p = win.fetch(CALL_URL, { method: 'POST' });
  await tick();
  assert.equal(calls.length, 0);
  assert.equal(timers.length, 1);
  assert.equal(timers[0].ms, 5000);
  win.confirmAnswer = false;
  timers[0].fn(...timers[0].args);
  await assert.rejects(p, /cancelled by the user/);
  assert.deepEqual(questions, ['Preflight could not check this function. Call it anyway?']);
  assert.equal(network.length, 0);
});

test('calls held before ready are handed to the content script when it says ready', async () => {
  const { win, calls, post } = pageWithHook();
  win.fetch(CALL_URL, { method: 'POST' });
  await tick();
  assert.equal(calls.length, 0);
  post({ source: 'preflight-content', kind: 'ready' });
  await tick();
  assert.equal(calls.length, 1);
});

test('XHR: held, and on deny aborted with an error event', async () => {
  const { win, network, calls, post } = pageWithHook();
  post({ source: 'preflight-content', kind: 'ready' });
  await tick();
  const xhr = new win.XMLHttpRequest();
  const events = [];
  xhr.addEventListener('error', () => events.push('error'));
  xhr.addEventListener('loadend', () => events.push('loadend'));
  xhr.open('POST', CALL_URL);
  xhr.send('{}');
  await tick();
  assert.equal(network.length, 0);
  post({ source: 'preflight-content', kind: 'decision', id: calls[0].id, allow: false });
  await tick();
  assert.deepEqual(events, ['error', 'loadend']);
  assert.equal(xhr.aborted, true);
  assert.equal(network.length, 0);

  const ok = new win.XMLHttpRequest();
  ok.open('POST', CALL_URL);
  ok.send('{"data":1}');
  await tick();
  post({ source: 'preflight-content', kind: 'decision', id: calls[1].id, allow: true });
  await tick();
  assert.deepEqual(network, [{ url: CALL_URL, method: 'POST', body: '{"data":1}', xhr: true }]);
});

test('with the bridge: a gated call shows the dialog; Cancel rejects the fetch, nothing reaches the API', async () => {
  const { win, network } = pageWithHook();
  const sent = [];
  const state = { status: 'not-analysed', level: 'unknown', reasonCode: 'no-access', reason: 'You cannot read the code.' };
  const keeper = new Gatekeeper(win.document, async (msg) => {
    sent.push(msg);
    return msg.type === 'preflight/gate' ? { gate: true, threshold: 'high', state } : { ok: true };
  });
  startBridge(win, keeper);
  await tick();
  const p = win.fetch(CALL_URL, { method: 'POST' });
  let gate;
  for (let i = 0; i < 50 && !gate; i++, await tick()) gate = win.document.querySelector('[data-preflight="gate"]');
  assert.ok(gate, 'the gate dialog is shown for a call without any recognised button');
  assert.deepEqual(sent[0], { type: 'preflight/gate', cluster: 'westeurope-1.cognitedata.com', project: 'acme-demo', functionId: 111 });
  [...gate.shadowRoot.querySelectorAll('button')].find((b) => b.textContent === 'Cancel').click();
  await assert.rejects(p, /cancelled by the user/);
  assert.equal(network.length, 0);
});

test('with the bridge: not gated passes at once', async () => {
  const { win, network } = pageWithHook();
  const keeper = new Gatekeeper(win.document, async () => ({ gate: false, threshold: 'high', state: { status: 'ready', level: 'low' } }));
  startBridge(win, keeper);
  await tick();
  await win.fetch(CALL_URL, { method: 'POST' });
  assert.equal(network.length, 1);
});
