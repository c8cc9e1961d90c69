// Node tests for the browser build (wasm/browser): load build/wasm/preflight.wasm
// with the wasm_exec.js shipped beside it — as the extension does — and call
// globalThis.preflight. Node >= 20 built-ins only. Run after `make wasm-browser`:
//   node --test scripts/wasmtest/
// The analyze test compares the browser build's report for a real code zip with
// `go run ./cmd/preflight scan --format json` of the same zip, byte for byte.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = process.env.PREFLIGHT_WASM_DIR ?? join(root, 'build', 'wasm');
const bundle = join(root, 'testdata', 'functions', 'risky-caller-token-webhook');
const token = readFileSync(join(root, 'testdata', 'tokens', 'admin-groups-all.json'), 'utf8');

let pf;
const cli = {}; // CLI outputs, computed before the wasm runs (see before)

// The CLI runs (execFileSync) happen before the module is instantiated: a
// synchronous wait blocks the event loop, and a js/wasm runtime resumed
// after that can exhaust the JS stack on the engine's first regexp
// compilation (noted in the report; the browser never blocks like that).
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-wasmtest-'));
  cli.zipPath = join(dir, 'code.zip');
  go('run', './scripts/wasmtest/mkzip', bundle, cli.zipPath);
  const bin = join(dir, 'preflight');
  go('build', '-o', bin, './cmd/preflight');
  const run = (...args) => execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const fnPath = join(bundle, 'function.json');
  const tokPath = join(root, 'testdata', 'tokens', 'admin-groups-all.json');
  cli.scan = run('scan', '--format', 'json', '--function', fnPath, cli.zipPath);
  cli.scanToken = run('scan', '--format', 'json', '--function', fnPath, '--token-inspect', tokPath, '--project', 'acme-prod', cli.zipPath);
  cli.perms = run('perms', '--format', 'json', '--token-inspect', tokPath, '--project', 'acme-prod');

  const wasmPath = join(buildDir, 'preflight.wasm');
  assert.ok(existsSync(wasmPath), `${wasmPath} missing: run make wasm-browser`);
  createRequire(import.meta.url)(join(buildDir, 'wasm_exec.js')); // sets globalThis.Go
  const ready = new Promise((res) => { globalThis.__preflightReady = res; });
  const runtime = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), runtime.importObject);
  runtime.run(instance); // never settles: main stays alive with select {}
  await ready;
  pf = globalThis.preflight;
});

function go(...args) {
  return execFileSync('go', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
}

test('version is the engine version', () => {
  assert.match(pf.version, /^\d+\.\d+\.\d+/);
  assert.equal(pf.version, JSON.parse(cli.scan).tool.version);
});

test('analyze gives the CLI report byte for byte', async () => {
  const fnJSON = readFileSync(join(bundle, 'function.json'), 'utf8');
  const zip = new Uint8Array(readFileSync(cli.zipPath));
  for (const [args, want] of [
    [[zip, fnJSON, '', '', ''], cli.scan],
    [[zip, fnJSON, token, 'acme-prod', null], cli.scanToken],
    [[zip, fnJSON, token, 'acme-prod', undefined], cli.scanToken],
  ]) {
    const got = await pf.analyze(...args);
    assert.equal(got, want);
    const rep = JSON.parse(got);
    assert.equal(rep.risk.level, 'critical', 'a function sending the caller token to a webhook');
    assert.ok(rep.findings.length > 0);
  }
});

test('bad input rejects with a clear message and the runtime survives', async () => {
  await assert.rejects(pf.analyze('PK\x03\x04'), { message: 'analyze: zipBytes must be a Uint8Array' });
  await assert.rejects(pf.analyze(), { message: 'analyze: zipBytes must be a Uint8Array' });
  await assert.rejects(pf.analyze(new Uint8Array([1, 2, 3])), /zip/);
  await assert.rejects(pf.analyze(new Uint8Array(10), 5), { message: 'analyze: functionJSON must be a string, not number' });
  await assert.rejects(pf.permissions('{not json', 'acme-prod'), /token inspect/);
  await assert.rejects(pf.permissions(), /tokenInspectJSON is required/);
  // A later call still works.
  const zip = new Uint8Array(readFileSync(cli.zipPath));
  const rep = JSON.parse(await pf.analyze(zip));
  assert.equal(rep.schemaVersion, 1);
});

test('permissions equals the CLI perms JSON', async () => {
  const got = await pf.permissions(token, 'acme-prod');
  assert.equal(got, cli.perms);
  assert.equal(JSON.parse(got).level, 'admin');
});

test('checkPolicy reports errors with line and column', async () => {
  const ok = JSON.parse(await pf.checkPolicy("[gate]\nthreshold = 'medium'\n"));
  assert.equal(ok.ok, true);
  assert.match(ok.policy, /threshold = 'medium'/);
  const bad = JSON.parse(await pf.checkPolicy('[gate]\n\nthreshold = 7\n'));
  assert.equal(bad.ok, false);
  assert.equal(bad.errors[0].line, 3);
  assert.ok(bad.errors[0].column > 0);
  assert.ok(bad.errors[0].message.length > 0);
});
