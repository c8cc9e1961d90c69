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
 * @param {object} deps
 * @param {object} deps.api        the browser namespace (runtime, storage, permissions)
 * @param {object} deps.engine     createEngine(...)
 * @param {typeof fetch} [deps.fetch]
 */
export function createService({ api, engine, fetch: fetchFn, gateWaitMs = GATE_WAIT_MS, tokenWaitMs, apiTimeoutMs, downloadTimeoutMs }) {
  const tokens = createTokenStore();
  const tabs = createTabs();
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

  async function gate(tabId, msg) {
    const pol = await policy.effective();
    const threshold = pol.threshold;
    const loading = { status: 'loading', level: 'unknown', reason: 'The analysis is still running' };
    let timer;
    const state = await Promise.race([
      reports.state(tabId, msg, { fresh: true }),
      new Promise((resolve) => { timer = setTimeout(() => resolve(loading), gateWaitMs); }),
    ]).finally(() => clearTimeout(timer));
    const key = functionKey(clusterOf(tabId, msg), msg.project, parseFunctionId(msg.functionId));
    const codeHash = state.status === 'ready' ? state.codeHash : undefined;
    const approved = await approvals.isApproved(key, codeHash, tabId);
    const gated = !approved && (state.status !== 'ready' || atOrAbove(state.level, threshold));
    return { gate: gated, threshold, state: { ...publicState(state), approved } };
  }

  const handlers = {
    async [MSG.STATE](msg, sender) {
      const tabId = tabOf(msg, sender);
      if (tabId === undefined) return notAnalysed('api-error', 'STATE needs a tab');
      return publicState(await reports.state(tabId, msg));
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
    },

    onStorageChanged(changes, area) {
      if (policy.onStorageChanged(changes, area)) reports.clear();
    },

    onPermissionsAdded(perms) {
      const origins = (perms?.origins ?? []).map((o) => o.replace(/\/\*$/, ''));
      tabs.granted(origins);
    },
  };
}
