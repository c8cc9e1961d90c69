// The background entry: a module service worker in Chrome, a module
// background script in Firefox. Every listener is registered synchronously
// here, at top level, so an event that wakes the worker finds it. The engine
// loads when a Fusion tab is first seen calling CDF with a token (before its
// run controls render), not at every wake-up: a worker woken by an unrelated
// event (a tab closing) does not pay for it.

import '../engine/wasm_exec.js'; // sets globalThis.Go (copied in by make extension)
import { createEngine } from './engine.js';
import { createService } from './service.js';
import { TOKEN_URLS, headerOptions } from './tokens.js';

const api = globalThis.browser ?? globalThis.chrome;
const engine = createEngine();
const service = createService({ api, engine });

api.webRequest.onBeforeSendHeaders.addListener(
  (details) => {
    service.tokens.onBeforeSendHeaders(details);
    // A Fusion tab called CDF with a token: badges will follow, so the
    // engine starts loading now rather than at the first analysis.
    if (details.tabId >= 0 && service.tokens.seen(details.tabId)) engine.warm().catch(() => {});
  },
  { urls: TOKEN_URLS },
  headerOptions(api.webRequest),
);

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const answer = service.handle(msg, sender);
  if (!answer) return false;
  answer.then(sendResponse, (err) => sendResponse({ error: String(err?.message ?? err) }));
  return true; // the answer comes asynchronously
});

api.tabs.onRemoved.addListener((tabId) => service.onTabRemoved(tabId));
api.storage.onChanged.addListener((changes, area) => service.onStorageChanged(changes, area));
api.permissions?.onAdded?.addListener((perms) => service.onPermissionsAdded(perms));
