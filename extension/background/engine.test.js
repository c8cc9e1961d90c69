// The background with the real engine (build/wasm/preflight.wasm from
// `make wasm-browser`) loaded in Node the way the extension loads it:
// wasm_exec.js sets globalThis.Go, runGo waits for __preflightReady.
// Skipped when the build is absent, unless PREFLIGHT_REQUIRE_NODE_DEPS=1.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { MSG } from '../lib/protocol.js';
import { createEngine, runGo } from './engine.js';
import { createService } from './service.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const wasmDir = process.env.PREFLIGHT_WASM_DIR ?? join(root, 'build', 'wasm');
const have = existsSync(join(wasmDir, 'preflight.wasm')) && existsSync(join(wasmDir, 'wasm_exec.js'));
if (!have && process.env.PREFLIGHT_REQUIRE_NODE_DEPS === '1') {
  throw new Error(`${wasmDir}/preflight.wasm missing: run make wasm-browser`);
}
const skip = have ? false : `${wasmDir}/preflight.wasm missing: run make wasm-browser`;

/** A zip (stored, no compression) of name → text. */
function zip(files) {
  const parts = [];
  const central = [];
  let off = 0;
  for (const [name, text] of Object.entries(files)) {
    const n = Buffer.from(name);
    const d = Buffer.from(text);
    const crc = crc32(d);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(d.length, 18); local.writeUInt32LE(d.length, 22);
    local.writeUInt16LE(n.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(20, 4); cen.writeUInt16LE(20, 6);
    cen.writeUInt32LE(crc, 16); cen.writeUInt32LE(d.length, 20); cen.writeUInt32LE(d.length, 24);
    cen.writeUInt16LE(n.length, 28); cen.writeUInt32LE(off, 42);
    parts.push(local, n, d);
    central.push(cen, n);
    off += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, end]));
}

let engine;
before(async () => {
  if (skip) return;
  createRequire(import.meta.url)(join(wasmDir, 'wasm_exec.js'));
  const bytes = readFileSync(join(wasmDir, 'preflight.wasm'));
  let loads = 0;
  engine = createEngine(async () => {
    loads++;
    if (loads === 1) throw new Error('first load fails on purpose');
    const go = new globalThis.Go();
    const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
    return runGo(go, instance);
  });
  await assert.rejects(engine.checkPolicy(''), /on purpose/);
});

test('the real engine: a failed load is retried; checkPolicy gives threshold and maxZipBytes', { skip }, async () => {
  const ok = await engine.checkPolicy("[gate]\nthreshold = 'medium'\n");
  assert.equal(ok.ok, true);
  assert.equal(ok.threshold, 'medium');
  assert.ok(ok.maxZipBytes > 0);
  const bad = await engine.checkPolicy('[gate]\n\nthreshold = 7\n');
  assert.equal(bad.ok, false);
  assert.equal(bad.errors[0].line, 3);
  assert.equal(typeof engine.timings().loadMs, 'number');
});

test('the real engine through the background: a token-stealing function is critical and gated', { skip }, async () => {
  const bundle = join(root, 'testdata', 'functions', 'risky-caller-token-webhook');
  const fn = JSON.parse(readFileSync(join(bundle, 'function.json'), 'utf8'));
  const code = zip({
    'handler.py': readFileSync(join(bundle, 'handler.py'), 'utf8'),
    'requirements.txt': readFileSync(join(bundle, 'requirements.txt'), 'utf8'),
  });
  const inspect = readFileSync(join(root, 'testdata', 'tokens', 'admin-groups-all.json'), 'utf8');
  const host = 'westeurope-1.cognitedata.com';
  const fetch = async (url, init) => {
    const u = new URL(url);
    if (u.host === `storage.${host}`) return new Response(code);
    assert.equal(u.host, host);
    if (u.pathname === '/api/v1/token/inspect') return new Response(inspect);
    if (u.pathname.endsWith('/functions/byids')) return new Response(JSON.stringify({ items: [fn] }));
    if (u.pathname.endsWith('/files/downloadlink')) {
      return new Response(JSON.stringify({ items: [{ id: fn.fileId, downloadUrl: `https://storage.${host}/zips/${fn.fileId}` }] }));
    }
    return new Response('{}', { status: 404 });
  };
  const local = {};
  const api = {
    runtime: { id: 'x', getURL: (p) => `chrome-extension://x/${p}` },
    permissions: { contains: async () => true },
    storage: {
      local: { get: async (k) => (k in local ? { [k]: local[k] } : {}), set: async (o) => Object.assign(local, o), remove: async () => {} },
      managed: { get: async () => ({}) },
    },
  };
  const svc = createService({ api, engine, fetch, tokenWaitMs: 10 });
  svc.tokens.onBeforeSendHeaders({
    tabId: 1, url: `https://${host}/api/v1/token/inspect`, initiator: 'https://acme.fusion.cognite.com',
    requestHeaders: [{ name: 'Authorization', value: 'Bearer abc' }],
  });
  const sender = { tab: { id: 1 } };
  const s = await svc.handle({ type: MSG.STATE, cluster: host, project: 'acme-prod', functionId: fn.id }, sender);
  assert.equal(s.status, 'ready', s.reason);
  assert.equal(s.level, 'critical');
  assert.equal(s.report.schemaVersion, 1);
  assert.ok(s.report.findings.some((f) => f.file === 'handler.py' && f.line > 0));
  assert.equal(s.permission.level, 'admin');
  assert.ok(s.permission.explanation.length > 0);
  const g = await svc.handle({ type: MSG.GATE, cluster: host, project: 'acme-prod', functionId: fn.id }, sender);
  assert.equal(g.gate, true);
  assert.equal(g.threshold, 'high');
  assert.equal(typeof engine.timings().analyzeMs, 'number');
});

test('warm(): the built-in warm-up bundle is a bundle the real engine analyses, once', { skip }, async () => {
  const a = engine.warm();
  assert.equal(engine.warm(), a, 'one warm-up per engine');
  const report = await a;
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.risk.level, 'none', 'the warm-up bundle is harmless code');
  assert.equal(typeof engine.timings().warmMs, 'number');
});

test('warm(): a failed load is retried by the next warm()', async () => {
  let loads = 0;
  const e = createEngine(async () => {
    loads++;
    if (loads === 1) throw new Error('no engine yet');
    return { analyze: async () => '{"risk":{"level":"none"}}', permissions: async () => '{}', checkPolicy: async () => '{}' };
  });
  await assert.rejects(e.warm(), /no engine yet/);
  assert.deepEqual(await e.warm(), { risk: { level: 'none' } });
  assert.equal(loads, 2);
});
