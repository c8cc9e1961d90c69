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
import { h, replaceChildren, shadowWithStyle } from './dom.js';
import { DIALOG, identifyFunction, runControlOf } from './detect.js';
import { functionIdOf, functionTitle, levelOf, permissionSummary, riskSentence, sortedFindings, topFindings } from './explain.js';

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
.muted { color: #6b7280; font-size: 13px; }
.actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 16px; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; cursor: pointer; border: 1px solid #9ca3af; background: #fff; color: #111827; }
button.danger { background: var(--bg, #4b5563); border-color: var(--bg, #4b5563); color: #fff; }
button:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
`;

/** A FunctionState for "the analysis did not finish in time": never shown as safe. */
function localTimeout() {
  return { status: 'not-analysed', level: 'unknown', reasonCode: 'timeout', reason: 'The analysis did not finish in time.' };
}

/** A FunctionState for "the extension did not answer": never shown as safe. */
export function unansweredState(reason) {
  return { status: 'not-analysed', level: 'unknown', reasonCode: 'extension-error', reason };
}

/**
 * The state the gate shows while the background is still checking: unknown
 * (gated, never safe), with what a badge already knew of the function.
 * @param {object} [known] the badge's last FunctionState for this function
 */
export function checkingState(known) {
  return {
    status: 'loading',
    level: 'unknown',
    reason: 'Still checking',
    ...(known?.function ? { function: known.function } : {}),
    ...(known?.permission ? { permission: known.permission } : {}),
  };
}

/**
 * Shows the gate dialog. Returns its controller: `result` resolves true for
 * "Run anyway", false for "Cancel" (or Esc); `update(what)` redraws it in
 * place (the answer arrived) without moving focus or replacing the buttons;
 * `close(allow)` ends it as if answered. One dialog at a time: a second one
 * waits its turn, and updates meanwhile are kept.
 * @param {Document} doc
 * @param {{state: object, ident?: object, threshold?: string, provisional?: boolean}} what
 *   provisional: shown before the background answered
 * @returns {GateDialog}
 */
export function showGate(doc, what) {
  const gate = new GateDialog(doc, what);
  const turn = (queue.get(doc) ?? Promise.resolve()).then(() => gate.open() ?? gate.result);
  queue.set(doc, turn.catch(() => {}));
  return gate;
}
const queue = new WeakMap();

/** One gate dialog (see showGate). */
export class GateDialog {
  constructor(doc, { state, ident, threshold, provisional = false }) {
    this.doc = doc;
    this.what = { state, ident, threshold, provisional };
    this.answered = false;
    this.result = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.host = h(doc, 'div', { 'data-preflight': 'gate' });
    this.root = shadowWithStyle(this.host, CSS);
    this.runBtn = h(doc, 'button', { type: 'button', class: 'danger' }, 'Run anyway');
    this.cancelBtn = h(doc, 'button', { type: 'button' }, 'Cancel');
    this.content = h(doc, 'div', null);
    const dialog = h(doc, 'div', { role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'preflight-gate-title', 'aria-describedby': 'preflight-gate-desc' },
      this.content, h(doc, 'div', { class: 'actions' }, this.runBtn, this.cancelBtn));
    this.root.append(h(doc, 'div', { class: 'backdrop' }, dialog));
    this.runBtn.addEventListener('click', () => this.close(true));
    this.cancelBtn.addEventListener('click', () => this.close(false));
    // The dialog is modal: keys go to it alone (not to the page's shortcuts or
    // a modal's focus trap), handled here at the window's capture phase.
    this.onKey = (e) => {
      e.stopImmediatePropagation();
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close(false);
      } else if (e.key === 'Tab') {
        e.preventDefault();
        (this.root.activeElement === this.cancelBtn ? this.runBtn : this.cancelBtn).focus();
      } else if (!e.composedPath().includes(this.host)) {
        e.preventDefault();
      }
    };
    this.onFocusIn = (e) => {
      if (e.composedPath().includes(this.host)) e.stopImmediatePropagation();
    };
    this.render();
  }

  /** Redraws the dialog with a newer state, threshold or identity. */
  update(what) {
    if (this.answered) return;
    this.what = { ...this.what, ...what };
    this.render();
  }

  render() {
    const doc = this.doc;
    const { state, ident, threshold, provisional } = this.what;
    const level = levelOf(state);
    const name = functionTitle(state, ident);
    const id = functionIdOf(state, ident);
    const checking = !state || state.status === 'loading';
    if (id === undefined) this.host.removeAttribute('data-function-id');
    else this.host.setAttribute('data-function-id', String(id));
    this.host.setAttribute('data-level', level);
    this.host.setAttribute('data-status', checking ? 'loading' : String(state.status));

    const body = [
      h(doc, 'h2', { id: 'preflight-gate-title' }, `${riskLabel(level)}: ${name}`),
      checking
        ? h(doc, 'p', { id: 'preflight-gate-desc', role: 'status' }, 'Still checking… Not analysed yet: Preflight has not finished reading this function’s code. Until it has, treat it as unknown, not as safe.')
        : h(doc, 'p', { id: 'preflight-gate-desc', role: 'status' }, riskSentence(state)),
    ];
    if (provisional && !checking) body.push(h(doc, 'p', { class: 'muted' }, 'This is the report the badge shows; Preflight is checking that the code has not changed since.'));
    const findings = topFindings(state, 5);
    if (findings.length) {
      body.push(h(doc, 'h3', null, 'Top findings'));
      body.push(h(doc, 'ul', null, findings.map((f) => h(doc, 'li', null, f.line, h(doc, 'span', { class: 'sev' }, f.severity)))));
      const more = sortedFindings(state).length - findings.length;
      if (more > 0) body.push(h(doc, 'p', null, `and ${more} more — see the Preflight popup.`));
    }
    const perm = permissionSummary(state);
    body.push(h(doc, 'h3', null, 'Your permission level'));
    body.push(h(doc, 'p', null, perm ? perm.label : checking ? 'Still checking…' : 'Unknown: Preflight could not read your permissions.'));
    if (perm?.explanation) body.push(h(doc, 'p', null, perm.explanation));
    body.push(h(doc, 'p', null, 'The function runs with your permissions.'));
    if (threshold && level !== 'unknown') body.push(h(doc, 'p', null, `Your policy asks before running functions at ${riskLabel(threshold).toLowerCase()} or above.`));
    replaceChildren(this.content, body);
  }

  /** Puts the dialog on the page (its turn came); focus starts on Cancel. */
  open() {
    if (this.answered) return this.result;
    const win = this.doc.defaultView;
    this.previous = this.doc.activeElement;
    win.addEventListener('keydown', this.onKey, true);
    win.addEventListener('focusin', this.onFocusIn, true);
    this.doc.documentElement.append(this.host);
    this.cancelBtn.focus();
    return this.result;
  }

  /** Ends the dialog with the user's answer (or the gatekeeper's, when the policy lets the call run). */
  close(allow) {
    if (this.answered) return;
    this.answered = true;
    const win = this.doc.defaultView;
    win.removeEventListener('keydown', this.onKey, true);
    win.removeEventListener('focusin', this.onFocusIn, true);
    const wasOpen = this.host.isConnected;
    this.host.remove();
    const previous = this.previous;
    if (wasOpen && previous && previous.isConnected && typeof previous.focus === 'function') previous.focus();
    this.resolve(allow);
  }
}

/** How long "Run anyway" at a click lets that function's call through the page hook. */
const ONCE_MS = 15000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Asks the background whether a call must be confirmed, shows the dialog
 * when it must, and remembers "Run anyway". Shared by the click gate and the
 * page-hook bridge.
 *
 * The user who pressed Call sees an answer at once: when the background has
 * not decided within showAfterMs (showReadyAfterMs when a badge already
 * shows the function's report), the dialog opens "Still checking…"
 * (unknown, so gated) and is updated in place when the answer arrives. Its
 * buttons work throughout ("Run anyway" while checking is the user's
 * decision). An answer that the call need not be confirmed closes it and
 * lets the call go, as it would have without the wait.
 */
export class Gatekeeper {
  /**
   * @param {Document} doc
   * @param {(msg: object) => Promise<any>} send protocol.js send
   * @param {{known?: (ident: object) => object|undefined, showAfterMs?: number, pollMs?: number, checkMaxMs?: number, now?: () => number}} [opts]
   *   known: the state a badge already has for a function (its id when the page names it only)
   */
  constructor(doc, send, opts = {}) {
    this.doc = doc;
    this.send = send;
    this.known = opts.known ?? (() => undefined);
    /** functionId (or '*') → calls let through without asking again (after Run anyway at the click). */
    this.once = new Map();
    this.showAfterMs = opts.showAfterMs ?? 200;
    /** When a badge already has the report, the answer is a metadata check away: it gets longer before "Still checking…". */
    this.showReadyAfterMs = opts.showReadyAfterMs ?? 1500;
    this.pollMs = opts.pollMs ?? 500;
    this.checkMaxMs = opts.checkMaxMs ?? 120_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Resolves {allow, functionId}: whether the call may go ahead, and the
   * function's id when it is known (resolved from the name if need be).
   * @param {{cluster?: string, project?: string, functionId?: number, functionName?: string}} call
   */
  async check(call) {
    const { cluster, project } = call;
    let known;
    try {
      known = this.known(call);
    } catch {
      known = undefined;
    }
    let functionId = functionIdOf(known, call);
    const ident = () => ({ ...call, ...(functionId ? { functionId } : {}) });
    let dialog = null;
    let over = false;
    const deciding = this.#decide(call, functionId, {
      onId: (id) => {
        functionId = id;
        dialog?.update({ ident: ident() });
      },
      onProgress: (answer) => {
        if (!(dialog?.what.state?.status === 'ready' && answer.state?.status === 'loading')) dialog?.update({ state: answer.state, threshold: answer.threshold, ident: ident() });
      },
      stopped: () => over,
    });
    const showAfter = known?.status === 'ready' ? this.showReadyAfterMs : this.showAfterMs;
    let answer = await Promise.race([deciding, sleep(showAfter).then(() => null)]);
    if (answer?.gate === false) return { allow: true, functionId };
    let autoAllowed = false;
    if (answer) {
      dialog = showGate(this.doc, { state: answer.state, ident: ident(), threshold: answer.threshold });
    } else {
      // The badge's report when it has one (the analysis is done; the
      // background is confirming the code is unchanged), else unknown.
      const early = known?.status === 'ready' ? known : checkingState(known);
      dialog = showGate(this.doc, { state: early, ident: ident(), provisional: true });
      deciding.then((a) => {
        answer = a;
        if (a.gate === false) {
          autoAllowed = !dialog.answered;
          dialog.close(true);
        } else {
          dialog.update({ state: a.state, threshold: a.threshold, ident: ident(), provisional: false });
        }
      });
    }
    const allow = await dialog.result;
    over = true;
    if (allow && functionId && !autoAllowed) {
      try {
        await this.send({ type: MSG.APPROVE, cluster, project, functionId, codeHash: answer?.state?.codeHash });
      } catch {
        // The approval is only a convenience; the user's answer stands for this call.
      }
    }
    return { allow, functionId };
  }

  /**
   * The background's decision: {gate, threshold, state}. Resolves a name to
   * an id first (onId) when the page gave none; asks GATE again while the
   * answer is "loading" (each question waits a bounded time in the
   * background, joined to the one running analysis) until checkMaxMs, then
   * gives up as not analysed (timeout) — never as safe.
   */
  async #decide(call, functionId, { onId, onProgress, stopped }) {
    const { cluster, project } = call;
    let answer;
    try {
      if (!functionId && call.functionName) {
        const st = await this.send({ type: MSG.STATE, cluster, project, functionName: call.functionName });
        functionId = functionIdOf(st);
        if (!functionId) {
          const state = st && typeof st === 'object' && st.status && st.status !== 'ready' ? st : unansweredState('Preflight could not find this function.');
          return { gate: true, state };
        }
        onId(functionId);
      }
      if (!functionId) {
        return { gate: true, state: unansweredState('Preflight could not identify this function, so it was not checked.') };
      }
      const started = this.now();
      const ask = () => this.send({ type: MSG.GATE, cluster, project, functionId });
      answer = await ask();
      while (answer?.state?.status === 'loading' && !stopped()) {
        if (this.now() - started >= this.checkMaxMs) {
          const { function: fn, permission } = answer.state;
          answer = { ...answer, gate: true, state: { ...localTimeout(), ...(fn ? { function: fn } : {}), ...(permission ? { permission } : {}) } };
          break;
        }
        onProgress(answer);
        await sleep(this.pollMs);
        answer = await ask();
      }
    } catch {
      return { gate: true, state: unansweredState('The Preflight extension did not answer, so this function was not checked.') };
    }
    if (!answer || typeof answer !== 'object') {
      return { gate: true, state: unansweredState('Preflight could not identify this function, so it was not checked.') };
    }
    if (answer.gate === false) return answer;
    return { ...answer, gate: true, state: answer.state ?? unansweredState('Preflight has no analysis of this function.') };
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
