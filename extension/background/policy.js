// The effective policy: the organisation's (storage.managed `policy`, with
// `locked`), else the user's (storage.local `policyToml`), else "" — the
// engine's defaults. An unlocked managed policy is the default the user may
// replace; a locked one cannot be replaced. Threshold and max zip size come
// from the engine's checkPolicy, so the extension and the engine agree.
//
// Chromium holds storage.managed.get until its policy service has started,
// which is seconds after the browser starts (measured: ~2 s on the CI
// machine). A badge need not wait for that: effective({waitMs}) gives a
// *provisional* policy (the user's or the default, ignoring the managed one)
// when the managed answer is not there within waitMs. Whatever is computed
// with it is marked provisional and asked again; the gate always waits for
// the real one.

import { sha256Hex } from './hash.js';

export const USER_KEY = 'policyToml';

/**
 * @param {{storage: object, engine: {checkPolicy(toml: string): Promise<object>}}} deps
 *   storage: the browser's storage namespace (local, managed, onChanged)
 */
export function createPolicy({ storage, engine }) {
  let effective = null; // Promise of the effective policy, until storage changes
  let provisional = null; // Promise of the policy without the managed one, while that is pending
  let live = null; // Promise of the managed answer, read once until storage changes
  let liveKnown = false; // whether live has settled

  /** The managed answer, read once (until the managed area changes). */
  function managedLive() {
    if (!live) {
      const p = managed();
      live = p;
      liveKnown = false;
      p.then(() => { if (live === p) liveKnown = true; });
    }
    return live;
  }

  async function managed() {
    try {
      const m = (await storage.managed?.get(['policy', 'locked'])) ?? {};
      return {
        policy: typeof m.policy === 'string' && m.policy.trim() !== '' ? m.policy : undefined,
        locked: m.locked === true,
      };
    } catch {
      return { policy: undefined, locked: false }; // Firefox: no managed storage manifest
    }
  }

  /** {toml, source, managedLocked}: which policy is in force. */
  async function read() {
    return readWith(await managedLive());
  }

  /** Which policy is in force given the managed answer m. */
  async function readWith(m) {
    if (m.policy !== undefined && m.locked) return { toml: m.policy, source: 'managed', managedLocked: true };
    const local = (await storage.local.get(USER_KEY)) ?? {};
    const user = local[USER_KEY];
    if (typeof user === 'string' && user.trim() !== '') return { toml: user, source: 'user', managedLocked: m.locked };
    if (m.policy !== undefined) return { toml: m.policy, source: 'managed', managedLocked: false };
    return { toml: '', source: 'default', managedLocked: m.locked };
  }

  async function compute(r) {
    const check = await engine.checkPolicy(r.toml);
    return {
      ...r,
      ok: check.ok === true,
      errors: check.errors ?? [],
      threshold: check.ok ? check.threshold || 'high' : 'none', // an invalid policy gates everything
      maxZipBytes: check.ok && check.maxZipBytes > 0 ? check.maxZipBytes : 50 << 20,
      hash: await sha256Hex(new TextEncoder().encode(r.toml)),
    };
  }

  return {
    read,

    /**
     * The effective policy with the engine's verdict:
     * {toml, source, managedLocked, ok, errors, threshold, maxZipBytes, hash}.
     * With waitMs, the managed answer is awaited that long only; after that
     * the answer is the policy without it, marked provisional: true.
     * @param {{waitMs?: number}} [opts]
     */
    effective({ waitMs } = {}) {
      if (!effective) {
        const p = managedLive().then(readWith).then(compute);
        effective = p;
        p.catch(() => { if (effective === p) effective = null; });
      }
      if (waitMs === undefined || liveKnown) return effective;
      const LATE = {};
      let timer;
      const late = new Promise((resolve) => { timer = setTimeout(() => resolve(LATE), waitMs); });
      return Promise.race([effective, late]).then((first) => {
        clearTimeout(timer);
        if (first !== LATE) return first;
        if (!provisional) {
          const p = readWith({ policy: undefined, locked: false }).then(compute).then((pol) => ({ ...pol, provisional: true }));
          provisional = p;
          p.catch(() => { if (provisional === p) provisional = null; });
        }
        return provisional;
      });
    },

    /** Validates toml through the engine: {ok, policy?, errors?}. */
    async check(toml) {
      if (typeof toml !== 'string') return { ok: false, errors: [{ line: 0, column: 0, message: 'The policy must be text' }] };
      const c = await engine.checkPolicy(toml);
      return c.ok ? { ok: true, policy: c.policy } : { ok: false, errors: c.errors ?? [] };
    },

    /** Saves the user's policy after validation; refused when managed storage locks it. */
    async save(toml) {
      if ((await managedLive()).locked) {
        return { ok: false, errors: [{ line: 0, column: 0, message: 'Your organisation manages this policy and has locked it' }] };
      }
      const c = await this.check(toml);
      if (!c.ok) return c;
      if (toml.trim() === '') await storage.local.remove(USER_KEY);
      else await storage.local.set({ [USER_KEY]: toml });
      effective = null;
      provisional = null;
      return { ok: true };
    },

    /** storage.onChanged: whether the change touches the policy (then it is re-read). */
    onStorageChanged(changes, area) {
      if (area === 'managed' || (area === 'local' && USER_KEY in changes)) {
        if (area === 'managed') live = null;
        effective = null;
        provisional = null;
        return true;
      }
      return false;
    },
  };
}
