// The badge beside a Run/Call control and the panel it opens.
//
// DOM contract (t6-contract.md, "Badge"): span[data-preflight="badge"] is
// the control's next sibling, with data-function-id, data-status,
// data-level (unknown unless ready) and data-reason-code (not-analysed
// only); an open shadow root holds button[part="badge"] whose text is
// levels.badgeText(state), and [part="panel"][role="dialog"] with the top
// findings, the permission level and needed vs held. Styles live in the
// shadow root only; all CDF strings are set as text.

import { badgeText, riskLabel } from '../lib/levels.js';
import { h, replaceChildren, shadowWithStyle } from './dom.js';
import { functionIdOf, functionTitle, levelOf, neededVsHeld, permissionSummary, riskSentence, sortedFindings, topFindings } from './explain.js';

const CSS = `
:host { all: initial; display: inline-block; position: relative; vertical-align: middle; margin-inline-start: 6px;
  box-sizing: border-box; min-width: 0; max-width: max-content; max-height: max-content; flex: 1 1 0;
  font: 12px/1.3 system-ui, -apple-system, "Segoe UI", sans-serif; --bg: #6b7280; --fg: #fff; }
:host([data-level="none"]) { --bg: #15803d; }
:host([data-level="low"]), :host([data-level="medium"]) { --bg: #b45309; }
:host([data-level="high"]) { --bg: #c2410c; }
:host([data-level="critical"]) { --bg: #b91c1c; }
:host([data-level="unknown"]) { --bg: #4b5563; }
[part="badge"] { all: unset; box-sizing: border-box; cursor: pointer; display: block; width: 100%; min-width: 0; max-width: 28em;
  padding: 2px 8px; border-radius: 999px; background: var(--bg); color: var(--fg); font: inherit; font-weight: 600;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
[part="badge"]:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 2px; }
:host([data-status="not-analysed"]) [part="badge"]::before, :host([data-status="no-token"]) [part="badge"]::before { content: "⚠"; }
:host([data-status="loading"]) [part="badge"]::before { content: "…"; }
[part="badge"]::before { margin-inline-end: 4px; }
[part="panel"] { position: fixed; z-index: 2147483646; box-sizing: border-box; width: min(34em, calc(100vw - 16px));
  max-height: min(30em, calc(100vh - 16px)); overflow: auto; padding: 10px 12px; border-radius: 6px;
  border: 1px solid #d1d5db; border-top: 4px solid var(--bg); background: #fff; color: #111827;
  box-shadow: 0 6px 24px rgba(0,0,0,.2); white-space: normal; text-align: start; }
[part="panel"][popover] { inset: auto; margin: 0; height: auto; }
[part="panel"][hidden] { display: none; }
[part="panel"]:focus { outline: none; }
h2 { font-size: 13px; margin: 0 0 4px; }
h3 { font-size: 12px; margin: 8px 0 2px; color: #374151; }
p { margin: 2px 0; }
ul { margin: 2px 0; padding-inline-start: 18px; }
li { margin: 1px 0; overflow-wrap: anywhere; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 10px; color: #6b7280; margin-inline-start: 4px; }
.muted { color: #6b7280; }
`;

/** One badge: a host span beside a control, its shadow button and panel. */
export class Badge {
  /**
   * @param {Element} control the Run/Call control
   */
  constructor(control) {
    const doc = control.ownerDocument;
    this.control = control;
    /** @type {string|null|undefined} identity key (detect.identityKey); undefined until identified */
    this.key = undefined;
    /** @type {{functionId?: number, functionName?: string}} */
    this.ident = {};
    this.state = undefined;
    this.host = h(doc, 'span', { 'data-preflight': 'badge', 'data-status': 'loading', 'data-level': 'unknown' });
    const root = shadowWithStyle(this.host, CSS);
    this.button = h(doc, 'button', { type: 'button', part: 'badge', 'aria-expanded': 'false', 'aria-haspopup': 'dialog' });
    // The panel is an overlay: fixed, and in the top layer where the browser
    // has popovers, so no transform or overflow of Fusion's cards clips it
    // and opening it never moves the page.
    this.panel = h(doc, 'div', { part: 'panel', role: 'dialog', tabindex: '-1', hidden: true });
    if (typeof this.panel.showPopover === 'function') this.panel.setAttribute('popover', 'manual');
    root.append(this.button, this.panel);

    this.button.addEventListener('click', () => (this.isOpen() ? this.close() : this.open()));
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.isOpen()) {
        e.preventDefault();
        this.close();
      }
    });
    this.onOutside = (e) => {
      if (!e.composedPath().includes(this.host)) this.close(false);
    };
    // The badge sits inside Fusion's rows: its clicks and keys must not reach
    // them (expanding a row, a shortcut). They stop at the host.
    for (const type of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'keydown', 'keyup', 'keypress']) {
      this.host.addEventListener(type, (e) => e.stopPropagation());
    }
    this.render(undefined);
  }

  /** Puts the host right after the control (again, if a re-render moved it). */
  place() {
    if (this.control.nextSibling !== this.host) this.control.after(this.host);
  }

  isOpen() {
    return !this.panel.hidden;
  }

  open() {
    this.panel.hidden = false;
    if (this.panel.hasAttribute('popover')) {
      try {
        this.panel.showPopover();
      } catch {
        // Already shown, or the host left the page: the fixed panel still shows.
      }
    }
    this.button.setAttribute('aria-expanded', 'true');
    const r = this.button.getBoundingClientRect();
    const win = this.host.ownerDocument.defaultView;
    const top = r.bottom + 4 + 300 > win.innerHeight && r.top > 320 ? Math.max(8, r.top - 4 - 300) : r.bottom + 4;
    this.panel.style.top = `${Math.round(top)}px`;
    this.panel.style.left = `${Math.round(Math.max(8, Math.min(r.left, win.innerWidth - 8 - 34 * 12)))}px`;
    this.panel.focus();
    this.host.ownerDocument.addEventListener('click', this.onOutside, true);
  }

  /** Closes the panel; focus goes back to the badge unless the user clicked elsewhere. */
  close(refocus = true) {
    if (!this.isOpen()) return;
    this.panel.hidden = true;
    if (this.panel.hasAttribute('popover')) {
      try {
        this.panel.hidePopover();
      } catch {
        // Not shown as a popover.
      }
    }
    this.button.setAttribute('aria-expanded', 'false');
    this.host.ownerDocument.removeEventListener('click', this.onOutside, true);
    if (refocus) this.button.focus();
  }

  /** Removes the badge from the page. */
  remove() {
    this.close(false);
    this.host.remove();
  }

  /**
   * Shows a FunctionState (undefined: not asked yet = loading).
   * @param {object|undefined} state
   */
  render(state) {
    this.state = state;
    const status = state?.status ?? 'loading';
    const level = levelOf(state);
    // The id the page shows wins; else the one the background resolved.
    const id = functionIdOf(state, this.ident);
    setAttr(this.host, 'data-function-id', id === undefined ? null : String(id));
    this.host.setAttribute('data-status', status);
    this.host.setAttribute('data-level', level);
    setAttr(this.host, 'data-reason-code', status === 'not-analysed' ? String(state.reasonCode ?? 'unknown') : null);

    const text = badgeText(state);
    this.button.textContent = text;
    this.button.setAttribute('aria-label', text.startsWith('Preflight:') ? text : `Preflight: ${text}`);
    this.button.title = text; // the whole line when a narrow column cuts it short
    this.renderPanel(state, level);
  }

  renderPanel(state, level) {
    const doc = this.host.ownerDocument;
    const name = functionTitle(state, this.ident);
    this.panel.setAttribute('aria-label', `Preflight: ${name}`);
    const parts = [
      h(doc, 'h2', null, `${riskLabel(level)} — ${name}`),
      h(doc, 'p', null, riskSentence(state)),
    ];
    if (state?.stale) parts.push(h(doc, 'p', { class: 'muted' }, staleNote(state)));

    const all = sortedFindings(state);
    if (state?.status === 'ready') {
      parts.push(h(doc, 'h3', null, all.length ? 'Top findings' : 'Findings'));
      if (all.length === 0) parts.push(h(doc, 'p', null, 'No findings.'));
      else {
        parts.push(h(doc, 'ul', null, topFindings(state, 5).map((f) => h(doc, 'li', null, f.line, h(doc, 'span', { class: 'sev' }, f.severity)))));
        if (all.length > 5) parts.push(h(doc, 'p', { class: 'muted' }, `and ${all.length - 5} more — see the Preflight popup.`));
      }
    }

    const perm = permissionSummary(state);
    if (perm) {
      parts.push(h(doc, 'h3', null, 'Your permission level'), h(doc, 'p', null, perm.label));
      if (perm.explanation) parts.push(h(doc, 'p', null, perm.explanation));
      if (perm.reasons.length) parts.push(h(doc, 'ul', null, perm.reasons.map((r) => h(doc, 'li', null, r))));
    }

    const nh = neededVsHeld(state);
    if (nh) {
      parts.push(h(doc, 'h3', null, 'Needed vs held'));
      parts.push(h(doc, 'p', null, `Needed by the code: ${nh.needed.length ? nh.needed.join(', ') : 'no CDF capabilities found'}`));
      if (nh.missing.length) parts.push(h(doc, 'p', null, `You lack: ${nh.missing.join(', ')}`));
      if (nh.excess.length) parts.push(h(doc, 'p', null, `Held but not needed (the code runs with them): ${nh.excess.join(', ')}`));
      if (nh.limited.length) parts.push(h(doc, 'p', null, `Held only in some scopes: ${nh.limited.join(', ')}`));
    }
    replaceChildren(this.panel, parts);
  }
}

function setAttr(el, name, value) {
  if (value === null || value === undefined) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/**
 * Every badge on the page, one per control: a WeakMap from control to badge
 * (a re-rendered control is a new element and gets a new badge) and the set
 * of live badges to prune when their control leaves the DOM.
 */
export class BadgeSet {
  #byControl = new WeakMap();
  #live = new Set();

  /** The control's badge, created and placed when missing. */
  attach(control) {
    let b = this.#byControl.get(control);
    if (!b) {
      b = new Badge(control);
      this.#byControl.set(control, b);
      this.#live.add(b);
    }
    b.place();
    return b;
  }

  /** Removes badges whose control is gone; puts back ones a re-render displaced. */
  prune() {
    for (const b of this.#live) {
      if (!b.control.isConnected) {
        b.remove();
        this.#live.delete(b);
      } else if (b.control.nextSibling !== b.host) {
        b.place();
      }
    }
  }

  /** The live badges showing the function with this identity key. */
  withKey(key) {
    return [...this.#live].filter((b) => b.key === key);
  }

  /** Removes every badge (left the Functions pages). */
  removeAll() {
    for (const b of this.#live) b.remove();
    this.#live.clear();
  }

  /** Every live badge. */
  all() {
    return [...this.#live];
  }
}

/** Why a report is being checked again (FunctionState.stale). */
export function staleNote(state) {
  return state.provisional
    ? "Checked without your organisation's policy yet (the browser has not given it to Preflight); checking again."
    : 'The code changed since this report; it is being checked again.';
}
