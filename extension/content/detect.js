// Finding the Run/Call controls of Cognite Functions on Fusion's Functions
// pages, and which function each one runs.
//
// Fusion's markup changes between releases, so detection never relies on
// data-testid attributes, CSS classes or numeric data attributes: a control
// is a button (or role=button) whose accessible name — aria-labelledby,
// aria-label, its text, its title, or for an icon-only button the tooltip
// (aria-describedby, data-tooltip, a wrapping element's data-tooltip/title) —
// reads "Run", "Call", "Run function", "Call function: <name>" or
// "Click to call the function". Near misses ("Run history", "Calls",
// "Schedule run", "Cancel", …) are left alone: a badge on the wrong button
// would teach people to ignore badges.

import { cleanText } from './dom.js';

/** Elements that can be a run control. */
const CANDIDATES = 'button, [role="button"], input[type="button"], input[type="submit"]';

/** Modal containers: a control inside one is the modal's own Run/Call button. */
export const DIALOG = 'dialog, [role="dialog"], [role="alertdialog"]';

/** Rows and cards of a function list. */
const ROW = 'tr, [role="row"], li, [role="listitem"], article, [role="article"]';

/** Where climbing from a control to its row stops. */
const ROW_STOP = 'body, html, main, [role="main"], ' + DIALOG;

const VERB = /^(?:click (?:here )?to )?(?:run|call)(?: (?:the |this )?function)?(?:\s*[:\-–—]\s*\S.*|\s+\S.*)?$/i;

/** Words that make a Run/Call label something else (history, schedules, logs…). */
const NEAR_MISS = /\b(?:history|schedul\w*|logs?|calls|status|details?|responses?|results?|cancel\w*|delete|edit|stop|anyway|duration|times?|list|settings?|again)\b/i;

/**
 * Whether a label names a Run/Call action: "Run", "Call function",
 * "Call function: sensor-sync", "Click to call the function", "Run now".
 */
export function isRunLabel(label) {
  const s = cleanText(label).replace(/(?:\.{3}|…|\.)$/, '').trim();
  if (!s || s.length > 200) return false;
  return VERB.test(s) && !NEAR_MISS.test(s);
}

/** The text of the elements whose ids are listed in attr (aria-labelledby, aria-describedby). */
function idrefText(el, attr) {
  const ids = (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean);
  if (ids.length === 0) return '';
  const root = el.getRootNode();
  const lookup = (id) => (root.getElementById ? root.getElementById(id) : el.ownerDocument.getElementById(id));
  return cleanText(ids.map((id) => visibleText(lookup(id))).join(' '));
}

/** Text content without aria-hidden parts, styles and scripts. */
export function visibleText(el) {
  if (!el) return '';
  let out = '';
  const walk = (n) => {
    if (n.nodeType === 3) {
      out += n.data;
      return;
    }
    if (n.nodeType !== 1) return;
    const tag = n.localName;
    if (tag === 'style' || tag === 'script' || tag === 'template') return;
    if (n.getAttribute('aria-hidden') === 'true') return;
    if (n.getAttribute('data-preflight')) return;
    out += ' ';
    for (const c of n.childNodes) walk(c);
    out += ' ';
  };
  walk(el);
  return cleanText(out);
}

const hasLetter = (s) => /\p{L}/u.test(s);

/**
 * The labels a person (or a screen reader) gets for el, best first:
 * its accessible name, then its title, then its tooltip.
 */
export function labelsOf(el) {
  const labels = [];
  const push = (s) => {
    s = cleanText(s);
    if (s && hasLetter(s)) labels.push(s);
  };
  push(idrefText(el, 'aria-labelledby'));
  push(el.getAttribute('aria-label'));
  if (el.localName === 'input') push(el.value);
  else push(visibleText(el));
  push(el.getAttribute('title'));
  push(el.getAttribute('data-tooltip'));
  push(idrefText(el, 'aria-describedby'));
  const wrapper = tooltipWrapper(el);
  if (wrapper) {
    push(wrapper.getAttribute('data-tooltip'));
    push(wrapper.getAttribute('title'));
  }
  return labels;
}

/** An ancestor (up to three levels) carrying a tooltip for el alone. */
function tooltipWrapper(el) {
  let a = el.parentElement;
  for (let i = 0; i < 3 && a && !a.matches(ROW_STOP); i++, a = a.parentElement) {
    if (a.hasAttribute('data-tooltip') || a.hasAttribute('title')) {
      return a.querySelectorAll(CANDIDATES).length === 1 ? a : null;
    }
  }
  return null;
}

/**
 * Whether el is a Run/Call control: a button whose best label (the first
 * one with letters: accessible name, else title, else tooltip) reads as a
 * run action.
 */
export function isRunControl(el) {
  if (!el || el.nodeType !== 1 || !el.matches(CANDIDATES)) return false;
  // A clickable row or card header holding buttons is a container, not a control.
  if (el.querySelector(CANDIDATES)) return false;
  const [best] = labelsOf(el);
  return best !== undefined && isRunLabel(best);
}

/** The run control el is or is inside, or null. */
export function runControlOf(el) {
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    if (n.matches(CANDIDATES)) return isRunControl(n) ? n : null;
  }
  return null;
}

/** Every run control under root (document order). */
export function findRunControls(root) {
  return [...root.querySelectorAll(CANDIDATES)].filter(isRunControl);
}

/**
 * What the URL says: project (first path segment), the cluster from
 * ?cluster= (undefined when absent or not a host name: the background then
 * uses the host the page calls), whether this is a Functions page, and the
 * function id of a detail route /<project>/functions/<id>.
 * @param {{pathname: string, search: string}} loc
 */
export function pageContext(loc) {
  const segs = loc.pathname.split('/').filter(Boolean).map(safeDecode);
  const project = segs[0] || undefined;
  const i = segs.indexOf('functions');
  const onFunctionsPage = i >= 1;
  let routeId;
  if (onFunctionsPage && /^\d{1,16}$/.test(segs[i + 1] ?? '')) {
    const n = Number(segs[i + 1]);
    if (Number.isSafeInteger(n) && n > 0) routeId = n;
  }
  const c = new URLSearchParams(loc.search).get('cluster') ?? '';
  const cluster = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::\d{1,5})?$/i.test(c) ? c.toLowerCase() : undefined;
  return { project, cluster, onFunctionsPage, routeId };
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const FUNCTION_LINK = /\/functions\/(\d{1,16})(?:[/?#]|$)/;

/** The function id in a link's path to /functions/<id>, or undefined. */
function linkedId(a) {
  let path;
  try {
    path = new URL(a.getAttribute('href'), a.ownerDocument.baseURI).pathname;
  } catch {
    return undefined;
  }
  const m = FUNCTION_LINK.exec(path);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const TITLE_NAME = [
  /^(?:call|run) function\s*[:\-–—]\s*(.+)$/i, // "Call function: <name>"
  /^(?:call|run)\s+(?!function$)(.+)$/i, // "Run <name>"
];

/** The function named by a dialog's title or its read-only "Function name" field. */
export function dialogFunctionName(dialog) {
  const heading = dialog.querySelector('h1, h2, h3, h4, h5, h6, [role="heading"]');
  const title = idrefText(dialog, 'aria-labelledby') || cleanText(dialog.getAttribute('aria-label')) || visibleText(heading);
  for (const re of TITLE_NAME) {
    const m = re.exec(title);
    if (m && cleanText(m[1])) return cleanText(m[1]);
  }
  for (const field of dialog.querySelectorAll('input, textarea')) {
    const readOnly = field.readOnly || field.getAttribute('aria-readonly') === 'true' || field.disabled;
    if (readOnly && /function name/i.test(fieldLabel(field)) && cleanText(field.value)) return cleanText(field.value);
  }
  return undefined;
}

function fieldLabel(field) {
  const parts = [idrefText(field, 'aria-labelledby'), field.getAttribute('aria-label') ?? ''];
  for (const l of field.labels ?? []) parts.push(visibleText(l));
  return parts.join(' ');
}

/** The row or card holding control: a list row, else the largest ancestor with no other run control. */
export function rowOf(control) {
  const semantic = control.closest(ROW);
  if (semantic && !semantic.matches(ROW_STOP)) return semantic;
  let best = null;
  for (let a = control.parentElement; a && !a.matches(ROW_STOP); a = a.parentElement) {
    if (findRunControls(a).length > 1) break;
    best = a;
  }
  return best;
}

const NOT_A_NAME = 'button, input, select, textarea, svg, [aria-hidden="true"], [data-preflight], style, script';

/** Whether a text node is a control's own label rather than content (a clickable row header holding buttons is content). */
function isControlText(node) {
  const el = node.parentElement;
  if (!el || el.closest(NOT_A_NAME)) return true;
  const rb = el.closest('[role="button"]');
  return rb !== null && rb.querySelector(CANDIDATES) === null;
}

/** A row's visible function name and, when it links to /functions/<id>, the id. */
export function rowFunction(row, control) {
  for (const a of row.querySelectorAll('a[href]')) {
    const id = linkedId(a);
    if (id !== undefined) return { functionId: id, functionName: visibleText(a) || undefined };
  }
  const heading = row.querySelector('h1, h2, h3, h4, h5, h6, [role="heading"], [role="rowheader"], th');
  if (heading && !heading.contains(control) && visibleText(heading)) return { functionName: visibleText(heading) };
  for (const cell of row.querySelectorAll('td, [role="cell"], [role="gridcell"]')) {
    if (cell.contains(control)) continue;
    const t = visibleText(cell);
    if (t && hasLetter(t)) return { functionName: t };
  }
  const walker = row.ownerDocument.createTreeWalker(row, 4 /* SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = cleanText(n.data);
    if (t && hasLetter(t) && !isControlText(n)) return { functionName: t };
  }
  return {};
}

/**
 * Which function a control runs: {functionId?, functionName?}.
 * In a dialog: its title or read-only "Function name" field (plus the
 * detail route's id); on a detail route: the route's id; in a list: the
 * row's link to /functions/<id> or its visible name. The background resolves
 * a name to an id (protocol.js STATE).
 */
export function identifyFunction(control, ctx) {
  const out = {};
  const dialog = control.closest(DIALOG);
  if (dialog) {
    const name = dialogFunctionName(dialog);
    if (name) out.functionName = name.slice(0, 256);
    if (ctx.routeId) out.functionId = ctx.routeId;
    return out;
  }
  if (ctx.routeId) {
    // The id is the route's; the page's title is kept as the name to show
    // should the background not learn the function's own (an API error).
    const name = detailTitle(control);
    return name ? { functionId: ctx.routeId, functionName: name.slice(0, 256) } : { functionId: ctx.routeId };
  }
  const row = rowOf(control);
  if (!row) return out;
  const f = rowFunction(row, control);
  if (f.functionId) out.functionId = f.functionId;
  if (f.functionName) out.functionName = f.functionName.slice(0, 256);
  return out;
}

/**
 * The title a detail page shows for its function: the heading nearest the
 * control (in its own container, then each one around it) that is not the
 * app's own ("Function", "Functions").
 */
export function detailTitle(control) {
  for (let box = control.parentElement; box; box = box.parentElement) {
    for (const h of box.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')) {
      if (h.contains(control)) continue;
      const t = visibleText(h);
      if (t && hasLetter(t) && !/^(cognite )?functions?$/i.test(t)) return t;
    }
  }
  return undefined;
}

/** A stable key for an identity: "id:<n>" or "name:<name>" (null when unknown). */
export function identityKey(ident) {
  if (ident.functionId) return `id:${ident.functionId}`;
  if (ident.functionName) return `name:${ident.functionName}`;
  return null;
}
