// The background entry: a module service worker in Chrome, a module
// background script in Firefox. Every listener is registered synchronously
// here, at top level, so an event that wakes the worker finds it; the engine
// loads lazily on the first question.

import '../engine/wasm_exec.js'; // sets globalThis.Go (copied in by make extension)
import { createEngine } from './engine.js';
import { createService } from './service.js';
import { TOKEN_URLS, headerOptions } from './tokens.js';

const api = globalThis.browser ?? globalThis.chrome;
const service = createService({ api, engine: createEngine() });

api.webRequest.onBeforeSendHeaders.addListener(
  (details) => { service.tokens.onBeforeSendHeaders(details); },
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
