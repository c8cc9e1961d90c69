// Preflight's content script entry (a classic script, as manifests require):
// loads the module content/main.js, which does the work. Files under
// content/ and lib/ are web-accessible on Fusion's origins for this import.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  import(api.runtime.getURL('content/main.js')).catch((err) => {
    console.error('Preflight: the content script did not start:', err && err.message);
  });
})();
