// The popup's view, built from data: a TabState (see lib/protocol.js) in,
// DOM nodes out. Pure DOM building with no browser APIs, so it runs under
// jsdom in unit tests. Every string that comes from CDF (function names,
// findings, reasons, capabilities) is untrusted: it only ever goes into
// textContent or an attribute value, never into HTML.

import { NOT_ANALYSED, permissionLabel, riskLabel } from '../lib/levels.js';

/** What the popup says when the tab is not a Fusion page. */
export const NOT_FUSION_TEXT = 'Open a Cognite Functions page in Fusion';

/** What the popup says before the background has seen Fusion's sign-in. */
export const NO_TOKEN_TEXT = "Open or reload the Functions page so Preflight can see Fusion's sign-in";

/** The words for each not-analysed reason code (FunctionState.reasonCode). */
export const REASON_TEXT = Object.freeze({
  'no-access': 'No access to the code: you cannot read this function or its file.',
  'too-large': 'The code is too large to check.',
  timeout: 'Checking the code timed out.',
  'api-error': 'The CDF API answered with an error.',
  'not-found': 'The function was not found in this project.',
  'engine-error': 'The analysis failed on this code.',
  'storage-permission': 'Needs a permission: allow downloads from the code’s storage host below.',
  unauthorized: 'Fusion’s sign-in expired: reload the page.',
});

/** The words for a reason code Preflight does not know. */
export const UNKNOWN_REASON_TEXT = 'The code could not be checked.';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

/** Most findings listed per function; the rest are counted. */
export const MAX_FINDINGS = 50;

/**
 * The popup's content for one tab.
 * @param {Document} doc
 * @param {import('../lib/protocol.js').TabState | null} tab  null: not a Fusion tab
 * @param {{onAllowHost?: (host: string) => void}} [actions]
 * @returns {DocumentFragment}
 */
export function renderTab(doc, tab, actions = {}) {
  const frag = doc.createDocumentFragment();
  if (!isFusionTab(tab)) {
    frag.append(notice(doc, 'not-fusion', NOT_FUSION_TEXT));
    return frag;
  }
  frag.append(renderHeader(doc, tab));
  if (!tab.tokenSeen) {
    frag.append(notice(doc, 'no-token', NO_TOKEN_TEXT));
  }
  for (const host of tab.storageHosts ?? []) {
    frag.append(renderStorageHost(doc, host, actions.onAllowHost));
  }
  frag.append(renderFunctions(doc, tab.functions ?? [], tab.tokenSeen));
  return frag;
}

/** Whether the background knows this tab as a Fusion page. */
export function isFusionTab(tab) {
  return Boolean(tab && (tab.project || tab.cluster || tab.functions?.length));
}

/** Whether any function of the tab is still being checked (the popup keeps asking). */
export function isBusy(tab) {
  return Boolean(tab?.functions?.some((f) => f.status === 'loading' || f.stale));
}

/** A message block: one sentence, with a data-state the tests and styles use. */
function notice(doc, state, text) {
  const p = el(doc, 'p', 'notice', text);
  p.dataset.state = state;
  return p;
}

/** The project, its cluster and the user's permission level there. */
export function renderHeader(doc, tab) {
  const header = el(doc, 'section', 'tab-header');
  header.setAttribute('aria-labelledby', 'tab-project');
  const h = el(doc, 'h2', 'project', tab.project || 'Unknown project');
  h.id = 'tab-project';
  header.append(h);
  if (tab.cluster) header.append(el(doc, 'p', 'cluster', tab.cluster));
  header.append(renderPermission(doc, tab.permission));
  return header;
}

/** "You are Admin in this project", with the explanation and reasons folded away. */
export function renderPermission(doc, permission) {
  if (!permission?.level) {
    return el(doc, 'p', 'permission permission-unknown', 'Your permission level is not known yet.');
  }
  const details = el(doc, 'details', 'permission');
  details.dataset.level = permission.level;
  const summary = el(doc, 'summary');
  summary.append('You are ', el(doc, 'strong', null, permissionLabel(permission.level)), ' in this project');
  details.append(summary);
  if (permission.explanation) details.append(el(doc, 'p', null, permission.explanation));
  if (permission.canCall === false) {
    details.append(el(doc, 'p', 'cannot-call', 'You cannot call functions in this project.'));
  }
  if (permission.reasons?.length) {
    details.append(list(doc, 'reasons', permission.reasons.map((r) => String(r))));
  }
  return details;
}

/** A download host waiting for the user's grant, with the button that asks for it. */
function renderStorageHost(doc, host, onAllowHost) {
  const box = el(doc, 'div', 'storage-host');
  box.append(el(doc, 'p', null, 'Preflight needs your permission to download function code from this host.'));
  const button = el(doc, 'button', 'allow-host', `Allow downloads from ${host}`);
  button.type = 'button';
  button.dataset.host = host;
  if (onAllowHost) button.addEventListener('click', () => onAllowHost(host));
  box.append(button);
  return box;
}

/** The functions Preflight saw on the tab, one foldable entry each. */
export function renderFunctions(doc, functions, tokenSeen = true) {
  const section = el(doc, 'section', 'functions');
  section.setAttribute('aria-labelledby', 'functions-heading');
  const h = el(doc, 'h2', null, 'Functions on this page');
  h.id = 'functions-heading';
  section.append(h);
  if (functions.length === 0) {
    section.append(el(doc, 'p', 'empty', tokenSeen
      ? 'No Cognite Functions seen on this page yet.'
      : 'Functions appear here once Preflight can check them.'));
    return section;
  }
  const ul = el(doc, 'ul', 'function-list');
  for (const state of sortFunctions(functions)) {
    const li = el(doc, 'li');
    li.append(renderFunction(doc, state));
    ul.append(li);
  }
  section.append(ul);
  return section;
}

/** Riskiest first (unknown counts as riskiest: never safe), then by name. */
function sortFunctions(functions) {
  const rank = (f) => ['critical', 'high', 'medium', 'low', 'none'].indexOf(displayLevel(f));
  return [...functions].sort((a, b) => {
    const ra = rank(a) < 0 ? -1 : rank(a);
    const rb = rank(b) < 0 ? -1 : rank(b);
    return ra - rb || functionName(a).localeCompare(functionName(b));
  });
}

/**
 * The level whose colour the badge shows: the report's level only when it
 * is ready and current; anything else is 'unknown' (never green).
 */
export function displayLevel(state) {
  if (state.status !== 'ready' || state.stale || !state.report) return 'unknown';
  const level = state.report.risk?.level ?? state.level;
  return ['none', 'low', 'medium', 'high', 'critical'].includes(level) ? level : 'unknown';
}

/** The badge's words for one function. */
export function badgeLabel(state) {
  if (state.stale) return state.provisional ? 'Re-checking with your organisation’s policy' : 'Code changed — re-checking';
  switch (state.status) {
    case 'loading': return 'Checking…';
    case 'no-token': return 'Waiting for sign-in';
    case 'ready': return state.report ? riskLabel(displayLevel(state)) : NOT_ANALYSED;
    default: return NOT_ANALYSED;
  }
}

/** The function's name for people: its name, else its id. */
export function functionName(state) {
  const name = state.function?.name ?? state.report?.function?.name;
  if (name) return String(name);
  const id = state.function?.id ?? state.report?.function?.id;
  return id != null ? `Function ${id}` : 'Unnamed function';
}

/** One function: a <details> whose summary is name · badge · findings. */
export function renderFunction(doc, state) {
  const details = el(doc, 'details', 'function');
  details.dataset.status = state.status;
  details.dataset.level = displayLevel(state);
  const id = state.function?.id ?? state.report?.function?.id;
  if (id != null) details.dataset.functionId = String(id);
  if (state.stale) details.dataset.stale = 'true';

  const summary = el(doc, 'summary');
  summary.append(el(doc, 'span', 'name', functionName(state)));
  const meta = el(doc, 'span', 'meta');
  const badge = el(doc, 'span', 'risk', badgeLabel(state));
  badge.dataset.level = displayLevel(state);
  meta.append(badge);
  const count = findingsCount(state);
  if (count != null) meta.append(el(doc, 'span', 'count', count === 1 ? '1 finding' : `${count} findings`));
  summary.append(meta);
  details.append(summary);

  const body = el(doc, 'div', 'function-body');
  if (state.status === 'loading' || state.stale) {
    const live = el(doc, 'p', 'progress', state.stale
      ? 'The code changed since the last check. Checking the new code…'
      : 'Checking…');
    live.setAttribute('role', 'status');
    body.append(live);
  }
  if (state.status === 'not-analysed') body.append(renderReason(doc, state));
  if (state.status === 'no-token') body.append(el(doc, 'p', 'reason', NO_TOKEN_TEXT));
  if (state.approved) body.append(el(doc, 'p', 'approved', 'You chose “Run anyway” for this code.'));
  if (state.report) {
    if (state.stale) body.append(el(doc, 'h3', null, 'Previous check'));
    body.append(renderReport(doc, state.report));
  }
  details.append(body);
  return details;
}

/** The number of findings, when there is a current report. */
function findingsCount(state) {
  if (state.status !== 'ready' || !state.report || state.stale) return null;
  return state.report.findings?.length ?? 0;
}

/** Why a function was not analysed, in words, with the background's sentence. */
export function renderReason(doc, state) {
  const box = el(doc, 'div', 'reason');
  box.dataset.reasonCode = state.reasonCode ?? '';
  box.append(el(doc, 'p', 'reason-text', `Not analysed. ${REASON_TEXT[state.reasonCode] ?? UNKNOWN_REASON_TEXT}`));
  if (state.reason) box.append(el(doc, 'p', 'reason-detail', String(state.reason)));
  box.append(el(doc, 'p', 'reason-note', 'Treat it as risky: Preflight asks before it runs.'));
  return box;
}

/** A report: risk summary, findings, and needed-vs-held. */
export function renderReport(doc, report) {
  const box = el(doc, 'div', 'report');
  if (report.risk?.summary) box.append(el(doc, 'p', 'summary', String(report.risk.summary)));
  box.append(renderFindings(doc, report.findings ?? []));
  box.append(renderNeeds(doc, report));
  if (report.incomplete?.length) {
    box.append(el(doc, 'h3', null, 'Not fully analysed'));
    box.append(list(doc, 'incomplete', report.incomplete.map((i) => `${i.file}: ${i.reason}`)));
  }
  return box;
}

/** Findings, most severe first: severity, file:line, message. */
export function renderFindings(doc, findings) {
  const frag = doc.createDocumentFragment();
  frag.append(el(doc, 'h3', null, 'Findings'));
  if (findings.length === 0) {
    frag.append(el(doc, 'p', 'empty', 'No findings.'));
    return frag;
  }
  const sorted = [...findings].sort((a, b) => sevRank(a.severity) - sevRank(b.severity));
  const ul = el(doc, 'ul', 'findings');
  for (const f of sorted.slice(0, MAX_FINDINGS)) {
    const li = el(doc, 'li', 'finding');
    const sev = el(doc, 'span', 'severity', String(f.severity ?? 'info'));
    sev.dataset.severity = String(f.severity ?? 'info');
    li.append(sev);
    const where = location(f);
    if (where) li.append(el(doc, 'code', 'where', where));
    li.append(el(doc, 'span', 'message', String(f.message || f.title || '')));
    ul.append(li);
  }
  frag.append(ul);
  if (sorted.length > MAX_FINDINGS) {
    frag.append(el(doc, 'p', 'more', `and ${sorted.length - MAX_FINDINGS} more`));
  }
  return frag;
}

function sevRank(s) {
  const i = SEVERITY_ORDER.indexOf(s);
  return i < 0 ? SEVERITY_ORDER.length : i;
}

/** "handler.py:14", "handler.py", or '' when the finding has no file. */
export function location(f) {
  if (!f.file) return '';
  return f.line ? `${f.file}:${f.line}` : String(f.file);
}

/**
 * Needed vs held: the capabilities the code needs, and against the user's
 * own: those the user lacks (the call would fail there) and those the user
 * holds beyond what the code needs.
 */
export function renderNeeds(doc, report) {
  const frag = doc.createDocumentFragment();
  frag.append(el(doc, 'h3', null, 'Needed vs held'));
  const dl = el(doc, 'dl', 'needs');
  const required = uniq((report.required ?? []).map((r) => `${r.acl}:${r.action}`));
  const perms = report.permissions;
  const rows = [
    ['required', 'Code needs', required],
    ['missing', 'You lack', perms ? perms.missing ?? [] : null],
    ['limited', 'You hold only in some scopes', perms?.limited?.length ? perms.limited : undefined],
    ['excess', 'You hold beyond that', perms ? perms.excess ?? [] : null],
  ];
  for (const [key, label, values] of rows) {
    if (values === undefined) continue;
    const dt = el(doc, 'dt', null, label);
    const dd = el(doc, 'dd');
    dd.dataset.needs = key;
    if (values === null) dd.textContent = 'not known (no permissions in the report)';
    else if (values.length === 0) dd.textContent = 'nothing';
    else dd.append(list(doc, 'caps', values.map((v) => String(v))));
    dl.append(dt, dd);
  }
  frag.append(dl);
  return frag;
}

function uniq(values) {
  return [...new Set(values)];
}

/** A <ul> of text items. */
function list(doc, className, items) {
  const ul = el(doc, 'ul', className);
  for (const item of items) ul.append(el(doc, 'li', null, item));
  return ul;
}

/** An element with an optional class and text (always as textContent). */
function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}
