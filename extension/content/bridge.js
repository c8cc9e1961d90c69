// The content-script end of the page hook's channel (page/hook.js,
// protocol.js HOOK): the hook holds POST …/functions/{id}/call and asks
// here; the gatekeeper asks the background (GATE) and, when the call must be
// confirmed, shows the gate dialog. The answer goes back as a decision.
//
// Messages are accepted only from this window and origin, with every field
// checked; anything malformed is ignored (the hook then keeps the call held
// or falls back to asking the user itself — never lets it through).

import { HOOK } from '../lib/protocol.js';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const HOST = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::\d{1,5})?$/i;

/** The hook's call message, validated; null when it is not one. */
export function parseHookCall(data) {
  if (!data || typeof data !== 'object' || data.source !== HOOK.SOURCE_PAGE || data.kind !== 'call') return null;
  const { id, url, functionId, project, cluster } = data;
  if (typeof id !== 'string' || !ID.test(id)) return null;
  if (typeof url !== 'string' || url.length > 4096) return null;
  if (typeof project !== 'string' || project.length === 0 || project.length > 256) return null;
  if (typeof cluster !== 'string' || !HOST.test(cluster)) return null;
  if (functionId !== null && functionId !== undefined && !(Number.isSafeInteger(functionId) && functionId > 0)) return null;
  return { id, url, functionId: functionId ?? undefined, project, cluster: cluster.toLowerCase() };
}

/**
 * Starts answering the page hook and tells it the content script is ready.
 * Returns a function that stops listening.
 * @param {Window} win
 * @param {import('./gate.js').Gatekeeper} keeper
 */
export function startBridge(win, keeper) {
  const origin = win.location.origin;
  const answer = (id, allow) => win.postMessage({ source: HOOK.SOURCE_CONTENT, kind: 'decision', id, allow }, origin);

  const onMessage = (event) => {
    if (event.source !== win || event.origin !== origin) return;
    const call = parseHookCall(event.data);
    if (!call) return;
    if (keeper.takeOnce(call.functionId)) {
      answer(call.id, true);
      return;
    }
    keeper
      .check({ cluster: call.cluster, project: call.project, functionId: call.functionId })
      .then(({ allow }) => answer(call.id, allow === true))
      .catch(() => answer(call.id, false));
  };
  win.addEventListener('message', onMessage);
  win.postMessage({ source: HOOK.SOURCE_CONTENT, kind: 'ready' }, origin);
  return () => win.removeEventListener('message', onMessage);
}
