// The user's CDF token, taken from the Fusion page's own requests to the
// cluster and kept in memory only: per tab, under the exact host it was sent
// to. Never stored, never logged; forgotten when the tab closes or the API
// answers 401 to it.

/** The request filter: every HTTPS request to a CDF cluster. */
export const TOKEN_URLS = ['https://*.cognitedata.com/*'];

/** Whether host is a Fusion host (where the page that sent a token must live). */
export function isFusionHost(host) {
  return host === 'fusion.cognite.com' || host.endsWith('.fusion.cognite.com');
}

/** Whether host is a CDF API host the extension may send a token to. */
export function isClusterHost(host) {
  return typeof host === 'string' && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.cognitedata\.com$/.test(host);
}

export function createTokenStore() {
  /** tabId → Map(host → token) */
  const byTab = new Map();
  /** tabId → the last cluster host the page called with a token */
  const lastHost = new Map();
  /** waiters for a token: {tabId, host, resolve} */
  const waiters = new Set();

  function record(tabId, host, token) {
    let hosts = byTab.get(tabId);
    if (!hosts) byTab.set(tabId, (hosts = new Map()));
    hosts.set(host, token);
    lastHost.set(tabId, host);
    for (const w of waiters) {
      if (w.tabId === tabId && (w.host === host || !w.host)) w.resolve();
    }
  }

  return {
    /**
     * webRequest.onBeforeSendHeaders listener: keeps the Bearer token of a
     * page request (tabId >= 0) to /api/v1/ on a cluster host, sent from a
     * Fusion page. Requests of the extension itself have tabId -1.
     */
    onBeforeSendHeaders(details) {
      if (!(details.tabId >= 0)) return;
      let url;
      try {
        url = new URL(details.url);
      } catch {
        return;
      }
      if (url.protocol !== 'https:' || url.port !== '' || !isClusterHost(url.hostname)) return;
      if (!url.pathname.startsWith('/api/v1/')) return;
      const from = details.initiator ?? details.documentUrl ?? details.originUrl;
      if (from) {
        let fromHost;
        try {
          fromHost = new URL(from).hostname;
        } catch {
          return;
        }
        if (!isFusionHost(fromHost)) return;
      }
      const header = details.requestHeaders?.find((h) => h.name.toLowerCase() === 'authorization');
      const m = /^Bearer\s+(\S+)$/.exec(header?.value ?? '');
      if (m) record(details.tabId, url.hostname, m[1]);
    },

    /** The token the tab sent to host, or undefined. */
    get(tabId, host) {
      return byTab.get(tabId)?.get(host);
    },

    /** The cluster host the tab last called with a token. */
    lastHost(tabId) {
      return lastHost.get(tabId);
    },

    /** Whether the tab has sent any token (host optional). */
    seen(tabId, host) {
      const hosts = byTab.get(tabId);
      return host ? Boolean(hosts?.has(host)) : Boolean(hosts?.size);
    },

    /** Resolves when the tab sends a token to host (any host when omitted), or after ms. */
    waitFor(tabId, host, ms) {
      if (host ? this.get(tabId, host) : byTab.get(tabId)?.size) return Promise.resolve();
      return new Promise((resolve) => {
        const w = { tabId, host, resolve: () => { clearTimeout(timer); waiters.delete(w); resolve(); } };
        const timer = setTimeout(w.resolve, ms);
        waiters.add(w);
      });
    },

    /** Forgets token if it is still the one held for (tabId, host) — after a 401. */
    drop(tabId, host, token) {
      const hosts = byTab.get(tabId);
      if (hosts?.get(host) === token) hosts.delete(host);
    },

    /** Forgets every token of a closed tab. */
    dropTab(tabId) {
      byTab.delete(tabId);
      lastHost.delete(tabId);
    },
  };
}

/**
 * The extraInfoSpec for onBeforeSendHeaders: 'requestHeaders', plus
 * 'extraHeaders' where the browser defines it (Chrome; Firefox rejects it).
 */
export function headerOptions(webRequest) {
  const extra = webRequest?.OnBeforeSendHeadersOptions?.EXTRA_HEADERS;
  return extra ? ['requestHeaders', extra] : ['requestHeaders'];
}
