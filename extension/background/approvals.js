// "Run anyway", remembered per function and code: storage.local `approvals`
// maps "cluster|project|functionId" to the sha256 of the code zip the user
// accepted (no token, no report). Changed code asks again. A function whose
// code could not be hashed (not analysed) is remembered in memory for its
// tab only.

export const APPROVALS_KEY = 'approvals';
const MAX_APPROVALS = 500;

const HASH = /^[0-9a-f]{64}$/;

/** @param {{storage: object}} deps the browser's storage namespace */
export function createApprovals({ storage }) {
  /** tabId → Set of function keys approved without a code hash */
  const byTab = new Map();

  async function stored() {
    const got = (await storage.local.get(APPROVALS_KEY)) ?? {};
    const a = got[APPROVALS_KEY];
    return a && typeof a === 'object' ? a : {};
  }

  return {
    /** Whether "Run anyway" holds for key with this code hash (or, without one, in this tab). */
    async isApproved(key, codeHash, tabId) {
      if (codeHash) return HASH.test(codeHash) && (await stored())[key] === codeHash;
      return Boolean(byTab.get(tabId)?.has(key));
    },

    /** Remembers "Run anyway" for key and codeHash (or for the tab when there is none). */
    async approve(key, codeHash, tabId) {
      if (codeHash) {
        if (!HASH.test(codeHash)) throw new Error('codeHash must be a sha256 hex string');
        const all = await stored();
        delete all[key]; // re-insert last: the oldest entries go first when full
        all[key] = codeHash;
        const keys = Object.keys(all);
        for (const k of keys.slice(0, Math.max(0, keys.length - MAX_APPROVALS))) delete all[k];
        await storage.local.set({ [APPROVALS_KEY]: all });
        return;
      }
      if (typeof tabId !== 'number') throw new Error('an approval without a code hash needs a tab');
      let set = byTab.get(tabId);
      if (!set) byTab.set(tabId, (set = new Set()));
      set.add(key);
    },

    /** Forgets the in-memory approvals of a closed tab. */
    dropTab(tabId) {
      byTab.delete(tabId);
    },
  };
}
