// The content script: wires detection, badges, the click gate and the page
// hook's bridge together on a Fusion tab. Loaded by loader.js as a module.

import { send as sendToBackground } from '../lib/protocol.js';
import { BadgeSet } from './badge.js';
import { startBridge } from './bridge.js';
import { findRunControls, identifyFunction, identityKey, pageContext } from './detect.js';
import { Gatekeeper, installClickGate } from './gate.js';
import { observePage } from './observe.js';
import { FunctionStates, localState } from './states.js';

const UNIDENTIFIED = localState('not-found', 'Preflight could not tell which function this control runs.');

/**
 * Starts Preflight on a page. Returns a function that stops it (tests).
 * @param {Window} win
 * @param {(msg: object) => Promise<any>} send
 */
export function start(win, send = sendToBackground) {
  const doc = win.document;
  // Leftovers of an earlier instance (the extension was reloaded) go first.
  for (const el of doc.querySelectorAll('[data-preflight="badge"], [data-preflight="gate"]')) el.remove();

  const badges = new BadgeSet();
  const states = new FunctionStates(send, (key, state) => {
    for (const b of badges.withKey(key)) b.render(state);
  });
  // What a badge already knows of a function (its id when the page shows
  // only its name, or its failure): the gate starts from it.
  const known = (ident) => {
    for (const key of [ident.functionId && identityKey({ functionId: ident.functionId }), ident.functionName && identityKey({ functionName: ident.functionName })]) {
      const st = key ? states.get(key) : undefined;
      if (st) return st;
    }
    return ident.functionId ? states.byFunctionId(ident.functionId) : undefined;
  };
  const keeper = new Gatekeeper(doc, send, { known });
  const context = () => pageContext(win.location);

  const scan = ({ urlChanged } = {}) => {
    const ctx = context();
    if (urlChanged) {
      states.clear();
      for (const b of badges.all()) b.key = undefined;
    }
    badges.prune();
    if (!ctx.onFunctionsPage) {
      badges.removeAll();
      return;
    }
    for (const control of findRunControls(doc)) {
      const ident = identifyFunction(control, ctx);
      const key = identityKey(ident);
      const b = badges.attach(control);
      if (b.key === key) continue;
      b.key = key;
      b.ident = ident;
      if (!key) {
        b.render(UNIDENTIFIED);
        continue;
      }
      b.render(states.get(key));
      states.request(key, ident, ctx);
    }
  };

  const stopGate = installClickGate(win, keeper, context);
  const stopBridge = startBridge(win, keeper);
  const stopObserving = observePage(win, scan);
  scan();
  return () => {
    stopObserving();
    stopBridge();
    stopGate();
    states.clear();
    badges.removeAll();
  };
}

const api = globalThis.browser ?? globalThis.chrome;
if (api?.runtime?.id && typeof window !== 'undefined') start(window);
