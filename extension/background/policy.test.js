// The effective policy while Chromium still holds storage.managed (it does
// for seconds after the browser starts): badges may go on with a
// provisional policy, marked as such; nothing else may.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicy } from './policy.js';

/** Storage whose managed area answers only when release() is called. */
function slowManaged(managed, local = {}) {
  let release;
  const held = new Promise((r) => { release = r; });
  let reads = 0;
  const storage = {
    local: { get: async (k) => (k in local ? { [k]: local[k] } : {}), set: async (o) => Object.assign(local, o), remove: async () => {} },
    managed: { get: async () => { reads++; await held; return managed; } },
  };
  return { storage, release: () => release(), reads: () => reads };
}

/** A fake engine: the threshold is the policy's `threshold = '…'`, else high. */
const engine = {
  async checkPolicy(toml) {
    const m = /threshold = '(\w+)'/.exec(toml);
    return { ok: true, policy: toml, threshold: m ? m[1] : 'high', maxZipBytes: 1000 };
  },
};

test('a badge question gets a provisional policy while the managed one is held; then the managed one', async () => {
  const managed = { policy: "[gate]\nthreshold = 'low'\n", locked: true };
  const { storage, release, reads } = slowManaged(managed, { policyToml: "[gate]\nthreshold = 'critical'\n" });
  const policy = createPolicy({ storage, engine });
  const early = await policy.effective({ waitMs: 5 });
  assert.equal(early.provisional, true);
  assert.equal(early.source, 'user', 'the user policy stands in while the managed one is unknown');
  assert.equal(early.threshold, 'critical');
  const authoritative = policy.effective();
  release();
  const pol = await authoritative;
  assert.equal(pol.provisional, undefined);
  assert.equal(pol.source, 'managed');
  assert.equal(pol.threshold, 'low');
  const later = await policy.effective({ waitMs: 5 });
  assert.equal(later.provisional, undefined, 'once managed storage answered, never provisional');
  assert.equal(later.threshold, 'low');
  assert.equal(reads(), 1, 'managed storage is read once');
});

test('without waitMs the policy waits for managed storage however long it takes', async () => {
  const { storage, release } = slowManaged({ policy: "[gate]\nthreshold = 'medium'\n", locked: false });
  const policy = createPolicy({ storage, engine });
  let settled = false;
  const p = policy.effective().then((x) => { settled = true; return x; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, false);
  release();
  assert.equal((await p).threshold, 'medium');
});

test('a managed answer within waitMs is used, not a provisional one', async () => {
  const { storage, release } = slowManaged({ policy: "[gate]\nthreshold = 'medium'\n", locked: true });
  const policy = createPolicy({ storage, engine });
  setTimeout(release, 1);
  const pol = await policy.effective({ waitMs: 1000 });
  assert.equal(pol.provisional, undefined);
  assert.equal(pol.threshold, 'medium');
});

test('a change of the managed area reads it again', async () => {
  const managed = { policy: "[gate]\nthreshold = 'medium'\n", locked: true };
  const { storage, release, reads } = slowManaged(managed);
  release();
  const policy = createPolicy({ storage, engine });
  assert.equal((await policy.effective()).threshold, 'medium');
  managed.policy = "[gate]\nthreshold = 'critical'\n";
  assert.equal(policy.onStorageChanged({ policy: {} }, 'managed'), true);
  assert.equal((await policy.effective()).threshold, 'critical');
  assert.equal(reads(), 2);
});
