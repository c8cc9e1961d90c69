// The messages between the extension's parts — the one contract the content
// script, the page hook, the popup, the options page and the background agree
// on. Every message is a plain JSON object with a `type` from MSG; answers are
// plain JSON objects too (Chrome serialises runtime messages as JSON).
//
// Nothing here ever carries the user's token: the background takes it from
// the page's own requests (webRequest) and keeps it in memory.

/** Message types: content script / popup / options → background. */
export const MSG = Object.freeze({
  /**
   * The analysis of one function, for a badge or the gate.
   * → {type, cluster, project, functionId?: number, functionName?: string, refresh?: boolean}
   *   (functionId when the page shows it; else functionName, looked up in the
   *   project's function list; refresh drops the cached report first)
   * ← FunctionState (below)
   */
  STATE: 'preflight/state',

  /**
   * Whether a call must be confirmed first (asked when Run/Call is pressed
   * or the page hook holds POST …/functions/{id}/call).
   * → {type, cluster, project, functionId}
   * ← {gate: boolean, threshold: Level, state: FunctionState}
   *   gate is true when state.level is at or above the policy threshold, or
   *   is "unknown" (not analysed, loading or failed), and "Run anyway" was
   *   not already chosen for this function and code hash.
   */
  GATE: 'preflight/gate',

  /**
   * The user chose "Run anyway": remember it for this function and code.
   * → {type, cluster, project, functionId, codeHash}   ← {ok: true}
   */
  APPROVE: 'preflight/approve',

  /**
   * The popup's view of a tab. → {type, tabId} ← TabState (below)
   */
  TAB: 'preflight/tab',

  /**
   * Validate a policy through the engine.
   * → {type, toml} ← {ok, policy?: string, errors?: [{line, column, key?, message}]}
   */
  CHECK_POLICY: 'preflight/checkPolicy',

  /**
   * The effective policy. → {type} ← {toml: string, source: 'default'|'user'|'managed', managedLocked: boolean}
   */
  GET_POLICY: 'preflight/getPolicy',

  /**
   * Save the user's policy (validated first; refused when managed storage
   * locks it). → {type, toml} ← {ok, errors?}
   */
  SET_POLICY: 'preflight/setPolicy',
});

/** window.postMessage channel between the page hook (MAIN world) and the content script. */
export const HOOK = Object.freeze({
  SOURCE_PAGE: 'preflight-hook',     // hook → content: {source, kind: 'call', id, url, functionId, project, cluster}
  SOURCE_CONTENT: 'preflight-content', // content → hook: {source, kind: 'decision', id, allow: boolean}
                                       // content → hook: {source, kind: 'ready'} once listening
});

/**
 * @typedef {'none'|'low'|'medium'|'high'|'critical'|'unknown'} Level
 *
 * @typedef {object} FunctionState   one function as the background knows it
 * @property {'loading'|'ready'|'not-analysed'|'no-token'} status
 *   loading: work in progress (never shown as safe);
 *   ready: `report` is set;
 *   not-analysed: `reason` says why (never shown as safe);
 *   no-token: no request of this tab to the cluster has been seen yet
 * @property {Level} level          report.risk.level when ready, else 'unknown'
 * @property {string} [reasonCode]  for not-analysed: 'no-access' (403 on the code or
 *   metadata), 'too-large', 'timeout', 'api-error', 'not-found', 'engine-error',
 *   'storage-permission' (the download host needs a permission the user can grant in the popup),
 *   'unauthorized' (401: the token expired)
 * @property {string} [reason]      one sentence for people
 * @property {{id: number, name: string, externalId?: string, fileId?: number}} [function]
 * @property {string} [codeHash]    sha256 hex of the code zip
 * @property {object} [report]      the engine's report JSON (schemaVersion 1)
 * @property {{level: string, explanation: string, reasons: string[], canCall: boolean}} [permission]
 *   the user's level in the project (from the engine's permissions())
 * @property {boolean} [stale]      the cached report is older than the function's code, or
 *   (with provisional) was made without the organisation's policy: asked again until it is not
 * @property {boolean} [provisional] made with the user's or the default policy because the
 *   organisation's (storage.managed) had not answered yet — Chromium holds it for seconds after
 *   the browser starts; always with stale: true. GATE never answers with a provisional state.
 * @property {boolean} [approved]   "Run anyway" chosen for this function and code hash
 *
 * @typedef {object} TabState
 * @property {string} [cluster]
 * @property {string} [project]
 * @property {boolean} tokenSeen
 * @property {{level: string, explanation: string, reasons: string[], canCall: boolean}} [permission]
 * @property {FunctionState[]} functions   every function the content script asked about in this tab
 * @property {string[]} [storageHosts]     download hosts waiting for a permission grant
 * @property {{loadMs?: number, warmMs?: number, analyzeMs?: number, downloadMs?: number}} [timings]
 *   the background's last engine load, warm-up analysis, analysis and code download durations
 *   (for the benchmark)
 */

/** Sends a message to the background and returns its answer (rejects on a runtime error). */
export async function send(msg) {
  const api = globalThis.browser ?? globalThis.chrome;
  return api.runtime.sendMessage(msg);
}
