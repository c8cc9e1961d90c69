import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertApiTarget, classifyStatus, createCdfClient, INTERIM_MAX_BYTES } from './cdf.js';

const HOST = 'westeurope-1.cognitedata.com';

test('assertApiTarget lets the token go only to https://<its host>/api/v1/', () => {
  assertApiTarget(`https://${HOST}/api/v1/token/inspect`, HOST);
  assertApiTarget(`https://${HOST}/api/v1/projects/p/functions/byids`, HOST);
  for (const url of [
    `http://${HOST}/api/v1/token/inspect`,
    `https://${HOST}:8443/api/v1/token/inspect`,
    `https://storage.${HOST}/api/v1/x`,
    `https://canary.cognitedata.com/api/v1/token/inspect`,
    `https://${HOST}.evil.example/api/v1/x`,
    `https://user:pw@${HOST}/api/v1/x`,
    `https://${HOST}/zips/1`,
    `https://${HOST}/api/v2/x`,
    'not a url',
  ]) {
    assert.throws(() => assertApiTarget(url, HOST), /refusing to send the token/, url);
  }
  assert.throws(() => assertApiTarget(`https://${HOST}/api/v1/x`, ''), /refusing/);
  assert.throws(() => assertApiTarget(`https://${HOST}/api/v1/x`, undefined), /refusing/);
});

test('a host that smuggles a path or port cannot redirect the token', async () => {
  const seen = [];
  const c = createCdfClient({ fetch: async (url) => { seen.push(url); return new Response('{}'); } });
  for (const host of ['evil.example/x?', 'evil.example#', `${HOST}@evil.example`, `${HOST}:444`]) {
    await assert.rejects(c.tokenInspect(host, 't'), /refusing to send the token/, host);
  }
  assert.deepEqual(seen, []);
});

test('status codes map to reason codes', () => {
  assert.equal(classifyStatus(401), 'unauthorized');
  assert.equal(classifyStatus(403), 'no-access');
  assert.equal(classifyStatus(404), 'not-found');
  assert.equal(classifyStatus(500), 'api-error');
  assert.equal(classifyStatus(429), 'api-error');
});

test('API requests omit cookies and refuse redirects; errors never carry the token', async () => {
  let init;
  const c = createCdfClient({ fetch: async (_, i) => { init = i; return new Response('{"error":{}}', { status: 500 }); } });
  await assert.rejects(c.functionById(HOST, 'tok-secret', 'p', 1), (err) => {
    assert.equal(err.reasonCode, 'api-error');
    assert.ok(!err.message.includes('tok-secret'));
    return true;
  });
  assert.equal(init.credentials, 'omit');
  assert.equal(init.redirect, 'error');
  assert.equal(init.headers.Authorization, 'Bearer tok-secret');
});

test('download: https only, permission first, no Authorization', async () => {
  const calls = [];
  const c = createCdfClient({
    fetch: async (url, init) => { calls.push({ url, init }); return new Response(new Uint8Array([1, 2, 3])); },
    hasOrigin: async (o) => o === 'https://storage.example',
  });
  await assert.rejects(c.download('http://storage.example/z', 10), { reasonCode: 'api-error' });
  await assert.rejects(c.download('https://other.example/z', 10), { reasonCode: 'storage-permission', origin: 'https://other.example' });
  assert.equal(calls.length, 0);
  assert.deepEqual([...await c.download('https://storage.example/z', 10)], [1, 2, 3]);
  assert.equal(calls[0].init.headers.Authorization, undefined);
  assert.equal(calls[0].init.credentials, 'omit');
  await assert.rejects(c.download('https://storage.example/z', 2), { reasonCode: 'too-large' });
});

test('download with a limit still unknown: reads on, then applies the limit when it arrives', async () => {
  const body = () => new Response(new Uint8Array(1000));
  const c = createCdfClient({ fetch: async () => body(), hasOrigin: async () => true });
  let set;
  const limit = new Promise((r) => { set = r; });
  const small = c.download('https://storage.example/z', limit);
  set(10);
  await assert.rejects(small, { reasonCode: 'too-large' }, 'a limit that arrives after the bytes still applies');
  assert.equal((await c.download('https://storage.example/z', Promise.resolve(5000))).length, 1000);
  await assert.rejects(c.download('https://storage.example/z', Promise.reject(new Error('no policy'))), { reasonCode: 'api-error' });
});

test('download with a limit still unknown: a declared size over the interim cap waits for the limit', async () => {
  const big = INTERIM_MAX_BYTES + 1;
  let cancelled = false;
  const c = createCdfClient({
    fetch: async () => new Response(new ReadableStream({ pull(ctl) { ctl.enqueue(new Uint8Array(4)); ctl.close(); }, cancel() { cancelled = true; } }), { headers: { 'content-length': String(big) } }),
    hasOrigin: async () => true,
  });
  let set;
  let waited = false;
  const limit = new Promise((r) => { set = r; });
  const p = c.download('https://storage.example/z', limit.then((n) => { waited = true; return n; }));
  setTimeout(() => set(big - 1), 5);
  await assert.rejects(p, { reasonCode: 'too-large' });
  assert.ok(waited && cancelled, 'the body was not read past the interim cap before the limit was known');
});
