// FunctionState questions while the organisation's policy is still held by
// the browser, and the code download started before the policy is known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicy } from './policy.js';
import { createReports } from './reports.js';
import { createTabs } from './tabs.js';
import { createTokenStore } from './tokens.js';

const HOST = 'westeurope-1.cognitedata.com';
const TAB = 3;
const Q = { cluster: HOST, project: 'acme-demo', functionId: 101 };
const STRICT = "[rules.network-egress]\nseverity = 'critical'\n";

/**
 * A world whose managed storage answers on release() with STRICT, locked;
 * the fake engine rates code "critical" under STRICT and "low" otherwise.
 */
function world() {
  let release;
  const held = new Promise((r) => { release = r; });
  const storage = {
    local: { get: async () => ({}), set: async () => {}, remove: async () => {} },
    managed: { get: async () => { await held; return { policy: STRICT, locked: true }; } },
  };
  const calls = { analyze: [], download: [] };
  const engine = {
    async checkPolicy(toml) { return { ok: true, policy: toml, threshold: 'high', maxZipBytes: 1000 }; },
    async permissions() { return { level: 'admin', explanation: 'x', reasons: [], canCall: true }; },
    async analyze(zip, fnJSON, inspect, project, toml) {
      calls.analyze.push(toml);
      return { risk: { level: toml === STRICT ? 'critical' : 'low' }, findings: [] };
    },
  };
  const events = [];
  const cdf = {
    async functionById(host, token, project, id) { return { id, name: 'f', fileId: 9001 }; },
    async tokenInspect() { return { subject: 'u' }; },
    async downloadLink(host, token, project, fileId) { return `https://storage.${HOST}/zips/${fileId}`; },
    async download(url, maxBytes) {
      events.push('download');
      calls.download.push(maxBytes);
      return new TextEncoder().encode('PK code');
    },
  };
  const tokens = createTokenStore();
  tokens.onBeforeSendHeaders({ tabId: TAB, url: `https://${HOST}/api/v1/x`, initiator: 'https://acme.fusion.cognite.com', requestHeaders: [{ name: 'Authorization', value: 'Bearer t' }] });
  const policy = createPolicy({ storage, engine: { checkPolicy: async (t) => { events.push('policy'); return engine.checkPolicy(t); } } });
  const reports = createReports({ cdf, engine, policy, tokens, tabs: createTabs(), provisionalWaitMs: 5 });
  return { reports, release: () => release(), calls, events };
}

test('a badge does not wait for a held organisation policy: provisional and stale, then the real answer', { timeout: 5000 }, async () => {
  const { reports, release, calls } = world();
  const first = await reports.state(TAB, Q);
  assert.equal(first.status, 'ready');
  assert.equal(first.level, 'low');
  assert.equal(first.provisional, true);
  assert.equal(first.stale, true, 'asked again by the content script');
  release();
  // The content script asks again while the answer is stale.
  let s = first;
  for (let i = 0; i < 5 && s.stale; i++) {
    await new Promise((r) => setTimeout(r, 5));
    s = await reports.state(TAB, Q);
  }
  assert.equal(s.level, 'critical', "the organisation's policy decides once it is known");
  assert.equal(s.provisional, undefined);
  assert.equal(s.stale, undefined);
  assert.deepEqual(calls.analyze, ['', STRICT]);
});

test('the gate (fresh) never answers with a provisional policy', { timeout: 5000 }, async () => {
  const { reports, release } = world();
  const gate = reports.state(TAB, Q, { fresh: true });
  setTimeout(release, 20);
  const s = await gate;
  assert.equal(s.level, 'critical');
  assert.equal(s.provisional, undefined);
  assert.equal(s.stale, undefined);
});

test('the download of new code starts before the policy is known, with the limit to come', { timeout: 5000 }, async () => {
  const { reports, release, calls, events } = world();
  const gate = reports.state(TAB, Q, { fresh: true });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(events, ['download'], 'downloading while the policy is held');
  assert.ok(calls.download[0] instanceof Promise, 'the size limit is handed over as a promise');
  release();
  await gate;
  assert.equal(await calls.download[0], 1000);
  assert.equal(calls.download.length, 1, 'downloaded once');
  await reports.state(TAB, Q);
  assert.equal(calls.download.length, 1, 'a cached report needs no download');
});
