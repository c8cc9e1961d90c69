// Risk levels and permission levels in words: the one place the badge, the
// panel, the gate dialog and the popup take their labels from.

/** Risk levels from lowest to highest; 'unknown' ranks above 'critical' for gating. */
export const RISK_ORDER = Object.freeze(['none', 'low', 'medium', 'high', 'critical', 'unknown']);

/** The rank of a risk level (unknown or unrecognised values rank highest: never safe). */
export function riskRank(level) {
  const i = RISK_ORDER.indexOf(level);
  return i < 0 ? RISK_ORDER.length - 1 : i;
}

/** Whether level is at or above threshold ('unknown' always is). */
export function atOrAbove(level, threshold) {
  return riskRank(level) >= riskRank(threshold);
}

const RISK_LABEL = {
  none: 'No risks found',
  low: 'Low risk',
  medium: 'Medium risk',
  high: 'High risk',
  critical: 'Critical risk',
  unknown: 'Risk unknown',
};

/**
 * The label of a function Preflight could not check at all (no report).
 * A report whose level is 'unknown' (part of the code could not be
 * analysed) is "Risk unknown" instead: it has findings, and neither is safe.
 */
export const NOT_ANALYSED = 'Not analysed';

/** "High risk", "No risks found", "Risk unknown"… */
export function riskLabel(level) {
  return RISK_LABEL[level] ?? RISK_LABEL.unknown;
}

const PERMISSION_LABEL = {
  admin: 'Admin',
  elevated: 'Elevated',
  standard: 'Standard',
  'read-only': 'Read-only',
  none: 'No access',
};

/** "Admin", "Read-only"… for the engine's permission level names. */
export function permissionLabel(level) {
  return PERMISSION_LABEL[level] ?? 'Unknown level';
}

/**
 * The badge's one line for a FunctionState (see protocol.js):
 * "High risk · 3 findings · you are Admin", "Checking…", "Not analysed · no access to the code".
 */
export function badgeText(state) {
  if (!state || state.status === 'loading') return 'Preflight: checking…';
  if (state.status === 'no-token') return 'Preflight: waiting for Fusion to sign in';
  const parts = [];
  if (state.status === 'ready' && state.report) {
    parts.push(riskLabel(state.report.risk?.level));
    const n = state.report.findings?.length ?? 0;
    parts.push(n === 1 ? '1 finding' : `${n} findings`);
  } else {
    parts.push(NOT_ANALYSED);
    if (state.reason) parts.push(shortReason(state));
  }
  if (state.permission?.level) parts.push(`you are ${permissionLabel(state.permission.level)}`);
  return parts.join(' · ');
}

const SHORT_REASON = {
  'no-access': 'no access to the code',
  'too-large': 'code too large',
  timeout: 'timed out',
  'api-error': 'CDF API error',
  'not-found': 'function not found',
  'engine-error': 'analysis failed',
  'storage-permission': 'needs a permission',
  unauthorized: 'sign-in expired',
};

function shortReason(state) {
  return SHORT_REASON[state.reasonCode] ?? 'could not be checked';
}
