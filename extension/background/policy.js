// The effective policy: the organisation's (storage.managed `policy`, with
// `locked`), else the user's (storage.local `policyToml`), else "" — the
// engine's defaults. An unlocked managed policy is the default the user may
// replace; a locked one cannot be replaced. Threshold and max zip size come
// from the engine's checkPolicy, so the extension and the engine agree.

import { sha256Hex } from './hash.js';

export const USER_KEY = 'policyToml';

/**
 * @param {{storage: object, engine: {checkPolicy(toml: string): Promise<object>}}} deps
 *   storage: the browser's storage namespace (local, managed, onChanged)
 */
export function createPolicy({ storage, engine }) {
  let effective = null; // Promise of the effective policy, until storage changes

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
    const m = await managed();
    if (m.policy !== undefined && m.locked) return { toml: m.policy, source: 'managed', managedLocked: true };
    const local = (await storage.local.get(USER_KEY)) ?? {};
    const user = local[USER_KEY];
    if (typeof user === 'string' && user.trim() !== '') return { toml: user, source: 'user', managedLocked: m.locked };
    if (m.policy !== undefined) return { toml: m.policy, source: 'managed', managedLocked: false };
    return { toml: '', source: 'default', managedLocked: m.locked };
  }

  async function compute() {
    const r = await read();
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
     */
    effective() {
      if (!effective) {
        effective = compute();
        effective.catch(() => { effective = null; });
      }
      return effective;
    },

    /** Validates toml through the engine: {ok, policy?, errors?}. */
    async check(toml) {
      if (typeof toml !== 'string') return { ok: false, errors: [{ line: 0, column: 0, message: 'The policy must be text' }] };
      const c = await engine.checkPolicy(toml);
      return c.ok ? { ok: true, policy: c.policy } : { ok: false, errors: c.errors ?? [] };
    },

    /** Saves the user's policy after validation; refused when managed storage locks it. */
    async save(toml) {
      if ((await managed()).locked) {
        return { ok: false, errors: [{ line: 0, column: 0, message: 'Your organisation manages this policy and has locked it' }] };
      }
      const c = await this.check(toml);
      if (!c.ok) return c;
      if (toml.trim() === '') await storage.local.remove(USER_KEY);
      else await storage.local.set({ [USER_KEY]: toml });
      effective = null;
      return { ok: true };
    },

    /** storage.onChanged: whether the change touches the policy (then it is re-read). */
    onStorageChanged(changes, area) {
      if (area === 'managed' || (area === 'local' && USER_KEY in changes)) {
        effective = null;
        return true;
      }
      return false;
    },
  };
}
