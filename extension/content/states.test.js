// FunctionStates: what the badge is told while the background works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionStates } from './states.js';

/** Runs FunctionStates against scripted answers with an immediate timer. */
function run(answers) {
  const seen = [];
  const timers = [];
  const states = new FunctionStates(async () => answers.shift(), (key, s) => seen.push(s), {
    setTimeout: (f) => timers.push(f),
  });
  states.request('fn:1', { functionId: 1 }, { cluster: 'c.cognitedata.com', project: 'p' });
  return { seen, timers };
}

async function drain(timers) {
  for (let i = 0; i < 1000; i++) {
    await new Promise((r) => setImmediate(r));
    const f = timers.shift();
    if (!f) return;
    f();
  }
}

test('a stale answer is shown, then asked again until the fresh report arrives', async () => {
  const stale = { status: 'ready', level: 'none', stale: true, report: { risk: { level: 'none' }, findings: [] } };
  const fresh = { status: 'ready', level: 'critical', report: { risk: { level: 'critical' }, findings: [{}] } };
  const { seen, timers } = run([stale, stale, fresh]);
  await drain(timers);
  assert.deepEqual(seen.map((s) => `${s.level}${s.stale ? ' (stale)' : ''}`), ['none (stale)', 'none (stale)', 'critical']);
});

test('loading forever ends as not analysed (timeout), never as safe', async () => {
  const answers = Array.from({ length: 200 }, () => ({ status: 'loading', level: 'unknown' }));
  const { seen, timers } = run(answers);
  await drain(timers);
  const last = seen.at(-1);
  assert.equal(last.status, 'not-analysed');
  assert.equal(last.level, 'unknown');
  assert.equal(last.reasonCode, 'timeout');
});

test('a broken answer from the extension is not analysed, not ready', async () => {
  const { seen, timers } = run([{ status: 'weird' }]);
  await drain(timers);
  assert.equal(seen[0].status, 'not-analysed');
  assert.equal(seen[0].reasonCode, 'extension-error');
});

test('a function asked about by name is found by the id the background answered with', async () => {
  const st = { status: 'ready', level: 'high', function: { id: 5, name: 'x' } };
  const states = new FunctionStates(async () => st, () => {}, { setTimeout: () => {} });
  states.request('name:x', { functionName: 'x' }, { cluster: 'c.cognitedata.com', project: 'p' });
  await new Promise((r) => setImmediate(r));
  assert.equal(states.byFunctionId(5), st);
  assert.equal(states.byFunctionId(6), undefined);
});
