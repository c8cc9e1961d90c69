// The gate: "Run anyway" / "Cancel" before a risky or unchecked function runs.
//
// Which controls gate at the click: a Run/Call control inside a dialog —
// the modal's final "Call" / "Run" / "Call function" button, the one that
// sends the call. A control outside any dialog (the list's "Run", the classic
// play icon, the detail page's "Run function") usually only opens that
// modal, so it gets a badge but its click passes; if it does send the call
// itself, the page hook (page/hook.js) holds the POST …/functions/{id}/call
// and bridge.js shows this same dialog. Either way a call at or above the
// policy threshold, or not analysed, is asked about before it reaches CDF.
//
// Run anyway → APPROVE (function + code hash) and the click is dispatched
// again on the control, passing this listener once; the call it makes is
// then let through by the hook without a second question. Cancel → nothing
// reaches the page.
//
// DOM contract (t6-contract.md, "Gate"): div[data-preflight="gate"]
// [data-function-id] appended to <html>, open shadow root with
// [role="alertdialog"], a heading naming the function and the risk, the top
// findings, the permission level, buttons "Run anyway" and "Cancel"; focus
// starts on Cancel, Esc = Cancel; removed when answered.

import { MSG } from '../lib/protocol.js';
import { riskLabel } from '../lib/levels.js';
import { h, shadowWithStyle } from './dom.js';
import { DIALOG, identifyFunction, runControlOf } from './detect.js';
import { functionTitle, levelOf, permissionSummary, riskSentence, sortedFindings, topFindings } from './explain.js';

const CSS = `
:host { all: initial; position: fixed; inset: 0; z-index: 2147483647; display: block;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
.backdrop { position: fixed; inset: 0; background: rgba(17,24,39,.55); display: flex; align-items: center; justify-content: center; }
[role="alertdialog"] { box-sizing: border-box; width: min(36em, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto;
  background: #fff; color: #111827; border-radius: 8px; border-top: 6px solid var(--bg, #4b5563); padding: 16px 20px;
  box-shadow: 0 12px 40px rgba(0,0,0,.35); }
:host([data-level="none"]) { --bg: #15803d; }
:host([data-level="low"]), :host([data-level="medium"]) { --bg: #b45309; }
:host([data-level="high"]) { --bg: #c2410c; }
:host([data-level="critical"]) { --bg: #b91c1c; }
h2 { font-size: 17px; margin: 0 0 8px; overflow-wrap: anywhere; }
h3 { font-size: 13px; margin: 12px 0 4px; color: #374151; }
p { margin: 4px 0; overflow-wrap: anywhere; }
ul { margin: 4px 0; padding-inline-start: 20px; }
li { overflow-wrap: anywhere; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 11px; color: #6b7280; margin-inline-start: 6px; }
.actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 16px; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; cursor: pointer; border: 1px solid #9ca3af; background: #fff; color: #111827; }
button.danger { background: var(--bg, #4b5563); border-color: var(--bg, #4b5563); color: #fff; }
button:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
`;

/** A FunctionState for "the extension did not answer": never shown as safe. */
export function unansweredState(reason) {
  return { status: 'not-analysed', level: 'unknown', reasonCode: 'extension-error', reason };
}

/**
 * Shows the gate dialog and resolves true for "Run anyway", false for
 * "Cancel" (or Esc). One dialog at a time: a second one waits its turn.
 * @param {Document} doc
 * @param {{state: object, ident?: object, threshold?: string}} what
 */
export function showGate(doc, what) {
  const turn = (queue.get(doc) ?? Promise.resolve()).then(() => openGate(doc, what));
  queue.set(doc, turn.catch(() => {}));
  return turn;
}
const queue = new WeakMap();

function openGate(doc, { state, ident, threshold }) {
  const win = doc.defaultView;
  const level = levelOf(state);
  const name = functionTitle(state, ident);
  const id = state?.function?.id ?? ident?.functionId;
  const host = h(doc, 'div', { 'data-preflight': 'gate', 'data-function-id': Number.isSafeInteger(id) ? id : null, 'data-level': level });
  const root = shadowWithStyle(host, CSS);
  const runBtn = h(doc, 'button', { type: 'button', class: 'danger' }, 'Run anyway');
  const cancelBtn = h(doc, 'button', { type: 'button' }, 'Cancel');

  const body = [
    h(doc, 'h2', { id: 'preflight-gate-title' }, `${riskLabel(level)}: ${name}`),
    h(doc, 'p', { id: 'preflight-gate-desc' }, riskSentence(state)),
  ];
  const findings = topFindings(state, 5);
  if (findings.length) {
    body.push(h(doc, 'h3', null, 'Top findings'));
    body.push(h(doc, 'ul', null, findings.map((f) => h(doc, 'li', null, f.line, h(doc, 'span', { class: 'sev' }, f.severity)))));
    const more = sortedFindings(state).length - findings.length;
    if (more > 0) body.push(h(doc, 'p', null, `and ${more} more — see the Preflight popup.`));
  }
  const perm = permissionSummary(state);
  body.push(h(doc, 'h3', null, 'Your permission level'));
  body.push(h(doc, 'p', null, perm ? perm.label : 'Unknown: Preflight could not read your permissions.'));
  if (perm?.explanation) body.push(h(doc, 'p', null, perm.explanation));
  body.push(h(doc, 'p', null, 'The function runs with your permissions.'));
  if (threshold && level !== 'unknown') body.push(h(doc, 'p', null, `Your policy asks before running functions at ${riskLabel(threshold).toLowerCase()} or above.`));
  body.push(h(doc, 'div', { class: 'actions' }, runBtn, cancelBtn));

  const dialog = h(doc, 'div', { role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'preflight-gate-title', 'aria-describedby': 'preflight-gate-desc' }, body);
  root.append(h(doc, 'div', { class: 'backdrop' }, dialog));

  const previous = doc.activeElement;
  return new Promise((resolve) => {
    const done = (allow) => {
      win.removeEventListener('keydown', onKey, true);
      win.removeEventListener('focusin', onFocusIn, true);
      host.remove();
      if (previous && previous.isConnected && typeof previous.focus === 'function') previous.focus();
      resolve(allow);
    };
    // The dialog is modal: keys go to it alone (not to the page's shortcuts or
    // a modal's focus trap), handled here at the window's capture phase.
    const onKey = (e) => {
      e.stopImmediatePropagation();
      if (e.key === 'Escape') {
        e.preventDefault();
        done(false);
      } else if (e.key === 'Tab') {
        e.preventDefault();
        (root.activeElement === cancelBtn ? runBtn : cancelBtn).focus();
      } else if (!e.composedPath().includes(host)) {
        e.preventDefault();
      }
    };
    const onFocusIn = (e) => {
      if (e.composedPath().includes(host)) e.stopImmediatePropagation();
    };
    runBtn.addEventListener('click', () => done(true));
    cancelBtn.addEventListener('click', () => done(false));
    win.addEventListener('keydown', onKey, true);
    win.addEventListener('focusin', onFocusIn, true);
    doc.documentElement.append(host);
    cancelBtn.focus();
  });
}

/** How long "Run anyway" at a click lets that function's call through the page hook. */
const ONCE_MS = 15000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Asks the background whether a call must be confirmed, shows the dialog
 * when it must, and remembers "Run anyway". Shared by the click gate and the
 * page-hook bridge.
 */
export class Gatekeeper {
  /**
   * @param {Document} doc
   * @param {(msg: object) => Promise<any>} send protocol.js send
   */
  constructor(doc, send) {
    this.doc = doc;
    this.send = send;
    /** functionId (or '*') → calls let through without asking again (after Run anyway at the click). */
    this.once = new Map();
    this.loadingWaitMs = 5000;
    this.pollMs = 500;
  }

  /**
   * Resolves {allow, functionId}: whether the call may go ahead, and the
   * function's id when it is known (resolved from the name if need be).
   * @param {{cluster?: string, project?: string, functionId?: number, functionName?: string}} call
   */
  async check(call) {
    const { cluster, project } = call;
    let functionId = call.functionId;
    let answer;
    try {
      if (!functionId && call.functionName) {
        const st = await this.send({ type: MSG.STATE, cluster, project, functionName: call.functionName });
        functionId = Number.isSafeInteger(st?.function?.id) ? st.function.id : undefined;
        if (!functionId) answer = { gate: true, state: st ?? unansweredState('Preflight could not find this function.') };
      }
      if (functionId) {
        const ask = () => this.send({ type: MSG.GATE, cluster, project, functionId });
        answer = await ask();
        for (let waited = 0; answer?.state?.status === 'loading' && waited < this.loadingWaitMs; waited += this.pollMs) {
          await sleep(this.pollMs);
          answer = await ask();
        }
      }
    } catch {
      answer = { gate: true, state: unansweredState('The Preflight extension did not answer, so this function was not checked.') };
    }
    if (!answer || typeof answer !== 'object') {
      answer = { gate: true, state: unansweredState('Preflight could not identify this function, so it was not checked.') };
    }
    if (answer.gate === false) return { allow: true, functionId };
    const state = answer.state ?? unansweredState('Preflight has no analysis of this function.');
    const allow = await showGate(this.doc, { state, ident: { ...call, functionId }, threshold: answer.threshold });
    if (allow && functionId) {
      try {
        await this.send({ type: MSG.APPROVE, cluster, project, functionId, codeHash: state.codeHash });
      } catch {
        // The approval is only a convenience; the user's answer stands for this call.
      }
    }
    return { allow, functionId };
  }

  /**
   * Lets the next held call of functionId (or of any function when the id is
   * unknown) through: the user already said "Run anyway" at the click. It
   * lasts ONCE_MS: a click that sent no call must not leave a pass behind.
   */
  allowOnce(functionId) {
    this.once.set(functionId ? String(functionId) : '*', Date.now() + ONCE_MS);
  }

  /** Takes the allowOnce for functionId (or the one for any function), if still valid. */
  takeOnce(functionId) {
    for (const key of [String(functionId), '*']) {
      const until = this.once.get(key);
      if (until === undefined) continue;
      this.once.delete(key);
      if (until >= Date.now()) return true;
    }
    return false;
  }
}

const NATIVE_BUTTON = 'button, input';

/**
 * The capture-phase listener on window that holds clicks (and Enter/Space
 * on role=button elements) on gating run controls until the gatekeeper
 * answers. Returns a function that removes it.
 * @param {Window} win
 * @param {Gatekeeper} keeper
 * @param {() => {project?: string, cluster?: string, routeId?: number}} context the page context now
 */
export function installClickGate(win, keeper, context) {
  const passing = new WeakSet();
  const asking = new WeakSet();

  const onEvent = (e) => {
    const control = runControlOf(e.composedPath ? e.composedPath()[0] : e.target);
    if (!control || !control.closest(DIALOG)) return;
    const native = control.matches(NATIVE_BUTTON);
    if (e.type === 'keydown' && (native || (e.key !== 'Enter' && e.key !== ' '))) return;
    if (passing.has(control)) {
      passing.delete(control);
      return;
    }
    e.stopImmediatePropagation();
    e.preventDefault();
    if (asking.has(control)) return;
    asking.add(control);
    const ctx = context();
    const ident = identifyFunction(control, ctx);
    const replay = e.type === 'keydown' ? { key: e.key, code: e.code } : null;
    keeper
      .check({ cluster: ctx.cluster, project: ctx.project, ...ident })
      .then(({ allow, functionId }) => {
        asking.delete(control);
        if (!allow || !control.isConnected) return;
        keeper.allowOnce(functionId);
        passing.add(control);
        try {
          if (replay) control.dispatchEvent(new win.KeyboardEvent('keydown', { ...replay, bubbles: true, cancelable: true, composed: true }));
          else control.click();
        } finally {
          passing.delete(control);
        }
      });
  };
  win.addEventListener('click', onEvent, true);
  win.addEventListener('keydown', onEvent, true);
  return () => {
    win.removeEventListener('click', onEvent, true);
    win.removeEventListener('keydown', onEvent, true);
  };
}
