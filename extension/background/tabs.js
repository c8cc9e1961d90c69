// What each tab showed: its cluster and project, the functions its content
// script asked about (their latest FunctionState), the user's permission
// level there and the download hosts waiting for a permission — the popup's
// view (TabState in lib/protocol.js).

const MAX_FUNCTIONS_PER_TAB = 200;

export function createTabs() {
  /** tabId → {cluster, project, functions: Map(key → FunctionState), permission, storageHosts: Set} */
  const tabs = new Map();

  function tab(tabId) {
    let t = tabs.get(tabId);
    if (!t) tabs.set(tabId, (t = { functions: new Map(), storageHosts: new Set() }));
    return t;
  }

  return {
    /** Notes the tab's cluster and project (from the content script's latest question). */
    visit(tabId, cluster, project) {
      const t = tab(tabId);
      if (t.project !== project || t.cluster !== cluster) {
        t.functions.clear();
        t.permission = undefined;
      }
      t.cluster = cluster;
      t.project = project;
    },

    /** Records the latest state of function key in the tab. */
    record(tabId, key, state) {
      const t = tab(tabId);
      t.functions.delete(key);
      t.functions.set(key, state);
      if (t.functions.size > MAX_FUNCTIONS_PER_TAB) t.functions.delete(t.functions.keys().next().value);
      if (state.permission) t.permission = state.permission;
      if (state.reasonCode === 'storage-permission' && state.storageOrigin) t.storageHosts.add(state.storageOrigin);
    },

    /** Updates function key in every tab that showed it (an analysis finished). */
    update(key, state) {
      for (const t of tabs.values()) {
        if (t.functions.has(key)) t.functions.set(key, state);
      }
    },

    /** Forgets download hosts the user granted. */
    granted(origins) {
      for (const t of tabs.values()) {
        for (const o of origins) t.storageHosts.delete(o);
      }
    },

    /** The TabState of tabId (tokenSeen supplied by the caller). */
    view(tabId, tokenSeen) {
      const t = tabs.get(tabId);
      return {
        ...(t?.cluster ? { cluster: t.cluster } : {}),
        ...(t?.project ? { project: t.project } : {}),
        tokenSeen: Boolean(tokenSeen),
        ...(t?.permission ? { permission: t.permission } : {}),
        functions: t ? [...t.functions.values()].map(publicState) : [],
        storageHosts: t ? [...t.storageHosts] : [],
      };
    },

    /** Forgets a closed tab. */
    drop(tabId) {
      tabs.delete(tabId);
    },
  };
}

/** A FunctionState without background-only fields. */
export function publicState(state) {
  const { storageOrigin, ...rest } = state;
  return rest;
}
