// What the background says about each function shown on the page, by
// identity key (detect.identityKey). Asks once per function, then re-asks
// while the answer is "loading" or stale (every 500 ms, up to 60 s) or "no-token"
// (every second, up to 2 minutes) and tells the listener each new state. A
// question that never gets a final answer ends as not-analysed (timeout),
// never as safe.

import { MSG } from '../lib/protocol.js';

const STATUSES = new Set(['loading', 'ready', 'not-analysed', 'no-token']);

/** A FunctionState the content script makes itself (the background did not answer). */
export function localState(reasonCode, reason) {
  return { status: 'not-analysed', level: 'unknown', reasonCode, reason };
}

export class FunctionStates {
  /**
   * @param {(msg: object) => Promise<any>} send protocol.js send
   * @param {(key: string, state: object) => void} onState
   * @param {{setTimeout?: Function, loadingPollMs?: number, loadingMaxMs?: number, tokenPollMs?: number, tokenMaxMs?: number}} [opts]
   */
  constructor(send, onState, opts = {}) {
    this.send = send;
    this.onState = onState;
    this.setTimeout = opts.setTimeout ?? ((f, ms) => setTimeout(f, ms));
    this.loadingPollMs = opts.loadingPollMs ?? 500;
    this.loadingMaxMs = opts.loadingMaxMs ?? 60_000;
    this.tokenPollMs = opts.tokenPollMs ?? 1000;
    this.tokenMaxMs = opts.tokenMaxMs ?? 120_000;
    /** key → {state, generation} */
    this.entries = new Map();
    this.generation = 0;
  }

  /** The last state known for key (undefined: not answered yet). */
  get(key) {
    return this.entries.get(key)?.state;
  }

  /** The last state known for the function with this id, whatever key it was asked by. */
  byFunctionId(id) {
    for (const { state } of this.entries.values()) {
      if (state?.function?.id === id) return state;
    }
    return undefined;
  }

  /** Forgets every answer and stops polling (after SPA navigation). */
  clear() {
    this.generation++;
    this.entries.clear();
  }

  /**
   * Asks about a function unless it was already asked in this generation.
   * @param {string} key
   * @param {{functionId?: number, functionName?: string}} ident
   * @param {{cluster?: string, project?: string}} ctx
   */
  request(key, ident, ctx) {
    if (this.entries.has(key)) return;
    const entry = { state: undefined, generation: this.generation };
    this.entries.set(key, entry);
    const msg = { type: MSG.STATE, cluster: ctx.cluster, project: ctx.project };
    if (ident.functionId) msg.functionId = ident.functionId;
    if (ident.functionName) msg.functionName = ident.functionName;
    this.#poll(key, entry, msg, 0);
  }

  async #poll(key, entry, msg, waited) {
    let state;
    try {
      state = await this.send(msg);
    } catch {
      state = localState('extension-error', 'The Preflight extension did not answer, so this function was not checked.');
    }
    if (entry.generation !== this.generation || this.entries.get(key) !== entry) return;
    if (!state || typeof state !== 'object' || !STATUSES.has(state.status)) {
      state = localState('extension-error', 'The Preflight extension gave no usable answer, so this function was not checked.');
    }
    const loading = state.status === 'loading' || state.stale === true;
    const waiting = state.status === 'no-token';
    if ((loading && waited >= this.loadingMaxMs) || (waiting && waited >= this.tokenMaxMs)) {
      state = localState('timeout', loading ? 'The analysis did not finish in time.' : 'Fusion did not sign in to this cluster in time.');
    }
    entry.state = state;
    this.onState(key, state);
    // A stale answer (the code changed and is being re-analysed) is shown
    // as such and asked again like loading, until the fresh report arrives.
    const again = state.status === 'loading' || state.stale === true;
    if (again || state.status === 'no-token') {
      const ms = again ? this.loadingPollMs : this.tokenPollMs;
      this.setTimeout(() => this.#poll(key, entry, msg, waited + ms), ms);
    }
  }
}
