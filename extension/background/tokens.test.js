import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTokenStore, headerOptions, isClusterHost } from './tokens.js';

const req = (over = {}) => ({
  tabId: 3,
  url: 'https://westeurope-1.cognitedata.com/api/v1/projects/p/functions',
  initiator: 'https://acme.fusion.cognite.com',
  requestHeaders: [{ name: 'authorization', value: 'Bearer tok-1' }],
  ...over,
});

test('a Fusion page request to the cluster records its token under that exact host', () => {
  const t = createTokenStore();
  t.onBeforeSendHeaders(req());
  assert.equal(t.get(3, 'westeurope-1.cognitedata.com'), 'tok-1');
  assert.equal(t.get(3, 'api.cognitedata.com'), undefined);
  assert.equal(t.get(4, 'westeurope-1.cognitedata.com'), undefined);
  assert.equal(t.lastHost(3), 'westeurope-1.cognitedata.com');
  t.onBeforeSendHeaders(req({ requestHeaders: [{ name: 'Authorization', value: 'Bearer tok-2' }] }));
  assert.equal(t.get(3, 'westeurope-1.cognitedata.com'), 'tok-2', 'the newest token wins');
});

test('requests that must not give a token are ignored', () => {
  const t = createTokenStore();
  for (const over of [
    { tabId: -1 }, // the extension's own requests
    { url: 'http://westeurope-1.cognitedata.com/api/v1/x' },
    { url: 'https://westeurope-1.cognitedata.com:8443/api/v1/x' },
    { url: 'https://storage.westeurope-1.cognitedata.com/zips/1' },
    { url: 'https://evil.example/api/v1/x' },
    { url: 'https://cognitedata.com.evil.example/api/v1/x' },
    { initiator: 'https://evil.example' },
    { initiator: undefined, documentUrl: 'https://fusion.cognite.com.evil.example/x' },
    { requestHeaders: [{ name: 'Authorization', value: 'Basic dXNlcjpwYXNz' }] },
    { requestHeaders: [] },
  ]) t.onBeforeSendHeaders(req(over));
  assert.equal(t.seen(3), false);
  t.onBeforeSendHeaders(req({ initiator: undefined, originUrl: 'https://fusion.cognite.com/p/functions' }));
  assert.equal(t.seen(3), true, 'Firefox originUrl from Fusion is accepted');
});

test('drop forgets only the token that failed; dropTab forgets the tab', () => {
  const t = createTokenStore();
  t.onBeforeSendHeaders(req());
  t.drop(3, 'westeurope-1.cognitedata.com', 'older-token');
  assert.equal(t.get(3, 'westeurope-1.cognitedata.com'), 'tok-1');
  t.drop(3, 'westeurope-1.cognitedata.com', 'tok-1');
  assert.equal(t.get(3, 'westeurope-1.cognitedata.com'), undefined);
  t.onBeforeSendHeaders(req());
  t.dropTab(3);
  assert.equal(t.seen(3), false);
  assert.equal(t.lastHost(3), undefined);
});

test('isClusterHost accepts only *.cognitedata.com names', () => {
  for (const h of ['api.cognitedata.com', 'westeurope-1.cognitedata.com', 'a.b.cognitedata.com']) assert.ok(isClusterHost(h), h);
  for (const h of ['cognitedata.com', 'evilcognitedata.com', 'x.cognitedata.com.evil', 'x.cognitedata.com:443', '', undefined, 'X.COGNITEDATA.COM']) {
    assert.ok(!isClusterHost(h), String(h));
  }
});

test('extraHeaders only where the browser defines it', () => {
  assert.deepEqual(headerOptions({ OnBeforeSendHeadersOptions: { EXTRA_HEADERS: 'extraHeaders' } }), ['requestHeaders', 'extraHeaders']);
  assert.deepEqual(headerOptions({ OnBeforeSendHeadersOptions: { REQUEST_HEADERS: 'requestHeaders' } }), ['requestHeaders']);
  assert.deepEqual(headerOptions(undefined), ['requestHeaders']);
});
