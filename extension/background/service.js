// The background's answers to every message of lib/protocol.js, built from
// its parts (tokens, CDF client, engine, policy, reports, approvals, tabs).
// main.js wires it to the browser; tests wire it to fakes.

import { MSG } from '../lib/protocol.js';
import { atOrAbove } from '../lib/levels.js';
import { createApprovals } from './approvals.js';
import { createCdfClient } from './cdf.js';
import { createPolicy } from './policy.js';
import { createReports, functionKey, notAnalysed, parseFunctionId, validProject } from './reports.js';
import { createTabs, publicState } from './tabs.js';
import { createTokenStore, isClusterHost } from './tokens.js';

export const GATE_WAIT_MS = 20_000;

/**
 * How long GATE answers with a function's last "not analysed" state instead
 * of starting its download and analysis again: a stalled storage host must
 * not cost a new download (and a minute's wait) per click.
 */
export const GATE_REUSE_MS = 120_000;
const MAX_CHECKS = 500;

/**
 * @param {object} deps
 * @param {object} deps.api        the browser namespace (runtime, storage, permissions)
 * @param {object} deps.engine     createEngine(...)
 * @param {typeof fetch} [deps.fetch]
 */
export function createService({ api, engine, fetch: fetchFn, gateWaitMs = GATE_WAIT_MS, gateReuseMs = GATE_REUSE_MS, now = Date.now, tokenWaitMs, apiTimeoutMs, downloadTimeoutMs }) {
  const tokens = createTokenStore();
  const tabs = createTabs();
  /** tabId|functionKey → {promise} while GATE's check runs, then {state, at} when it ended not analysed. */
  const checks = new Map();
  const policy = createPolicy({ storage: api.storage, engine });
  const approvals = createApprovals({ storage: api.storage });
  const hasOrigin = async (origin) => {
    try {
      return await api.permissions.contains({ origins: [`${origin}/*`] });
    } catch {
      return false;
    }
  };
  const cdf = createCdfClient({ fetch: fetchFn, hasOrigin, apiTimeoutMs, downloadTimeoutMs });
  const reports = createReports({ cdf, engine, policy, tokens, tabs, ...(tokenWaitMs !== undefined ? { tokenWaitMs } : {}) });

  /** The tab a message is about: the sender's tab, or msg.tabId from an extension page. */
  function tabOf(msg, sender) {
    if (fromExtensionPage(sender) && Number.isInteger(msg?.tabId)) return msg.tabId;
    if (sender?.tab && typeof sender.tab.id === 'number') return sender.tab.id;
    return undefined;
  }

  /** Whether sender is one of the extension's own pages (popup, options — also when opened in a tab). */
  function fromExtensionPage(sender) {
    if (!sender || (sender.id !== undefined && sender.id !== api.runtime.id)) return false;
    if (typeof sender.url === 'string') return sender.url.startsWith(api.runtime.getURL(''));
    return !sender.tab; // no URL: only a page without a tab (the popup) is trusted
  }

  /** The cluster host of a question: msg.cluster, else the host the tab last called. */
  function clusterOf(tabId, msg) {
    return msg.cluster ? String(msg.cluster).toLowerCase() : tokens.lastHost(tabId);
  }

  /**
   * The state GATE decides on. One check per tab and function: a question
   * while one runs waits for it (reports joins a running analysis; it never
   * starts a second download), and a check that ended "not analysed" is the
   * answer for gateReuseMs. Each question waits at most gateWaitMs and is
   * answered "loading" after that; the content script asks again.
   */
  async function gateState(tabId, msg, ck) {
    let c = checks.get(ck);
    if (c?.state && now() - c.at >= gateReuseMs) c = undefined;
    if (c?.state) return c.state;
    if (!c) {
      const entry = {};
      entry.promise = reports.state(tabId, msg, { fresh: true }).then(
        (st) => st,
        (err) => notAnalysed('api-error', `Preflight could not check this function: ${err?.message ?? err}`),
      ).then((st) => {
        if (checks.get(ck) !== entry) return st;
        if (st.status === 'not-analysed') keepFailure(ck, st);
        else checks.delete(ck);
        return st;
      });
      checks.set(ck, entry);
      c = entry;
    }
    const loading = { status: 'loading', level: 'unknown', reason: 'The analysis is still running' };
    let timer;
    return Promise.race([
      c.promise,
      new Promise((resolve) => { timer = setTimeout(() => resolve(loading), gateWaitMs); }),
    ]).finally(() => clearTimeout(timer));
  }

  async function gate(tabId, msg) {
    const pol = await policy.effective();
    const threshold = pol.threshold;
    const id = parseFunctionId(msg.functionId);
    const key = functionKey(clusterOf(tabId, msg), msg.project, id);
    const state = await gateState(tabId, msg, `${tabId}|${key}`);
    const codeHash = state.status === 'ready' ? state.codeHash : undefined;
    const approved = await approvals.isApproved(key, codeHash, tabId);
    const gated = !approved && (state.status !== 'ready' || atOrAbove(state.level, threshold));
    return { gate: gated, threshold, state: { ...publicState(withId(state, id, msg)), approved } };
  }

  /**
   * The state with function.id set when reports resolved the function but
   * could not load it (e.g. functions/byids failed): the page's control then
   * keeps its id on the badge and the gate.
   */
  function withId(st, id, msg) {
    if (!st || typeof st !== 'object') return st;
    const fid = parseFunctionId(st.function?.id) ?? id;
    if (!fid || (st.function?.id === fid && typeof st.function.name === 'string')) return st;
    const name = typeof st.function?.name === 'string' ? st.function.name
      : typeof msg.functionName === 'string' && msg.functionName ? msg.functionName : `function ${fid}`;
    return { ...st, function: { ...st.function, id: fid, name } };
  }

  /** Notes a STATE answer for GATE: "not analysed" is reused, anything else clears an ended check. */
  function noteState(tabId, msg, st) {
    const id = parseFunctionId(st.function?.id);
    const cluster = clusterOf(tabId, msg);
    if (!id || !cluster) return;
    const ck = `${tabId}|${functionKey(cluster, msg.project, id)}`;
    const c = checks.get(ck);
    if (c?.promise) return; // GATE's own check is running: it decides
    if (st.status === 'not-analysed') keepFailure(ck, st);
    else if (st.status === 'ready') checks.delete(ck);
  }

  /** Remembers a check that ended not analysed (the oldest go first past MAX_CHECKS). */
  function keepFailure(ck, st) {
    checks.delete(ck);
    checks.set(ck, { state: st, at: now() });
    for (const [k, c] of checks) {
      if (checks.size <= MAX_CHECKS) break;
      if (c.state) checks.delete(k);
    }
  }

  /** Forgets every ended check (of one tab, or all): something changed that may fix them. */
  function forgetChecks(tabId) {
    for (const [ck, c] of checks) {
      if (c.state && (tabId === undefined || ck.startsWith(`${tabId}|`))) checks.delete(ck);
    }
  }

  const handlers = {
    async [MSG.STATE](msg, sender) {
      const tabId = tabOf(msg, sender);
      if (tabId === undefined) return notAnalysed('api-error', 'STATE needs a tab');
      const st = withId(await reports.state(tabId, msg), undefined, msg);
      noteState(tabId, msg, st);
      return publicState(st);
    },

    async [MSG.GATE](msg, sender) {
      const tabId = tabOf(msg, sender);
      if (tabId === undefined || !parseFunctionId(msg.functionId) || !validProject(msg.project)) {
        const pol = await policy.effective();
        return { gate: true, threshold: pol.threshold, state: notAnalysed('not-found', 'The call names no function Preflight can check') };
      }
      return gate(tabId, msg);
    },

    async [MSG.APPROVE](msg, sender) {
      const tabId = tabOf(msg, sender);
      const id = parseFunctionId(msg.functionId);
      const cluster = clusterOf(tabId, msg);
      if (!id || !validProject(msg.project) || !isClusterHost(cluster)) return { ok: false };
      await approvals.approve(functionKey(cluster, msg.project, id), msg.codeHash || undefined, tabId);
      return { ok: true };
    },

    async [MSG.TAB](msg, sender) {
      const tabId = tabOf(msg, sender);
      const view = tabs.view(tabId, tabId !== undefined && tokens.seen(tabId));
      return { ...view, timings: { ...engine.timings(), ...reports.timings() } };
    },

    async [MSG.CHECK_POLICY](msg) {
      return policy.check(msg.toml);
    },

    async [MSG.GET_POLICY]() {
      return policy.read();
    },

    async [MSG.SET_POLICY](msg, sender) {
      if (!fromExtensionPage(sender)) return { ok: false, errors: [{ line: 0, column: 0, message: 'Only the options page may change the policy' }] };
      return policy.save(msg.toml);
    },
  };

  return {
    tokens,

    /** Answers one runtime message (undefined for messages that are not ours). */
    handle(msg, sender) {
      if (!msg || typeof msg !== 'object' || !Object.hasOwn(handlers, msg.type)) return undefined;
      return handlers[msg.type](msg, sender);
    },

    onTabRemoved(tabId) {
      tokens.dropTab(tabId);
      tabs.drop(tabId);
      approvals.dropTab(tabId);
      for (const ck of checks.keys()) if (ck.startsWith(`${tabId}|`)) checks.delete(ck);
    },

    onStorageChanged(changes, area) {
      if (policy.onStorageChanged(changes, area)) {
        reports.clear();
        forgetChecks();
      }
    },

    onPermissionsAdded(perms) {
      const origins = (perms?.origins ?? []).map((o) => o.replace(/\/\*$/, ''));
      tabs.granted(origins);
      forgetChecks(); // a download host may now be allowed
    },
  };
}
