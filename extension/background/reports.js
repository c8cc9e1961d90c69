// FunctionState per (cluster, project, function): metadata refreshed on each
// question (byids is cheap), the report reused while the function's file,
// the policy and the user's token/inspect answer are unchanged, one analysis
// at a time per function and code (later questions wait for the running
// one), and "not analysed" — never "ready" — whenever something failed.

import { CdfError } from './cdf.js';
import { sha256Hex } from './hash.js';
import { isClusterHost } from './tokens.js';

const MAX_REPORTS = 100;
const INSPECT_TTL_MS = 60_000;
const LIST_TTL_MS = 30_000;
export const TOKEN_WAIT_MS = 6_000;
/** How long a badge's question waits for the managed policy before a provisional answer. */
export const PROVISIONAL_WAIT_MS = 200;

/** "cluster|project|functionId": the key of a function everywhere in the background. */
export function functionKey(cluster, project, functionId) {
  return `${cluster}|${project}|${functionId}`;
}

/** A not-analysed FunctionState. */
export function notAnalysed(reasonCode, reason, extra = {}) {
  return { status: 'not-analysed', level: 'unknown', reasonCode, reason, ...extra };
}

/** Checks a project name (the first path segment of a Fusion URL). */
export function validProject(p) {
  return typeof p === 'string' && p.length > 0 && p.length <= 255 && !/[/\\?#\s]/.test(p);
}

/** A function id from a message: a positive safe integer (digits in a string allowed). */
export function parseFunctionId(v) {
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * @param {object} deps
 * @param {ReturnType<import('./cdf.js').createCdfClient>} deps.cdf
 * @param {ReturnType<import('./engine.js').createEngine>} deps.engine
 * @param {ReturnType<import('./policy.js').createPolicy>} deps.policy
 * @param {ReturnType<import('./tokens.js').createTokenStore>} deps.tokens
 * @param {ReturnType<import('./tabs.js').createTabs>} deps.tabs
 */
export function createReports({ cdf, engine, policy, tokens, tabs, now = Date.now, tokenWaitMs = TOKEN_WAIT_MS, provisionalWaitMs = PROVISIONAL_WAIT_MS }) {
  const reports = new Map(); // cacheKey → {report, codeHash, fn}
  const latest = new Map(); // functionKey|inspect hash → the last ready FunctionState for that identity (answered as stale while code changes)
  const running = new Map(); // tabId|functionKey → Promise<{state, pending?}> (one question in flight per tab and function: tabs may hold different identities)
  const analyses = new Map(); // cacheKey → Promise<FunctionState> (one download+analysis per code)
  const inspects = new Map(); // host → {token, at, promise<{json, text, hash}>}
  const lists = new Map(); // host|project → {token, at, promise<functions[]>}
  const permissions = new Map(); // inspectHash|project|policyHash → Promise<permission>
  const timings = {};

  function inspectFor(host, token) {
    const c = inspects.get(host);
    if (c && c.token === token && now() - c.at < INSPECT_TTL_MS) return c.promise;
    const promise = cdf.tokenInspect(host, token).then(async (json) => {
      const text = JSON.stringify(json);
      return { json, text, hash: await sha256Hex(new TextEncoder().encode(text)) };
    });
    inspects.set(host, { token, at: now(), promise });
    promise.catch(() => inspects.get(host)?.promise === promise && inspects.delete(host));
    return promise;
  }

  /** The user's permission level (computed once per identity, project and policy). */
  function permissionFor(inspect, project, pol) {
    const k = `${inspect.hash}|${project}|${pol.hash}`;
    if (!permissions.has(k)) {
      const p = engine.permissions(inspect.text, project, pol.toml).then((p) => (
        { level: p.level, explanation: p.explanation ?? '', reasons: p.reasons ?? [], canCall: p.canCall === true }
      ));
      permissions.set(k, p);
      p.catch(() => permissions.get(k) === p && permissions.delete(k));
    }
    return permissions.get(k);
  }

  async function functionsOf(host, token, project, maxAge) {
    const k = `${host}|${project}`;
    const c = lists.get(k);
    if (c && c.token === token && now() - c.at < maxAge) return c.promise;
    const promise = cdf.listFunctions(host, token, project);
    lists.set(k, { token, at: now(), promise });
    promise.catch(() => lists.get(k)?.promise === promise && lists.delete(k));
    return promise;
  }

  /** The function id for a name, through functions/list (refreshed once on a miss). */
  async function idForName(host, token, project, name) {
    for (const maxAge of [LIST_TTL_MS, 0]) {
      const matches = (await functionsOf(host, token, project, maxAge)).filter((f) => f?.name === name);
      if (matches.length === 1 && parseFunctionId(matches[0].id)) return matches[0].id;
      if (matches.length > 1) throw new CdfError('not-found', `${matches.length} functions in ${project} have this name; open the function to check it`);
    }
    throw new CdfError('not-found', `No function with this name in project ${project}`);
  }

  function remember(cacheKey, entry) {
    reports.delete(cacheKey);
    reports.set(cacheKey, entry);
    if (reports.size > MAX_REPORTS) reports.delete(reports.keys().next().value);
  }

  function readyState(entry, permission) {
    return {
      status: 'ready',
      level: entry.report?.risk?.level ?? 'unknown',
      function: entry.fn,
      codeHash: entry.codeHash,
      report: entry.report,
      ...(permission ? { permission } : {}),
    };
  }

  /**
   * Fetches one function's code: the download link, then the zip, capped at
   * the policy's size limit (a number, or a promise of it while the policy
   * is being read). Resolves with the bytes.
   */
  async function fetchCode(host, token, project, fileId, maxBytes) {
    const t0 = now();
    const url = await cdf.downloadLink(host, token, project, fileId);
    const zip = await cdf.download(url, maxBytes);
    timings.downloadMs = Math.round(now() - t0);
    return zip;
  }

  /** Whether a report of this code exists or is being made, for any policy and identity. */
  function known(fk, fileId) {
    const prefix = `${fk}|${fileId}|`;
    for (const k of reports.keys()) if (k.startsWith(prefix)) return true;
    for (const k of analyses.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  /**
   * Downloads (unless code, the download started early by this question, is
   * given) and analyses one function's code; resolves with its FunctionState.
   */
  async function analyse({ lk, cacheKey, host, token, project, fnObject, fn, inspect, permission, pol, code }) {
    const base = { function: fn, ...(permission ? { permission } : {}) };
    let zip;
    try {
      zip = await (code ?? fetchCode(host, token, project, fn.fileId, pol.maxZipBytes));
    } catch (err) {
      return failed(err, base);
    }
    const codeHash = await sha256Hex(zip);
    let report;
    try {
      report = await engine.analyze(zip, JSON.stringify(fnObject), inspect?.text ?? '', project, pol.toml);
    } catch (err) {
      return notAnalysed('engine-error', `The analysis failed: ${err?.message ?? err}`, { ...base, codeHash });
    }
    if (!report || typeof report !== 'object' || !report.risk) {
      return notAnalysed('engine-error', 'The analysis gave no report', { ...base, codeHash });
    }
    const entry = { report, codeHash, fn };
    remember(cacheKey, entry);
    const state = readyState(entry, permission);
    latest.set(lk, state);
    return state;
  }

  function failed(err, base) {
    if (err instanceof CdfError) {
      return notAnalysed(err.reasonCode, err.message, { ...base, ...(err.origin ? { storageOrigin: err.origin } : {}) });
    }
    return notAnalysed('api-error', `Preflight could not check this function: ${err?.message ?? err}`, base);
  }

  /**
   * One question: {state} now, plus pending (the fresh state) when answered
   * stale. authoritative: wait for the managed policy (the gate); else a
   * provisional policy may be used and every state made with it is marked.
   * pageName: the name the page shows, kept on an answer CDF gave none for.
   */
  async function ask(tabId, host, token, project, id, refresh, authoritative, pageName) {
    const used = {};
    const { state, pending } = await askWith(tabId, host, token, project, id, refresh, authoritative, used, pageName);
    if (!used.provisional) return { state, pending };
    return { state: provisionalState(state), ...(pending ? { pending: pending.then(provisionalState) } : {}) };
  }

  /** A state made with a provisional policy: shown, and asked again until it is not. */
  function provisionalState(state) {
    return { ...state, stale: true, provisional: true };
  }

  async function askWith(tabId, host, token, project, id, refresh, authoritative, used, pageName) {
    const fk = functionKey(host, project, id);
    // The policy, the function and the user's token/inspect are independent:
    // asked at once (the managed policy can take seconds after browser start).
    const polP = policy.effective(authoritative ? {} : { waitMs: provisionalWaitMs });
    polP.catch(() => {});
    let fnObject;
    let inspect = null;
    try {
      const [f, i] = await Promise.allSettled([cdf.functionById(host, token, project, id), inspectFor(host, token)]);
      if (f.status === 'rejected') throw f.reason;
      fnObject = f.value;
      if (i.status === 'fulfilled') inspect = i.value;
      else if (i.reason?.reasonCode === 'unauthorized') throw i.reason;
    } catch (err) {
      if (err?.reasonCode === 'unauthorized') tokens.drop(tabId, host, token);
      // The function is known by id even though CDF would not describe it:
      // the answer keeps the id, so the page's badge and gate keep it too.
      return { state: failed(err, { function: { id, ...(pageName ? { name: pageName } : {}) } }) };
    }
    const fn = {
      id: fnObject.id,
      name: typeof fnObject.name === 'string' ? fnObject.name : String(id),
      ...(typeof fnObject.externalId === 'string' ? { externalId: fnObject.externalId } : {}),
      ...(parseFunctionId(fnObject.fileId) ? { fileId: fnObject.fileId } : {}),
    };
    // Code nobody has analysed yet: its download starts now, while the
    // engine computes the policy and the permission level (the size cap is
    // the policy's, applied as soon as it is known). Only this question
    // uses it — another identity downloads with its own token.
    let code;
    if (fn.fileId && !known(fk, fn.fileId)) {
      code = fetchCode(host, token, project, fn.fileId, polP.then((p) => p.maxZipBytes));
      code.catch(() => {});
    }
    const pol = await polP;
    used.provisional = pol.provisional === true;
    let permission;
    if (inspect) {
      try {
        permission = await permissionFor(inspect, project, pol);
      } catch {
        permission = undefined; // the badge then shows no level, never a wrong one
      }
    }
    const base = { function: fn, ...(permission ? { permission } : {}) };
    if (!pol.ok) {
      const first = pol.errors[0];
      const where = first?.line ? ` (line ${first.line}:${first.column})` : '';
      return { state: notAnalysed('engine-error', `The policy is invalid${where}: ${first?.message ?? 'see the options page'}`, base) };
    }
    if (!fn.fileId) return { state: notAnalysed('not-found', 'The function has no code file', base) };

    const identity = inspect?.hash ?? 'no-inspect';
    const lk = `${fk}|${identity}`;
    const cacheKey = `${fk}|${fn.fileId}|${pol.hash}|${identity}`;
    if (refresh) reports.delete(cacheKey);
    const cached = reports.get(cacheKey);
    if (cached) {
      const state = readyState({ ...cached, fn }, permission);
      latest.set(lk, state);
      return { state };
    }
    let pending = analyses.get(cacheKey);
    if (!pending) {
      pending = analyse({ lk, cacheKey, host, token, project, fnObject, fn, inspect, permission, pol, code });
      analyses.set(cacheKey, pending);
      pending.finally(() => analyses.delete(cacheKey)).catch(() => {});
      const provisional = used.provisional;
      pending.then((state) => tabs.update(fk, provisional ? provisionalState(state) : state), () => {});
    }
    // The same identity's last report while the changed code is analysed:
    // marked stale (the content script asks again), with today's permission.
    const old = latest.get(lk);
    if (old && !refresh) return { state: { ...old, function: fn, ...(permission ? { permission } : {}), stale: true }, pending };
    return { state: await pending };
  }

  return {
    /**
     * The FunctionState for a STATE or GATE question from tabId.
     * @param {{cluster?: string, project: string, functionId?: number, functionName?: string, refresh?: boolean}} q
     * @param {{fresh?: boolean}} [opts] fresh: wait for a running analysis instead of a stale answer
     */
    async state(tabId, q, { fresh = false } = {}) {
      if (!validProject(q?.project)) return notAnalysed('not-found', 'The Fusion page names no project');
      const host = q.cluster ? String(q.cluster).toLowerCase() : tokens.lastHost(tabId);
      if (host && !isClusterHost(host)) {
        return notAnalysed('api-error', `Preflight only checks functions on *.cognitedata.com clusters, not ${host}`);
      }
      let token = host ? tokens.get(tabId, host) : undefined;
      if (!token) {
        await tokens.waitFor(tabId, host, tokenWaitMs);
        const h = host ?? tokens.lastHost(tabId);
        token = h ? tokens.get(tabId, h) : undefined;
        if (!token) return { status: 'no-token', level: 'unknown', reason: 'Waiting for Fusion to call the CDF API' };
        return this.state(tabId, { ...q, cluster: h }, { fresh });
      }
      let id = parseFunctionId(q.functionId);
      if (!id) {
        if (typeof q.functionName !== 'string' || q.functionName === '') {
          return notAnalysed('not-found', 'The page does not say which function this is');
        }
        try {
          id = await idForName(host, token, q.project, q.functionName);
        } catch (err) {
          return failed(err, {});
        }
      }
      tabs.visit(tabId, host, q.project);
      const fk = functionKey(host, q.project, id);
      const rk = `${tabId}|${fk}`;
      let question = running.get(rk);
      if (!question || q.refresh) {
        const pageName = typeof q.functionName === 'string' && q.functionName !== '' ? q.functionName.slice(0, 256) : undefined;
        question = ask(tabId, host, token, q.project, id, q.refresh === true, fresh, pageName);
        running.set(rk, question);
        question.finally(() => running.get(rk) === question && running.delete(rk)).catch(() => {});
      }
      const { state, pending } = await question;
      let answer = fresh && pending ? await pending : state;
      if (fresh && answer.provisional) {
        // The gate joined a badge's question: it decides with the
        // organisation's policy, never a provisional one.
        const again = await ask(tabId, host, token, q.project, id, false, true);
        answer = again.pending ? await again.pending : again.state;
      }
      tabs.record(tabId, fk, answer);
      return answer;
    },

    /** Drops every cached report (the policy changed). */
    clear() {
      reports.clear();
      latest.clear();
      permissions.clear();
    },

    /** The last download duration. */
    timings() {
      return { ...timings };
    },
  };
}
