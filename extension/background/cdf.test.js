import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertApiTarget, classifyStatus, createCdfClient } from './cdf.js';

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
