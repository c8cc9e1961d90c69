// The background's answers end to end with fakes for the browser (chrome.*),
// the network (fetch, recording every request) and the engine: what the
// content script, the popup and the options page rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MSG } from '../lib/protocol.js';
import { createService } from './service.js';

const CLUSTER = 'westeurope-1.cognitedata.com';
const TOKEN = 'eyJhbGciOi.secret-token-value.sig';
const TAB = 7;
const PAGE = { tab: { id: TAB }, url: 'https://acme.fusion.cognite.com/acme-demo/functions' };
const OPTIONS_PAGE = { id: 'preflight-test', url: 'chrome-extension://preflight-test/options/options.html' };

/** A fake browser namespace recording every storage call. */
function fakeApi({ managed = {}, granted = ['https://storage.westeurope-1.cognitedata.com'] } = {}) {
  const local = {};
  const storageCalls = [];
  const listeners = [];
  const api = {
    runtime: { id: 'preflight-test', getURL: (p) => `chrome-extension://preflight-test/${p}` },
    permissions: { contains: async ({ origins }) => origins.every((o) => granted.includes(o.replace(/\/\*$/, ''))) },
    storage: {
      local: {
        async get(keys) {
          storageCalls.push(['local.get', keys]);
          const out = {};
          for (const k of [keys].flat()) if (k in local) out[k] = structuredClone(local[k]);
          return out;
        },
        async set(items) {
          storageCalls.push(['local.set', structuredClone(items)]);
          Object.assign(local, structuredClone(items));
          for (const l of listeners) l(Object.fromEntries(Object.keys(items).map((k) => [k, { newValue: items[k] }])), 'local');
        },
        async remove(keys) {
          storageCalls.push(['local.remove', keys]);
          for (const k of [keys].flat()) delete local[k];
        },
      },
      managed: { async get() { storageCalls.push(['managed.get']); return structuredClone(managed); } },
      session: { async set(items) { storageCalls.push(['session.set', structuredClone(items)]); } },
      onChanged: { addListener: (l) => listeners.push(l) },
    },
  };
  return { api, local, storageCalls };
}

/** A fake engine: the risk level is written in the zip ("level=high"). */
function fakeEngine() {
  const calls = { analyze: 0, permissions: 0 };
  return {
    calls,
    async analyze(zip, fnJSON, inspectJSON, project, policyTOML) {
      calls.analyze++;
      const text = new TextDecoder().decode(zip);
      if (text.includes('crash')) throw new Error('analyze: zip: not a valid zip file');
      const level = /level=(\w+)/.exec(text)?.[1] ?? 'none';
      const findings = level === 'none' ? [] : [{ ruleId: 'PF-X', severity: level, file: 'handler.py', line: 3, message: `a ${level} thing` }];
      return { schemaVersion: 1, function: JSON.parse(fnJSON), risk: { level }, findings };
    },
    async permissions(inspectJSON, project) {
      calls.permissions++;
      return { project, level: 'admin', explanation: 'You can change access', reasons: ['groupsAcl:CREATE'], canCall: true };
    },
    async checkPolicy(toml) {
      if (/bad/.test(toml)) return { ok: false, errors: [{ line: 2, column: 5, message: 'unknown key "bad"' }] };
      const threshold = /threshold\s*=\s*'(\w+)'/.exec(toml)?.[1] ?? 'high';
      const max = Number(/max_zip_bytes\s*=\s*(\d+)/.exec(toml)?.[1] ?? 50 << 20);
      return { ok: true, policy: toml, threshold, maxZipBytes: max };
    },
    timings: () => ({ loadMs: 1, analyzeMs: 2 }),
  };
}

/**
 * A fake CDF: functions by id with a fileId and zip text; hooks to answer
 * differently; every request recorded with its headers.
 */
function fakeCdf() {
  const requests = [];
  const functions = new Map([
    [101, { id: 101, name: 'critical-fn', externalId: 'crit', fileId: 9001 }],
    [102, { id: 102, name: 'medium-fn', fileId: 9002 }],
    [103, { id: 103, name: 'none-fn', fileId: 9003 }],
  ]);
  const zips = new Map([[9001, 'PK level=critical'], [9002, 'PK level=medium'], [9003, 'PK level=none']]);
  const cdf = { requests, functions, zips, hooks: {} };
  cdf.fetch = async (url, init = {}) => {
    const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const u = new URL(url);
    const req = { url, host: u.host, path: u.pathname, method: init.method ?? 'GET', headers, credentials: init.credentials, body: init.body };
    requests.push(req);
    for (const [frag, hook] of Object.entries(cdf.hooks)) {
      if (url.includes(frag)) {
        const r = await hook(req, init);
        if (r) return r;
      }
    }
    const json = (v, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'content-type': 'application/json' } });
    if (u.host === `storage.${CLUSTER}`) {
      const id = Number(u.pathname.split('/').pop());
      return new Response(new TextEncoder().encode(zips.get(id)), { status: 200 });
    }
    if (headers.authorization !== `Bearer ${TOKEN}`) return json({ error: { code: 401 } }, 401);
    if (u.pathname === '/api/v1/token/inspect') return json({ subject: 'u', projects: [{ projectUrlName: 'acme-demo', groups: [1] }], capabilities: [] });
    const body = init.body ? JSON.parse(init.body) : {};
    if (u.pathname.endsWith('/functions/byids')) return json({ items: body.items.map((i) => functions.get(i.id)).filter(Boolean) });
    if (u.pathname.endsWith('/functions/list')) {
      const all = [...functions.values()];
      const start = body.cursor ? Number(body.cursor) : 0;
      return json({ items: all.slice(start, start + 2), ...(start + 2 < all.length ? { nextCursor: String(start + 2) } : {}) });
    }
    if (u.pathname.endsWith('/files/downloadlink')) {
      return json({ items: body.items.map((i) => ({ id: i.id, downloadUrl: `https://storage.${CLUSTER}/zips/${i.id}?sig=s` })) });
    }
    return json({ error: { code: 404 } }, 404);
  };
  return cdf;
}

/** A background with fakes and a token already seen in TAB. */
function world(opts = {}) {
  const { api, local, storageCalls } = fakeApi(opts);
  const engine = opts.engine ?? fakeEngine();
  const cdf = fakeCdf();
  const svc = createService({ api, engine, fetch: cdf.fetch, tokenWaitMs: 20, gateWaitMs: opts.gateWaitMs ?? 2000, ...opts.service });
  if (opts.token !== false) seeToken(svc, TAB, CLUSTER, TOKEN);
  const send = (msg, sender = PAGE) => svc.handle(msg, sender);
  return { svc, api, local, storageCalls, engine, cdf, send };
}

function seeToken(svc, tabId, host, token, extra = {}) {
  svc.tokens.onBeforeSendHeaders({
    tabId,
    url: `https://${host}/api/v1/projects/acme-demo/functions/list`,
    initiator: 'https://acme.fusion.cognite.com',
    requestHeaders: [{ name: 'Authorization', value: `Bearer ${token}` }],
    ...extra,
  });
}

const state = (functionId, extra = {}) => ({ type: MSG.STATE, cluster: CLUSTER, project: 'acme-demo', functionId, ...extra });
const gate = (functionId) => ({ type: MSG.GATE, cluster: CLUSTER, project: 'acme-demo', functionId });
const downloads = (cdf) => cdf.requests.filter((r) => r.host.startsWith('storage.'));

test('STATE analyses the function: ready, level, findings, permission, code hash', async () => {
  const { send } = world();
  const s = await send(state(101));
  assert.equal(s.status, 'ready');
  assert.equal(s.level, 'critical');
  assert.equal(s.report.findings[0].file, 'handler.py');
  assert.deepEqual(s.function, { id: 101, name: 'critical-fn', externalId: 'crit', fileId: 9001 });
  assert.equal(s.permission.level, 'admin');
  assert.match(s.codeHash, /^[0-9a-f]{64}$/);
});

test('the token is sent only to its own cluster /api/v1/, never to the download, never stored', async () => {
  const { send, cdf, storageCalls } = world();
  const s = await send(state(101));
  assert.equal(s.status, 'ready');
  await send(gate(101));
  await send({ type: MSG.APPROVE, cluster: CLUSTER, project: 'acme-demo', functionId: 101, codeHash: s.codeHash });
  await send({ type: MSG.SET_POLICY, toml: "[gate]\nthreshold = 'medium'\n" }, OPTIONS_PAGE);
  await send({ type: MSG.TAB, tabId: TAB }, OPTIONS_PAGE);
  assert.ok(cdf.requests.length >= 4);
  for (const r of cdf.requests) {
    assert.equal(r.credentials, 'omit', r.url);
    if (r.headers.authorization !== undefined) {
      assert.equal(r.host, CLUSTER, `token sent to ${r.url}`);
      assert.ok(r.path.startsWith('/api/v1/'), r.url);
    }
  }
  const dl = downloads(cdf);
  assert.equal(dl.length, 1);
  assert.equal(dl[0].headers.authorization, undefined, 'the download must not get Authorization');
  assert.ok(storageCalls.some(([op]) => op === 'local.set'), 'approval and policy were stored');
  assert.ok(!JSON.stringify(storageCalls).includes(TOKEN), 'the token reached storage');
  assert.ok(!JSON.stringify(storageCalls).includes('secret-token'), 'part of the token reached storage');
});

test('the download to another cognitedata.com host still gets no Authorization', async () => {
  const { send, cdf } = world({ granted: ['https://canary.cognitedata.com'] });
  cdf.hooks['/files/downloadlink'] = () => new Response(JSON.stringify({ items: [{ id: 9001, downloadUrl: 'https://canary.cognitedata.com/zips/9001' }] }));
  cdf.hooks['canary.cognitedata.com'] = () => new Response('PK level=high');
  const s = await send(state(101));
  assert.equal(s.level, 'high');
  const canary = cdf.requests.filter((r) => r.host === 'canary.cognitedata.com');
  assert.equal(canary.length, 1);
  assert.deepEqual(Object.keys(canary[0].headers).filter((h) => h === 'authorization' || h === 'cookie'), []);
});

test('a download host without a permission: not-analysed storage-permission, listed in the tab', async () => {
  const { send, cdf } = world({ granted: [] });
  const s = await send(state(101));
  assert.equal(s.status, 'not-analysed');
  assert.equal(s.level, 'unknown');
  assert.equal(s.reasonCode, 'storage-permission');
  assert.equal(downloads(cdf).length, 0, 'nothing fetched without the permission');
  const tab = await send({ type: MSG.TAB, tabId: TAB }, OPTIONS_PAGE);
  assert.deepEqual(tab.storageHosts, [`https://storage.${CLUSTER}`]);
  assert.equal(tab.functions[0].storageOrigin, undefined);
});

test('403 on downloadlink: not-analysed no-access, never ready or none', async () => {
  const { send, cdf } = world();
  cdf.hooks['/files/downloadlink'] = () => new Response('{"error":{"code":403}}', { status: 403 });
  const s = await send(state(103));
  assert.equal(s.status, 'not-analysed');
  assert.equal(s.reasonCode, 'no-access');
  assert.equal(s.level, 'unknown');
  assert.equal(s.report, undefined);
  assert.equal(s.permission.level, 'admin', 'the permission level is still shown');
  const g = await send(gate(103));
  assert.equal(g.gate, true, 'a function that could not be analysed is gated');
});

test('a zip over the policy limit: too-large, by Content-Length and while streaming', async () => {
  const { send, cdf } = world();
  await send({ type: MSG.SET_POLICY, toml: '[limits]\nmax_zip_bytes = 1000\n' }, OPTIONS_PAGE);
  let pulled = 0;
  cdf.hooks[`storage.${CLUSTER}/zips/9001`] = () => new Response('x'.repeat(5000), { headers: { 'content-length': '5000' } });
  cdf.hooks[`storage.${CLUSTER}/zips/9002`] = () => new Response(new ReadableStream({
    pull(ctl) {
      pulled++;
      if (pulled > 1000) ctl.close();
      else ctl.enqueue(new Uint8Array(256));
    },
  }));
  const a = await send(state(101));
  assert.equal(a.reasonCode, 'too-large');
  assert.equal(a.status, 'not-analysed');
  const b = await send(state(102));
  assert.equal(b.reasonCode, 'too-large');
  assert.ok(pulled < 20, `read ${pulled} chunks of an endless download`);
});

test('an API that does not answer: timeout', async () => {
  const { send, cdf } = world({ service: { apiTimeoutMs: 30 } });
  cdf.hooks['/functions/byids'] = (req, init) => new Promise((_, reject) => {
    init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
  const s = await send(state(101));
  assert.equal(s.status, 'not-analysed');
  assert.equal(s.reasonCode, 'timeout');
});

test('a stalled download: timeout', async () => {
  const { send, cdf } = world({ service: { downloadTimeoutMs: 30 } });
  cdf.hooks[`storage.${CLUSTER}`] = (req, init) => new Response(new ReadableStream({
    start(ctl) {
      ctl.enqueue(new Uint8Array(10));
      init.signal.addEventListener('abort', () => ctl.error(new DOMException('aborted', 'AbortError')));
    },
  }));
  const s = await send(state(101));
  assert.equal(s.reasonCode, 'timeout');
});

test('API errors are classified: 5xx api-error, network api-error, unknown function not-found', async () => {
  const { send, cdf } = world();
  cdf.hooks['/files/downloadlink'] = () => new Response('{}', { status: 503 });
  assert.equal((await send(state(101))).reasonCode, 'api-error');
  cdf.hooks['/files/downloadlink'] = () => { throw new TypeError('Failed to fetch'); };
  assert.equal((await send(state(101))).reasonCode, 'api-error');
  assert.equal((await send(state(999))).reasonCode, 'not-found');
});

test('401: unauthorized, and the token is forgotten', async () => {
  const { send, cdf, svc } = world();
  cdf.hooks['/functions/byids'] = () => new Response('{}', { status: 401 });
  const s = await send(state(101));
  assert.equal(s.reasonCode, 'unauthorized');
  assert.equal(svc.tokens.get(TAB, CLUSTER), undefined);
  delete cdf.hooks['/functions/byids'];
  assert.equal((await send(state(101))).status, 'no-token');
});

test('engine failure: not-analysed engine-error with the message', async () => {
  const { send, cdf } = world();
  cdf.zips.set(9003, 'crash');
  const s = await send(state(103));
  assert.equal(s.status, 'not-analysed');
  assert.equal(s.reasonCode, 'engine-error');
  assert.match(s.reason, /not a valid zip/);
});

test('two STATE questions at once: one download, one analysis, same answer', async () => {
  const { send, cdf, engine } = world();
  const [a, b] = await Promise.all([send(state(101)), send(state(101))]);
  assert.deepEqual(a, b);
  assert.equal(downloads(cdf).length, 1);
  assert.equal(engine.calls.analyze, 1);
  const c = await send(state(101));
  assert.equal(c.level, 'critical');
  assert.equal(downloads(cdf).length, 1, 'the cached report is reused while fileId is unchanged');
  await send(state(101, { refresh: true }));
  assert.equal(downloads(cdf).length, 2, 'refresh analyses again');
});

test('changed code: stale answer while the new analysis runs; GATE waits for it', async () => {
  const { send, cdf } = world();
  assert.equal((await send(state(103))).level, 'none');
  cdf.functions.set(103, { id: 103, name: 'none-fn', fileId: 9004 });
  cdf.zips.set(9004, 'PK level=critical');
  let release;
  const held = new Promise((r) => { release = r; });
  cdf.hooks[`storage.${CLUSTER}/zips/9004`] = async () => { await held; };
  const s = await send(state(103));
  assert.equal(s.stale, true);
  assert.equal(s.function.fileId, 9004);
  const g = send(gate(103));
  release();
  const answer = await g;
  assert.equal(answer.state.level, 'critical');
  assert.equal(answer.state.stale, undefined);
  assert.equal(answer.gate, true);
});

test('two tabs signed in as different users on one cluster: each gets its own level and report', async () => {
  const READER = 'eyJreader.other-identity.sig';
  const TAB2 = 8;
  const engine = fakeEngine();
  engine.permissions = async (inspectJSON, project) => {
    const reader = JSON.parse(inspectJSON).subject === 'reader';
    return { project, level: reader ? 'read-only' : 'admin', explanation: reader ? 'You can only read' : 'You can change access', reasons: [], canCall: !reader };
  };
  const { svc, send, cdf } = world({ engine });
  // The reader's token is valid too: it sees the same functions and code.
  cdf.hooks['/api/v1/'] = (req, init) => {
    if (req.headers.authorization !== `Bearer ${READER}`) return undefined;
    if (req.path === '/api/v1/token/inspect') return new Response(JSON.stringify({ subject: 'reader', projects: [], capabilities: [] }));
    return cdf.fetch(req.url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${TOKEN}` } });
  };
  seeToken(svc, TAB2, CLUSTER, READER);
  const readerPage = { tab: { id: TAB2 }, url: PAGE.url };
  const admin = await send(state(101));
  assert.equal(admin.permission.level, 'admin');
  const [reader, adminAgain] = await Promise.all([send(state(101), readerPage), send(state(101))]);
  assert.equal(reader.permission.level, 'read-only', "the reader's tab must not get the admin's answer");
  assert.equal(reader.stale, undefined, "another user's report is not this user's stale report");
  assert.equal(adminAgain.permission.level, 'admin');
});

test('no token seen in the tab: no-token, never ready', async () => {
  const { send } = world({ token: false });
  const s = await send(state(101));
  assert.equal(s.status, 'no-token');
  assert.equal(s.level, 'unknown');
  const g = await send(gate(101));
  assert.equal(g.gate, true);
});

test('a token seen while STATE waits is used', async () => {
  const { send, svc } = world({ token: false, service: { tokenWaitMs: 5000 } });
  const pending = send(state(101));
  seeToken(svc, TAB, CLUSTER, TOKEN);
  assert.equal((await pending).status, 'ready');
});

test('without ?cluster= the host the page last called is used', async () => {
  const { send } = world();
  const s = await send({ type: MSG.STATE, project: 'acme-demo', functionId: 102 });
  assert.equal(s.level, 'medium');
});

test('a token from another tab is not used', async () => {
  const { send } = world();
  const s = await send(state(101), { tab: { id: TAB + 1 } });
  assert.equal(s.status, 'no-token');
});

test('functionName is looked up through functions/list (all pages)', async () => {
  const { send, cdf } = world();
  const s = await send({ type: MSG.STATE, cluster: CLUSTER, project: 'acme-demo', functionName: 'none-fn' });
  assert.equal(s.status, 'ready');
  assert.equal(s.function.id, 103);
  assert.equal(cdf.requests.filter((r) => r.path.endsWith('/functions/list')).length, 2);
  const missing = await send({ type: MSG.STATE, cluster: CLUSTER, project: 'acme-demo', functionName: 'nope' });
  assert.equal(missing.reasonCode, 'not-found');
});

test('GATE: at or above the threshold gates, below does not; the policy moves the threshold', async () => {
  const { send } = world();
  const crit = await send(gate(101));
  assert.equal(crit.gate, true);
  assert.equal(crit.threshold, 'high');
  assert.equal(crit.state.level, 'critical');
  assert.equal((await send(gate(102))).gate, false, 'medium is below the default high');
  const ok = await send({ type: MSG.SET_POLICY, toml: "[gate]\nthreshold = 'medium'\n" }, OPTIONS_PAGE);
  assert.deepEqual(ok, { ok: true });
  const med = await send(gate(102));
  assert.equal(med.threshold, 'medium');
  assert.equal(med.gate, true);
});

test('"Run anyway" is keyed by code hash: changed code asks again', async () => {
  const { send, cdf, local } = world();
  const first = await send(gate(101));
  assert.equal(first.gate, true);
  const hash = first.state.codeHash;
  assert.deepEqual(await send({ type: MSG.APPROVE, cluster: CLUSTER, project: 'acme-demo', functionId: 101, codeHash: hash }), { ok: true });
  assert.deepEqual(local.approvals, { [`${CLUSTER}|acme-demo|101`]: hash });
  const again = await send(gate(101));
  assert.equal(again.gate, false);
  assert.equal(again.state.approved, true);

  cdf.functions.set(101, { id: 101, name: 'critical-fn', fileId: 9005 });
  cdf.zips.set(9005, 'PK level=critical and changed');
  const changed = await send(gate(101));
  assert.notEqual(changed.state.codeHash, hash);
  assert.equal(changed.gate, true);
  assert.equal(changed.state.approved, false);
});

test('"Run anyway" for a function that could not be analysed holds for that tab only', async () => {
  const { send, cdf, svc, storageCalls } = world();
  cdf.hooks['/files/downloadlink'] = () => new Response('{}', { status: 403 });
  assert.equal((await send(gate(103))).gate, true);
  await send({ type: MSG.APPROVE, cluster: CLUSTER, project: 'acme-demo', functionId: 103 });
  assert.equal((await send(gate(103))).gate, false);
  assert.ok(!storageCalls.some(([op]) => op === 'local.set'), 'not stored');
  seeToken(svc, TAB + 1, CLUSTER, TOKEN);
  assert.equal((await send(gate(103), { tab: { id: TAB + 1 } })).gate, true, 'another tab asks again');
  svc.onTabRemoved(TAB);
  seeToken(svc, TAB, CLUSTER, TOKEN);
  assert.equal((await send(gate(103))).gate, true, 'a closed tab forgets');
});

test('GATE answers "loading" and gates when the analysis takes too long', async () => {
  const { send, cdf } = world({ gateWaitMs: 30, service: { downloadTimeoutMs: 60 } });
  cdf.hooks[`storage.${CLUSTER}`] = () => new Promise(() => {});
  const g = await send(gate(103));
  assert.equal(g.gate, true);
  assert.equal(g.state.status, 'loading');
});

test('managed policy: wins when locked and refuses SET_POLICY', async () => {
  const { send, storageCalls } = world({ managed: { policy: "[gate]\nthreshold = 'low'\n", locked: true } });
  assert.deepEqual(await send({ type: MSG.GET_POLICY }, OPTIONS_PAGE), { toml: "[gate]\nthreshold = 'low'\n", source: 'managed', managedLocked: true });
  const r = await send({ type: MSG.SET_POLICY, toml: "[gate]\nthreshold = 'critical'\n" }, OPTIONS_PAGE);
  assert.equal(r.ok, false);
  assert.match(r.errors[0].message, /locked/);
  assert.ok(!storageCalls.some(([op]) => op === 'local.set'));
  assert.equal((await send(gate(102))).threshold, 'low');
});

test('policy: default, user, validation errors with line and column', async () => {
  const { send, local } = world();
  assert.deepEqual(await send({ type: MSG.GET_POLICY }, OPTIONS_PAGE), { toml: '', source: 'default', managedLocked: false });
  const bad = await send({ type: MSG.SET_POLICY, toml: '[x]\nbad = 1\n' }, OPTIONS_PAGE);
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.errors[0], { line: 2, column: 5, message: 'unknown key "bad"' });
  assert.equal(local.policyToml, undefined);
  const check = await send({ type: MSG.CHECK_POLICY, toml: "[gate]\nthreshold = 'low'\n" }, OPTIONS_PAGE);
  assert.equal(check.ok, true);
  await send({ type: MSG.SET_POLICY, toml: "[gate]\nthreshold = 'low'\n" }, OPTIONS_PAGE);
  assert.equal((await send({ type: MSG.GET_POLICY }, OPTIONS_PAGE)).source, 'user');
  const refused = await send({ type: MSG.SET_POLICY, toml: '' }, PAGE);
  assert.equal(refused.ok, false, 'a content script may not change the policy');
});

test('an invalid managed policy gates everything and analyses nothing', async () => {
  const { send, engine } = world({ managed: { policy: '[x]\nbad = 2\n', locked: true } });
  const s = await send(state(103));
  assert.equal(s.status, 'not-analysed');
  assert.equal(s.reasonCode, 'engine-error');
  assert.match(s.reason, /policy is invalid \(line 2:5\)/);
  assert.equal(engine.calls.analyze, 0);
  assert.equal((await send(gate(103))).gate, true);
});

test('TAB: cluster, project, token seen, permission, functions, timings', async () => {
  const { send } = world();
  await send(state(101));
  await send(state(103));
  const t = await send({ type: MSG.TAB, tabId: TAB }, OPTIONS_PAGE);
  assert.equal(t.cluster, CLUSTER);
  assert.equal(t.project, 'acme-demo');
  assert.equal(t.tokenSeen, true);
  assert.equal(t.permission.level, 'admin');
  assert.deepEqual(t.functions.map((f) => [f.function.id, f.level]), [[101, 'critical'], [103, 'none']]);
  assert.equal(typeof t.timings.analyzeMs, 'number');
  const other = await send({ type: MSG.TAB, tabId: 99 }, OPTIONS_PAGE);
  assert.deepEqual({ ...other, timings: undefined }, { tokenSeen: false, functions: [], storageHosts: [], timings: undefined });
});

test('unknown messages are not answered', () => {
  const { svc } = world();
  assert.equal(svc.handle({ type: 'other' }, PAGE), undefined);
  assert.equal(svc.handle({ type: 'constructor' }, PAGE), undefined);
  assert.equal(svc.handle(null, PAGE), undefined);
});

test('an extension page opened in a tab may ask about another tab; a content script may not', async () => {
  const { send } = world();
  await send(state(101));
  const optionsTab = { ...OPTIONS_PAGE, tab: { id: 55 } };
  assert.equal((await send({ type: MSG.TAB, tabId: TAB }, optionsTab)).tokenSeen, true);
  const fromPage = await send({ type: MSG.TAB, tabId: TAB }, { tab: { id: 56 }, url: 'https://acme.fusion.cognite.com/x' });
  assert.equal(fromPage.tokenSeen, false, 'a content script only sees its own tab');
  const fromPopup = await send({ type: MSG.STATE, tabId: TAB, cluster: CLUSTER, project: 'acme-demo', functionId: 101 }, OPTIONS_PAGE);
  assert.equal(fromPopup.level, 'critical');
});

test('functions/byids fails for a function asked by name: the answer keeps the id functions/list gave', async () => {
  const { send, cdf } = world();
  cdf.hooks['/functions/byids'] = () => new Response('{}', { status: 500 });
  const s = await send({ type: MSG.STATE, cluster: CLUSTER, project: 'acme-demo', functionName: 'medium-fn' });
  assert.equal(s.status, 'not-analysed');
  assert.equal(s.reasonCode, 'api-error');
  assert.deepEqual(s.function, { id: 102, name: 'medium-fn' });
  const g = await send(gate(102));
  assert.equal(g.gate, true);
  assert.equal(g.state.function.id, 102, 'the gate names the function it was asked about');
});

test('GATE after a failed download reuses the failure: no new download per click', async () => {
  const { send, cdf } = world({ service: { downloadTimeoutMs: 30 } });
  cdf.hooks[`storage.${CLUSTER}`] = (req, init) => new Response(new ReadableStream({
    start(ctl) {
      ctl.enqueue(new Uint8Array(10));
      init.signal.addEventListener('abort', () => ctl.error(new DOMException('aborted', 'AbortError')));
    },
  }));
  assert.equal((await send(state(101))).reasonCode, 'timeout');
  assert.equal(downloads(cdf).length, 1);
  for (let i = 0; i < 3; i++) {
    const g = await send(gate(101));
    assert.equal(g.gate, true);
    assert.equal(g.state.status, 'not-analysed');
    assert.equal(g.state.reasonCode, 'timeout');
  }
  assert.equal(downloads(cdf).length, 1, 'the badge\'s failed download is the answer; clicks start none');
});

test('GATE questions while the analysis runs wait for it: one download, a bounded wait each', async () => {
  const { send, cdf } = world({ gateWaitMs: 20 });
  let release;
  const stalled = new Promise((r) => { release = r; });
  cdf.hooks[`storage.${CLUSTER}`] = async () => { await stalled; };
  const first = await send(gate(101));
  assert.equal(first.state.status, 'loading', 'answered after the bounded wait');
  assert.equal(first.gate, true, 'still checking gates');
  const second = await send(gate(101));
  assert.equal(second.state.status, 'loading');
  assert.equal(downloads(cdf).length, 1, 'the second question joined the running check');
  release();
  let done;
  for (let i = 0; i < 50 && done?.state?.status !== 'ready'; i++) done = await send(gate(101));
  assert.equal(done.state.status, 'ready');
  assert.equal(done.state.level, 'critical');
  assert.equal(downloads(cdf).length, 1);
});

test('a failure GATE reused is checked again after the reuse time, or once the download host is granted', async () => {
  let t = 0;
  const { send, cdf, svc } = world({ service: { now: () => t, gateReuseMs: 1000 } });
  cdf.hooks['/files/downloadlink'] = () => new Response('{}', { status: 403 });
  assert.equal((await send(gate(103))).state.reasonCode, 'no-access');
  assert.equal((await send(gate(103))).state.reasonCode, 'no-access');
  const links = () => cdf.requests.filter((r) => r.path.endsWith('/files/downloadlink')).length;
  assert.equal(links(), 1);
  delete cdf.hooks['/files/downloadlink'];
  svc.onPermissionsAdded({ origins: [`https://storage.${CLUSTER}/*`] });
  assert.equal((await send(gate(103))).state.status, 'ready');
  cdf.hooks['/files/downloadlink'] = () => new Response('{}', { status: 403 });
  assert.equal((await send(state(103, { refresh: true }))).reasonCode, 'no-access');
  assert.equal((await send(gate(103))).state.reasonCode, 'no-access');
  delete cdf.hooks['/files/downloadlink'];
  t = 1000;
  assert.equal((await send(gate(103))).state.status, 'ready', 'after gateReuseMs GATE checks again');
});
