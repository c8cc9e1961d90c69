// Preflight's page hook: runs in the page's MAIN world at document_start, so
// the gate holds even where no Run/Call button was recognised.
//
// It wraps window.fetch and XMLHttpRequest (open/send/abort) and holds every
// POST https://<any host>/api/v1/projects/{p}/functions/{id}/call until the
// content script answers over window.postMessage (protocol.js HOOK):
//   hook → content  {source: 'preflight-hook', kind: 'call', id, url, functionId, project, cluster}
//   content → hook  {source: 'preflight-content', kind: 'ready'}
//   content → hook  {source: 'preflight-content', kind: 'decision', id, allow}
// Denied: fetch rejects with TypeError('Preflight: the call was cancelled by
// the user'); an XHR is aborted and fires error + loadend. Until the content
// script says ready, calls wait; after 5 s without it the user is asked with
// window.confirm — a call is never let through unasked.
//
// Plain script, no imports (Chrome and Firefox MAIN worlds). The originals it
// needs are taken now, before any page script runs, so the page cannot swap
// them out from under it; messages are accepted only from this window and
// this origin, with every field checked.
(() => {
  'use strict';
  const w = window;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const origFetch = w.fetch;
  const XHRProto = w.XMLHttpRequest && w.XMLHttpRequest.prototype;
  const origOpen = XHRProto && XHRProto.open;
  const origSend = XHRProto && XHRProto.send;
  const origAbort = XHRProto && XHRProto.abort;
  const origPostMessage = w.postMessage;
  const addListener = w.EventTarget.prototype.addEventListener;
  const dispatch = w.EventTarget.prototype.dispatchEvent;
  const origConfirm = w.confirm;
  const setTimer = w.setTimeout;
  const clearTimer = w.clearTimeout;
  const cryptoObj = w.crypto;
  const getRandomValues = w.Crypto && w.Crypto.prototype.getRandomValues;
  const URLCtor = w.URL;
  const RequestCtor = w.Request;
  const ProgressEventCtor = w.ProgressEvent;
  const PromiseCtor = w.Promise;
  const promiseThen = w.Promise.prototype.then;
  const TypeErrorCtor = w.TypeError;
  const DOMExceptionCtor = w.DOMException;
  const MapCtor = w.Map;
  const mapGet = MapCtor.prototype.get;
  const mapSet = MapCtor.prototype.set;
  const mapDelete = MapCtor.prototype.delete;
  const mapForEach = MapCtor.prototype.forEach;
  const WeakMapCtor = w.WeakMap;
  const weakGet = WeakMapCtor.prototype.get;
  const weakSet = WeakMapCtor.prototype.set;
  const regexExec = w.RegExp.prototype.exec;
  const toUpper = w.String.prototype.toUpperCase;
  const decode = w.decodeURIComponent;
  const origin = w.location.origin;
  const SOURCE_PAGE = 'preflight-hook';
  const SOURCE_CONTENT = 'preflight-content';
  const READY_WAIT_MS = 5000;
  const FALLBACK_QUESTION = 'Preflight could not check this function. Call it anyway?';
  const CANCELLED = 'Preflight: the call was cancelled by the user';
  const CALL_PATH = /^\/api\/v1\/projects\/([^/]+)\/functions\/([^/]+)\/call\/?$/;

  /** id → {info, resolve, timer, posted} for every held call. */
  const held = new MapCtor();
  let contentReady = false;

  function newId() {
    const a = new w.Uint32Array(4);
    apply(getRandomValues, cryptoObj, [a]);
    let s = 'c';
    for (let i = 0; i < a.length; i++) s += (a[i] + 0x100000000).toString(16).slice(1);
    return s;
  }

  /** {url, functionId, project, cluster} when method+url is a function call, else null. */
  function parseCall(method, url) {
    let u;
    try {
      if (apply(toUpper, String(method), []) !== 'POST') return null;
      u = new URLCtor(String(url), w.location.href);
    } catch (e) {
      return null;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    const m = apply(regexExec, CALL_PATH, [u.pathname]);
    if (!m) return null;
    let project = m[1];
    try {
      project = decode(m[1]);
    } catch (e) {
      // keep it encoded
    }
    const n = /^\d{1,16}$/.test(m[2]) ? Number(m[2]) : NaN;
    // A call path whose id is not a plain number is still held: the content
    // script then cannot identify it and asks (never safe).
    return { url: u.href, functionId: n > 0 && n <= Number.MAX_SAFE_INTEGER ? n : null, project, cluster: u.host };
  }

  function post(id, entry) {
    entry.posted = true;
    const info = entry.info;
    apply(origPostMessage, w, [
      { source: SOURCE_PAGE, kind: 'call', id, url: info.url, functionId: info.functionId, project: info.project, cluster: info.cluster },
      origin,
    ]);
  }

  function askUser(id) {
    const entry = apply(mapGet, held, [id]);
    if (!entry || entry.posted) return;
    apply(mapDelete, held, [id]);
    let ok = false;
    try {
      ok = !!apply(origConfirm, w, [FALLBACK_QUESTION]);
    } catch (e) {
      ok = false;
    }
    entry.resolve(ok);
  }

  /** Resolves true when the call may go ahead. */
  function decide(info) {
    return new PromiseCtor((resolve) => {
      const id = newId();
      const entry = { info, resolve, timer: 0, posted: false };
      apply(mapSet, held, [id, entry]);
      if (contentReady) post(id, entry);
      else entry.timer = apply(setTimer, w, [askUser, READY_WAIT_MS, id]);
    });
  }

  function onMessage(event) {
    if (event.source !== w || event.origin !== origin) return;
    const d = event.data;
    if (!d || typeof d !== 'object' || d.source !== SOURCE_CONTENT) return;
    if (d.kind === 'ready') {
      contentReady = true;
      apply(mapForEach, held, [
        (entry, id) => {
          if (entry.posted) return;
          apply(clearTimer, w, [entry.timer]);
          post(id, entry);
        },
      ]);
      return;
    }
    if (d.kind !== 'decision' || typeof d.id !== 'string' || typeof d.allow !== 'boolean') return;
    const entry = apply(mapGet, held, [d.id]);
    if (!entry || !entry.posted) return;
    apply(mapDelete, held, [d.id]);
    entry.resolve(d.allow);
  }
  apply(addListener, w, ['message', onMessage, true]);

  function name(fn, value) {
    try {
      defineProperty(fn, 'name', { value });
    } catch (e) {
      // cosmetic only
    }
    return fn;
  }

  if (typeof origFetch === 'function') {
    w.fetch = name(function fetch(input, init) {
      const args = arguments;
      let info = null;
      try {
        let method = 'GET';
        let url;
        if (RequestCtor && input instanceof RequestCtor) {
          method = input.method;
          url = input.url;
        } else {
          url = String(input);
        }
        if (init && init.method !== undefined) method = String(init.method);
        info = parseCall(method, url);
      } catch (e) {
        info = null;
      }
      if (!info) return apply(origFetch, w, args);
      return apply(promiseThen, decide(info), [
        (allow) => {
          if (!allow) throw new TypeErrorCtor(CANCELLED);
          return apply(origFetch, w, args);
        },
      ]);
    }, 'fetch');
  }

  if (XHRProto && typeof origOpen === 'function' && typeof origSend === 'function') {
    /** xhr → {method, url, async, aborted} from its last open(). */
    const opened = new WeakMapCtor();

    XHRProto.open = name(function open(method, url) {
      try {
        apply(weakSet, opened, [this, { method: String(method), url: String(url), async: arguments.length < 3 || !!arguments[2], aborted: false }]);
      } catch (e) {
        apply(weakSet, opened, [this, null]);
      }
      return apply(origOpen, this, arguments);
    }, 'open');

    XHRProto.abort = name(function abort() {
      const meta = apply(weakGet, opened, [this]);
      if (meta) meta.aborted = true;
      return apply(origAbort, this, arguments);
    }, 'abort');

    XHRProto.send = name(function send() {
      const xhr = this;
      const args = arguments;
      const meta = apply(weakGet, opened, [xhr]);
      const info = meta ? parseCall(meta.method, meta.url) : null;
      if (!info) return apply(origSend, xhr, args);
      if (!meta.async) {
        // A synchronous request cannot wait for the content script.
        let ok = false;
        try {
          ok = !!apply(origConfirm, w, [FALLBACK_QUESTION]);
        } catch (e) {
          ok = false;
        }
        if (ok) return apply(origSend, xhr, args);
        throw new DOMExceptionCtor(CANCELLED, 'NetworkError');
      }
      apply(promiseThen, decide(info), [
        (allow) => {
          if (apply(weakGet, opened, [xhr]) !== meta || meta.aborted) return; // re-opened or aborted meanwhile
          if (allow) {
            apply(origSend, xhr, args);
            return;
          }
          try {
            apply(origAbort, xhr, []);
          } catch (e) {
            // nothing was sent
          }
          apply(dispatch, xhr, [new ProgressEventCtor('error')]);
          apply(dispatch, xhr, [new ProgressEventCtor('loadend')]);
        },
      ]);
      return undefined;
    }, 'send');
  }
})();
