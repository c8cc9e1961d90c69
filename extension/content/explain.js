// What the badge's panel and the gate dialog say about a function, as plain
// strings derived from a FunctionState (protocol.js): the top findings, the
// user's permission level, needed vs held. No DOM here, so the wording is
// tested once and shared by both views.

import { permissionLabel, riskLabel } from '../lib/levels.js';

const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The risk level a state stands for: the report's when ready, else 'unknown' (never safe). */
export function levelOf(state) {
  if (state?.status !== 'ready' || !state.report) return 'unknown';
  const level = state.report.risk?.level ?? state.level;
  return typeof level === 'string' && level in RISK_KNOWN ? level : 'unknown';
}
const RISK_KNOWN = { none: 1, low: 1, medium: 1, high: 1, critical: 1, unknown: 1 };

/** Findings, most severe first (stable among equals). */
export function sortedFindings(state) {
  const findings = Array.isArray(state?.report?.findings) ? state.report.findings : [];
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (SEVERITY_RANK[b.f?.severity] ?? 0) - (SEVERITY_RANK[a.f?.severity] ?? 0) || a.i - b.i)
    .map((x) => x.f);
}

/** "handler.py:12 — Deletes every asset" (the place is left out when the finding has none). */
export function findingLine(f) {
  const message = str(f?.message) || str(f?.title) || 'Finding';
  const file = str(f?.file);
  if (!file) return message;
  const line = Number.isInteger(f.line) && f.line > 0 ? `:${f.line}` : '';
  return `${file}${line} — ${message}`;
}

/** The top n findings as {line, severity}. */
export function topFindings(state, n = 5) {
  return sortedFindings(state)
    .slice(0, n)
    .map((f) => ({ line: findingLine(f), severity: str(f?.severity) || 'info' }));
}

/**
 * The function's id: the one the page shows (ident) first, whatever the
 * state says, else the one the background resolved (state.function.id).
 * undefined when neither is a positive safe integer.
 */
export function functionIdOf(state, ident) {
  for (const v of [ident?.functionId, state?.function?.id]) {
    const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
    if (Number.isSafeInteger(n) && n > 0) return n;
  }
  return undefined;
}

/** The function's display name. */
export function functionTitle(state, ident) {
  const name = str(state?.function?.name) || str(state?.report?.function?.name) || str(ident?.functionName);
  if (name) return name;
  const id = functionIdOf(state, ident);
  return id ? `function ${id}` : 'this function';
}

/** One sentence on the risk: the engine's summary, or why there is no verdict. */
export function riskSentence(state) {
  if (!state || state.status === 'loading') return 'Preflight is still checking this function’s code.';
  if (state.status === 'no-token') return 'Preflight has not seen Fusion sign in to this cluster yet, so it cannot read the code.';
  if (state.status === 'ready' && state.report) return str(state.report.risk?.summary) || riskLabel(levelOf(state));
  return `Not analysed: ${str(state.reason) || 'Preflight could not check this function.'} Treat it as unknown, not as safe.`;
}

/** The user's permission level: {label, explanation, reasons[]} or null when not known. */
export function permissionSummary(state) {
  const p = state?.permission ?? (state?.report?.permissions ? { level: state.report.permissions.level, reasons: state.report.permissions.reasons } : null);
  if (!p?.level) return null;
  return {
    label: `You would run it as: ${permissionLabel(p.level)}`,
    explanation: str(p.explanation),
    reasons: strings(p.reasons),
  };
}

/**
 * What the code needs against what the user holds: needed (acl:action from
 * report.required, unique), missing (needed but not held) and excess (held,
 * high-risk, not needed) from report.permissions. null when there is no report.
 */
export function neededVsHeld(state) {
  const r = state?.report;
  if (state?.status !== 'ready' || !r) return null;
  const needed = [];
  for (const q of Array.isArray(r.required) ? r.required : []) {
    const cap = `${str(q?.acl)}:${str(q?.action)}`;
    if (cap !== ':' && !needed.includes(cap)) needed.push(cap);
  }
  return {
    needed,
    missing: strings(r.permissions?.missing),
    excess: strings(r.permissions?.excess),
    limited: strings(r.permissions?.limited),
  };
}

function str(v) {
  return typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : '';
}

function strings(v) {
  return Array.isArray(v) ? v.map(str).filter(Boolean) : [];
}
