// The analysis engine (wasm/browser) inside the background: loaded lazily,
// once, and shared by every request. A failed load is forgotten so the next
// request tries again; analyses run one at a time (the engine is
// single-threaded and a zip can be large).

const READY_TIMEOUT_MS = 30_000;

/**
 * A tiny function bundle (a stored zip: handler.py reading an environment
 * variable, requirements.txt with one pinned package) analysed once by
 * warm(): the engine builds its rule tables, secret patterns and catalogues
 * on the first analysis (~100 ms), which then happens while the API calls
 * are in flight rather than before the first badge.
 */
const WARM_BUNDLE_B64 =
  'UEsDBBQAAAAAAAAAAABujdjcTQAAAE0AAAAKAAAAaGFuZGxlci5weWltcG9ydCBvcwoKZGVmIGhhbmRsZShjbGllbnQsIGRhdGEpOgogICAgcmV0dXJuIHsia2V5Ijogb3MuZW52aXJvbi5nZXQoIlgiKX0KUEsDBBQAAAAAAAAAAADWXiOYEQAAABEAAAAQAAAAcmVxdWlyZW1lbnRzLnR4dHJlcXVlc3RzPT0yLjMxLjAKUEsBAhQAFAAAAAAAAAAAAG6N2NxNAAAATQAAAAoAAAAAAAAAAAAAAAAAAAAAAGhhbmRsZXIucHlQSwECFAAUAAAAAAAAAAAA1l4jmBEAAAARAAAAEAAAAAAAAAAAAAAAAAB1AAAAcmVxdWlyZW1lbnRzLnR4dFBLBQYAAAAAAgACAHYAAAC0AAAAAAA=';

/** The warm-up bundle's bytes. */
export function warmBundle() {
  return Uint8Array.from(atob(WARM_BUNDLE_B64), (c) => c.charCodeAt(0));
}

/**
 * Loads the engine in the extension: `globalThis.Go` comes from
 * engine/wasm_exec.js, imported statically by main.js (a service worker may
 * not use import()).
 * @returns {Promise<object>} globalThis.preflight
 */
export async function loadInExtension() {
  const api = globalThis.browser ?? globalThis.chrome;
  if (typeof globalThis.Go !== 'function') throw new Error('engine/wasm_exec.js is not loaded');
  const go = new globalThis.Go();
  const url = api.runtime.getURL('engine/preflight.wasm');
  const { instance } = await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
  return runGo(go, instance);
}

/**
 * Starts a Go instance and resolves with globalThis.preflight once the
 * engine calls globalThis.__preflightReady (rejects after 30 s or if Go exits).
 */
export function runGo(go, instance) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the engine did not start within 30 s')), READY_TIMEOUT_MS);
    globalThis.__preflightReady = () => {
      clearTimeout(timer);
      resolve(globalThis.preflight);
    };
    // run settles only when Go's main returns, which the engine never does.
    Promise.resolve(go.run(instance)).then(
      () => { clearTimeout(timer); reject(new Error('the engine exited')); },
      (err) => { clearTimeout(timer); reject(err); },
    );
  });
}

/**
 * The engine wrapper.
 * @param {() => Promise<object>} load resolves with the preflight API object
 * @param {{now?: () => number}} [opts]
 */
export function createEngine(load = loadInExtension, { now = () => performance.now() } = {}) {
  let ready = null; // Promise<preflight API> while loaded or loading
  let queue = Promise.resolve(); // the tail of the analyze chain
  let warming = null; // Promise of the warm-up analysis
  const timings = {};

  /** Runs fn(preflight) after every analysis queued before it. */
  function queued(fn) {
    const run = queue.then(async () => fn(await engine()));
    queue = run.catch(() => {});
    return run;
  }

  function engine() {
    if (!ready) {
      const t0 = now();
      ready = load().then(
        (pf) => {
          if (!pf || typeof pf.analyze !== 'function') throw new Error('the engine did not install globalThis.preflight');
          timings.loadMs = Math.round(now() - t0);
          return pf;
        },
      );
      ready.catch(() => { ready = null; }); // retried on the next request
    }
    return ready;
  }

  return {
    /**
     * Loads the engine now and runs one analysis of a tiny built-in bundle
     * (once; a failure is retried on the next call): called when a Fusion
     * tab is first seen calling CDF, so compiling the wasm (~200 ms) and the
     * engine's first-analysis set-up (~100 ms) overlap the API calls instead
     * of delaying the first badge. Resolves with the warm-up report.
     */
    warm() {
      if (!warming) {
        const p = queued(async (pf) => {
          const t0 = now();
          const report = JSON.parse(await pf.analyze(warmBundle(), '', '', '', ''));
          timings.warmMs = Math.round(now() - t0);
          return report;
        });
        warming = p;
        p.catch(() => { if (warming === p) warming = null; }); // retried on the next warm()
      }
      return warming;
    },

    /** Runs one analysis after the previous ones; resolves with the parsed report. */
    analyze(zip, functionJSON, inspectJSON, project, policyTOML) {
      return queued(async (pf) => {
        const t0 = now();
        const out = await pf.analyze(zip, functionJSON ?? '', inspectJSON ?? '', project ?? '', policyTOML ?? '');
        timings.analyzeMs = Math.round(now() - t0);
        return JSON.parse(out);
      });
    },
    /** The user's permission assessment in project (parsed). */
    async permissions(inspectJSON, project, policyTOML) {
      const pf = await engine();
      return JSON.parse(await pf.permissions(inspectJSON, project ?? '', policyTOML ?? ''));
    },
    /** {ok, policy, threshold, maxZipBytes, errors} for a policy (parsed). */
    async checkPolicy(toml) {
      const pf = await engine();
      return JSON.parse(await pf.checkPolicy(toml ?? ''));
    },
    /** The last load, warm-up and analyze durations in milliseconds. */
    timings() {
      return { ...timings };
    },
  };
}
