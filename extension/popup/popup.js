// The popup's wiring: find the active tab, ask the background for its
// TabState (MSG.TAB, the popup's only source of state), render it with
// render.js, and ask again while functions are still being checked.

import { MSG, send } from '../lib/protocol.js';
import { isBusy, renderTab } from './render.js';

const api = globalThis.browser ?? globalThis.chrome;

/** How often the popup re-asks while something is loading or stale. */
const POLL_MS = 1000;

const main = document.getElementById('content');
const status = document.getElementById('status');
let tabId = null;
let timer = null;

/** Asks the background about the tab and renders the answer. */
async function refresh() {
  clearTimeout(timer);
  let tab = null;
  if (tabId != null) {
    try {
      tab = await send({ type: MSG.TAB, tabId });
    } catch {
      tab = null; // no background answer: show "not a Fusion tab", never a safe state
    }
  }
  show(tab);
  if (isBusy(tab)) timer = setTimeout(refresh, POLL_MS);
}

/** Replaces the popup's content, keeping open entries open across refreshes. */
function show(tab) {
  const open = new Set([...main.querySelectorAll('details[open]')].map(key));
  main.replaceChildren(renderTab(document, tab, { onAllowHost: allowHost }));
  for (const d of main.querySelectorAll('details')) {
    if (open.has(key(d))) d.open = true;
  }
  status.textContent = isBusy(tab) ? 'Checking…' : '';
}

function key(details) {
  return `${details.className}:${details.dataset.functionId ?? ''}`;
}

/**
 * "Allow downloads from <host>": permissions.request must run inside the
 * click (a user gesture), so nothing is awaited before it.
 */
function allowHost(host) {
  const request = api.permissions.request({ origins: [`https://${host}/*`] });
  Promise.resolve(request)
    .then((granted) => {
      status.textContent = granted ? `Allowed downloads from ${host}. Checking again…` : `Not allowed: ${host}`;
      return refresh();
    })
    .catch((err) => {
      status.textContent = `Could not ask for ${host}: ${err?.message ?? err}`;
    });
}

/**
 * The tab to show: ?tabId=N when the popup is opened as a page for a given
 * tab (the background accepts that from extension pages only), else the
 * active tab of the current window.
 */
async function targetTab() {
  const param = new URLSearchParams(location.search).get('tabId');
  if (param !== null && /^\d{1,9}$/.test(param)) return Number(param);
  try {
    const [active] = await api.tabs.query({ active: true, currentWindow: true });
    return active?.id ?? null;
  } catch {
    return null;
  }
}

async function start() {
  document.getElementById('open-options').addEventListener('click', () => api.runtime.openOptionsPage());
  tabId = await targetTab();
  await refresh();
}

start();
