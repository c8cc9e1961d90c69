// The sandbox Fusion: a small single-page app that behaves like Cognite Data
// Fusion's Functions app (list, run controls, call dialog, client-side routes,
// re-renders on a 5 s poll) in three layouts, for Preflight's browser tests
// and demo. Every string from the API is untrusted: it is only ever set as
// textContent or an attribute/property value, never parsed as HTML.
'use strict';

(() => {
  const PERSONAS = ['admin', 'standard', 'readonly'];
  const VARIANTS = ['classic', 'modern', 'compact'];
  const params = new URLSearchParams(location.search);

  // ?persona, ?variant, ?cluster and ?poll are kept in sessionStorage, so they
  // survive client-side navigation and reloads without the query.
  function setting(name, ok, fallback) {
    const key = 'sandbox.' + name;
    const v = params.get(name);
    if (v !== null && ok(v)) sessionStorage.setItem(key, v);
    const kept = sessionStorage.getItem(key);
    return kept !== null && ok(kept) ? kept : fallback;
  }
  const persona = setting('persona', (v) => PERSONAS.includes(v), 'admin');
  const variant = setting('variant', (v) => VARIANTS.includes(v), 'classic');
  const cluster = setting('cluster', (v) => /^[a-z0-9.-]+(:\d+)?$/i.test(v), 'westeurope-1.cognitedata.com');
  const pollSeconds = Number(setting('poll', (v) => /^\d+$/.test(v), '5'));

  const state = {
    token: null,
    project: '',
    detailId: null, // a function id on /<project>/functions/<id>
    functions: null, // null while loading
    loadError: '',
    expanded: new Set(), // classic: expanded row ids
    renders: 0,
  };

  // el builds an element; children are nodes or strings (as text).
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'disabled' || k === 'readOnly') node[k] = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }

  function icon(kind) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 16 16');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const path = document.createElementNS(ns, 'path');
    const d = {
      play: 'M4 2.5v11l9-5.5z',
      chevron: 'M6 3l5 5-5 5',
      functions: 'M3 2h10v2H5v3h6v2H5v5H3z',
    }[kind];
    path.setAttribute('d', d);
    path.setAttribute('fill', kind === 'chevron' ? 'none' : 'currentColor');
    if (kind === 'chevron') {
      path.setAttribute('stroke', 'currentColor');
      path.setAttribute('stroke-width', '2');
    }
    svg.append(path);
    return svg;
  }

  // ---- routes ----

  function parseRoute() {
    const seg = location.pathname.split('/').filter(Boolean).map((s) => {
      try { return decodeURIComponent(s); } catch { return s; }
    });
    state.project = seg[0] || '';
    state.detailId = seg[1] === 'functions' && /^\d+$/.test(seg[2] || '') ? Number(seg[2]) : null;
  }

  function functionsPath(id) {
    const base = '/' + encodeURIComponent(state.project) + '/functions';
    return (id === undefined ? base : base + '/' + id) + '?cluster=' + encodeURIComponent(cluster);
  }

  function navigate(path) {
    const target = path.includes('?') ? path : path + location.search;
    const before = state.project;
    history.pushState(null, '', target);
    parseRoute();
    if (state.project !== before) {
      state.functions = null;
      renderShell();
      load();
    } else {
      renderView();
    }
  }

  function link(href, text, attrs = {}) {
    return el('a', {
      href,
      ...attrs,
      onclick: (e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      },
    }, text);
  }

  // ---- API ----

  function apiURL(path) {
    return 'https://' + cluster + '/api/v1/projects/' + encodeURIComponent(state.project) + path;
  }

  async function errorMessage(res) {
    try {
      const body = await res.json();
      if (body && body.error && typeof body.error.message === 'string') return body.error.message;
    } catch { /* not JSON */ }
    return 'HTTP ' + res.status;
  }

  async function api(method, path, body) {
    const res = await fetch(apiURL(path), {
      method,
      headers: { Authorization: 'Bearer ' + state.token, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(await errorMessage(res));
    return res.json();
  }

  function apiXHR(method, path, body) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open(method, apiURL(path));
      x.setRequestHeader('Authorization', 'Bearer ' + state.token);
      x.setRequestHeader('Content-Type', 'application/json');
      x.onload = () => {
        let parsed = null;
        try { parsed = JSON.parse(x.responseText); } catch { /* not JSON */ }
        if (x.status >= 200 && x.status < 300) resolve(parsed);
        else reject(new Error(parsed && parsed.error && typeof parsed.error.message === 'string' ? parsed.error.message : 'HTTP ' + x.status));
      };
      x.onerror = () => reject(new Error('network error'));
      x.onabort = () => reject(new Error('request aborted'));
      x.send(body === undefined ? null : JSON.stringify(body));
    });
  }

  let signedIn = null;
  function signIn() {
    signedIn ??= (async () => {
      const res = await fetch('/_sandbox/signin', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ persona }),
      });
      if (!res.ok) throw new Error('sign-in failed: ' + (await errorMessage(res)));
      state.token = (await res.json()).token;
    })();
    return signedIn;
  }

  async function loadFunctions() {
    const items = [];
    let cursor;
    do {
      const page = await api('POST', '/functions/list', cursor ? { limit: 100, cursor } : { limit: 100 });
      items.push(...(page.items || []));
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  async function load() {
    const project = state.project;
    try {
      await signIn();
      const items = await loadFunctions();
      if (project !== state.project) return;
      state.functions = items;
      state.loadError = '';
    } catch (e) {
      if (project !== state.project) return;
      state.loadError = String(e && e.message ? e.message : e);
    }
    renderView();
  }

  // ---- calling a function ----

  function setCallStatus(text) {
    const box = document.querySelector('[data-testid="call-status"]');
    if (box) box.textContent = text;
  }

  // callFunction runs Fusion's call sequence: a session (token exchange),
  // the call with its nonce, then polling the call until it finishes. It
  // resolves to the status text it shows.
  async function callFunction(id, data, transport) {
    const send = transport === 'xhr' ? apiXHR : api;
    let text;
    try {
      await signIn();
      setCallStatus('Calling…');
      const session = await send('POST', '/sessions', { items: [{ tokenExchange: true }] });
      const nonce = session && session.items && session.items[0] && session.items[0].nonce;
      if (!nonce) throw new Error('no session nonce');
      const call = await send('POST', '/functions/' + id + '/call', { data, nonce });
      if (!call || typeof call.id !== 'number') throw new Error('no call id in the answer');
      setCallStatus('Running (call ' + call.id + ')');
      let status = call.status;
      for (let i = 0; i < 40 && status === 'Running'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await send('GET', '/functions/' + id + '/calls/' + call.id)).status;
      }
      text = status === 'Completed' ? 'Completed (call ' + call.id + ')' : 'Call failed: status ' + status;
    } catch (e) {
      text = 'Call failed: ' + (e && e.message ? e.message : String(e));
    }
    setCallStatus(text);
    return text;
  }

  // parseInput accepts empty input (no data) or a JSON object.
  function parseInput(text) {
    if (text.trim() === '') return { ok: true, data: {} };
    let v;
    try { v = JSON.parse(text); } catch (e) { return { ok: false, error: 'Input data must be valid JSON: ' + e.message }; }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: 'Input data must be a JSON object' };
    return { ok: true, data: v };
  }

  // ---- the call dialog ----

  let openDialog = null;

  function closeDialog() {
    if (!openDialog) return;
    const { backdrop, opener } = openDialog;
    openDialog = null;
    backdrop.remove();
    document.removeEventListener('keydown', onDialogKey, true);
    if (opener && opener.isConnected) opener.focus();
  }

  function onDialogKey(e) {
    if (e.key === 'Escape' && openDialog) {
      e.stopPropagation();
      closeDialog();
    }
  }

  function showCallDialog(fn, opener) {
    closeDialog();
    const name = String(fn.name ?? '');
    const texts = {
      classic: { title: 'Call function', ok: 'Call', input: 'Input data' },
      modern: { title: 'Run ' + name, ok: 'Run', input: 'Input (JSON)' },
      compact: { title: 'Call function: ' + name, ok: 'Call function', input: 'Input data (JSON object)' },
    }[variant];
    const titleId = 'dlg-title-' + (++state.renders);
    const inputId = 'dlg-input-' + state.renders;
    const error = el('p', { class: 'field-error', role: 'alert' });
    const textarea = el('textarea', { id: inputId, rows: 6, spellcheck: 'false', placeholder: '{"key": "value"}' });
    const submit = () => {
      const parsed = parseInput(textarea.value);
      if (!parsed.ok) {
        error.textContent = parsed.error;
        textarea.setAttribute('aria-invalid', 'true');
        textarea.focus();
        return;
      }
      closeDialog();
      callFunction(fn.id, parsed.data, 'fetch');
    };
    const cancel = el('button', { type: 'button', class: 'btn', onclick: closeDialog }, 'Cancel');
    const ok = el('button', { type: 'button', class: 'btn primary', onclick: submit }, texts.ok);
    const body = [];
    if (variant === 'classic') {
      body.push(el('label', { class: 'field' }, el('span', {}, 'Function name'),
        el('input', { type: 'text', readOnly: true, value: name })));
    }
    body.push(el('label', { class: 'field', for: inputId }, texts.input), textarea, error);
    const titleEl = variant === 'classic'
      ? el('div', { class: 'modal-title', id: titleId }, texts.title)
      : el('h2', { class: 'modal-title', id: titleId }, texts.title);
    const dialog = el('div', {
      class: 'modal modal-' + variant,
      role: 'dialog',
      'aria-labelledby': titleId,
      'aria-modal': variant === 'compact' ? 'true' : null,
    },
    el('div', { class: 'modal-head' }, titleEl,
      el('button', { type: 'button', class: 'icon-btn close', 'aria-label': 'Close', onclick: closeDialog }, '×')),
    el('div', { class: 'modal-body' }, body),
    el('div', { class: 'modal-foot' }, cancel, ok));
    const backdrop = el('div', { class: 'backdrop', onclick: (e) => { if (e.target === backdrop) closeDialog(); } }, dialog);
    document.body.append(backdrop);
    openDialog = { backdrop, opener };
    document.addEventListener('keydown', onDialogKey, true);
    textarea.focus();
  }

  // ---- views ----

  const isReady = (fn) => fn.status === 'Ready';

  function statusTag(fn) {
    const s = String(fn.status ?? 'Unknown');
    return el('span', { class: 'tag tag-' + s.toLowerCase().replace(/[^a-z]/g, '') }, s);
  }

  function created(fn) {
    const t = Number(fn.createdTime);
    return Number.isFinite(t) && t > 0 ? new Date(t).toISOString().slice(0, 10) : '';
  }

  function runControl(fn) {
    const disabled = !isReady(fn);
    const open = (e) => showCallDialog(fn, e.currentTarget);
    if (variant === 'classic') {
      const tipId = 'tip-' + fn.id + '-' + state.renders;
      return el('span', { class: 'tooltip-wrapper' },
        el('button', {
          type: 'button', class: 'icon-btn play', 'aria-label': 'Call', 'aria-describedby': tipId,
          'data-testid': 'run-control', disabled, onclick: open,
        }, icon('play')),
        el('span', { class: 'tooltip', role: 'tooltip', id: tipId }, 'Click to call the function'));
    }
    if (variant === 'modern') {
      return el('button', { type: 'button', class: 'btn small', 'data-testid': 'run-control', disabled, onclick: open }, 'Run');
    }
    return el('button', { type: 'button', class: 'icon-btn play', title: 'Call function', 'data-testid': 'run-control', disabled, onclick: open }, icon('play'));
  }

  function detailsList(fn) {
    const rows = [
      ['Description', fn.description],
      ['External ID', fn.externalId],
      ['Function ID', fn.id],
      ['File ID', fn.fileId],
      ['Owner', fn.owner],
      ['Runtime', fn.runtime],
      ['Status', fn.status],
      ['Error', fn.error && fn.error.message],
      ['Created', created(fn)],
    ].filter(([, v]) => v !== undefined && v !== null && v !== '');
    return el('dl', { class: 'details' }, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]));
  }

  function classicList(fns) {
    const rows = [];
    for (const fn of fns) {
      const open = state.expanded.has(fn.id);
      rows.push(el('tr', { 'data-testid': 'function-row', 'data-function-id': fn.id, class: open ? 'open' : null },
        el('td', {}, el('button', {
          type: 'button', class: 'icon-btn expander', 'aria-expanded': String(open), 'aria-label': 'Expand row',
          onclick: () => { if (open) state.expanded.delete(fn.id); else state.expanded.add(fn.id); renderView(); },
        }, icon('chevron'))),
        el('td', { class: 'name' }, String(fn.name ?? '')),
        el('td', {}, String(fn.externalId ?? '')),
        el('td', {}, statusTag(fn)),
        el('td', {}, String(fn.owner ?? '')),
        el('td', { class: 'date' }, created(fn)),
        el('td', { class: 'actions' }, runControl(fn))));
      if (open) rows.push(el('tr', { class: 'row-details' }, el('td', { colspan: 7 }, detailsList(fn))));
    }
    return el('table', { class: 'grid classic' },
      el('thead', {}, el('tr', {}, ['', 'Name', 'External ID', 'Status', 'Owner', 'Created', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows));
  }

  function modernList(fns) {
    return el('table', { class: 'grid modern' },
      el('thead', {}, el('tr', {}, ['Name', 'Status', 'Owner', 'Runtime', 'Created', 'Actions'].map((h) => el('th', {}, h)))),
      el('tbody', {}, fns.map((fn) => el('tr', { 'data-testid': 'function-row', 'data-function-id': fn.id },
        el('td', { class: 'name' }, link(functionsPath(fn.id), String(fn.name ?? ''))),
        el('td', {}, statusTag(fn)),
        el('td', {}, String(fn.owner ?? '')),
        el('td', {}, String(fn.runtime ?? '')),
        el('td', { class: 'date' }, created(fn)),
        el('td', { class: 'actions' }, runControl(fn))))));
  }

  function compactList(fns) {
    return el('div', { class: 'cards' }, fns.map((fn) => el('article', { class: 'card', 'data-testid': 'function-row', 'data-function-id': fn.id },
      el('div', { class: 'card-head' },
        el('h3', {}, link(functionsPath(fn.id), String(fn.name ?? ''))),
        runControl(fn)),
      el('p', { class: 'muted' }, String(fn.description ?? '')),
      el('div', { class: 'card-foot' }, statusTag(fn), el('span', { class: 'muted' }, String(fn.owner ?? ''))))));
  }

  function detailView(fn) {
    const runLabel = variant === 'modern' ? 'Run function' : null;
    const control = variant === 'modern'
      ? el('button', { type: 'button', class: 'btn primary', 'data-testid': 'run-control', disabled: !isReady(fn), onclick: (e) => showCallDialog(fn, e.currentTarget) }, runLabel)
      : runControl(fn);
    return el('section', { class: 'detail', 'data-testid': 'function-detail', 'data-function-id': fn.id },
      el('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, link(functionsPath(), 'Functions'), ' / ', String(fn.name ?? '')),
      el('div', { class: 'detail-head' }, el('h2', {}, String(fn.name ?? '')), statusTag(fn), control),
      detailsList(fn));
  }

  // renderView rebuilds the current view with new nodes (like React
  // re-keying every row), then marks sandbox:controls when it added run
  // controls.
  function renderView() {
    const view = document.getElementById('view');
    if (!view) return;
    state.renders++;
    let content;
    if (state.loadError && state.functions === null) {
      content = el('p', { class: 'error' }, 'Could not load functions: ' + state.loadError);
    } else if (state.functions === null) {
      content = el('p', { class: 'muted' }, 'Loading functions…');
    } else if (state.detailId !== null && variant !== 'classic') {
      const fn = state.functions.find((f) => f.id === state.detailId);
      content = fn ? detailView(fn) : el('p', { class: 'error' }, 'Function not found.');
    } else if (state.functions.length === 0) {
      content = el('p', { class: 'muted' }, 'No functions in this project yet.');
    } else {
      content = { classic: classicList, modern: modernList, compact: compactList }[variant](state.functions);
    }
    view.replaceChildren(content);
    const heading = document.getElementById('page-title');
    if (heading) heading.textContent = state.detailId !== null && variant !== 'classic' ? 'Function' : 'Functions';
    if (view.querySelector('[data-testid="run-control"]')) performance.mark('sandbox:controls');
  }

  function renderShell() {
    const nav = [
      ['Home', false], ['Explore', false], ['Data management', false], ['Data modeling', false],
      ['Functions', true], ['Transformations', false], ['Extractors', false], ['Access', false],
    ];
    const root = document.getElementById('root');
    root.replaceChildren(
      el('header', { class: 'topbar' },
        el('span', { class: 'logo', 'aria-hidden': 'true' }),
        el('span', { class: 'product' }, 'Cognite Data Fusion'),
        el('span', { class: 'project-chip', title: 'Project' }, state.project || 'no project'),
        el('span', { class: 'spacer' }),
        el('span', { class: 'cluster' }, cluster),
        el('span', { class: 'user', title: 'Signed in as' }, persona + '@acme.com')),
      el('div', { class: 'layout' },
        el('nav', { class: 'sidebar', 'aria-label': 'Main' },
          nav.map(([label, active]) => el('a', {
            href: active ? functionsPath() : '#',
            class: active ? 'active' : null,
            'aria-current': active ? 'page' : null,
            onclick: (e) => { e.preventDefault(); if (active) navigate(functionsPath()); },
          }, label))),
        el('main', {},
          el('div', { class: 'page-head' },
            el('h1', { id: 'page-title' }, 'Functions'),
            el('span', { class: 'muted' }, 'Deploy and call Python code in ' + (state.project || 'your project'))),
          el('div', { class: 'call-status', role: 'status', 'data-testid': 'call-status' }),
          el('div', { id: 'view' }))));
    renderView();
  }

  // ---- start ----

  window.sandbox = Object.freeze({
    rerender: () => renderView(),
    navigate: (path) => navigate(String(path)),
    callFunction: (id, data) => callFunction(Number(id), data ?? {}, 'fetch'),
    callFunctionXHR: (id, data) => callFunctionXHR(id, data),
  });
  function callFunctionXHR(id, data) { return callFunction(Number(id), data ?? {}, 'xhr'); }

  document.documentElement.dataset.variant = variant;
  window.addEventListener('popstate', () => {
    const before = state.project;
    parseRoute();
    if (state.project !== before) { state.functions = null; renderShell(); load(); } else renderView();
  });
  parseRoute();
  renderShell();
  load();
  if (pollSeconds > 0) {
    setInterval(() => { if (state.functions !== null || state.loadError) load(); }, pollSeconds * 1000);
  }
})();
