// One observer for a single-page app: calls onChange after DOM mutations
// (batched: once per animation frame, or within 50 ms when frames are
// throttled, e.g. in a background tab) and when the URL changed — by
// pushState (seen on the next mutation: the isolated world cannot wrap the
// page's history methods), popstate or hashchange.

/**
 * @param {Window} win
 * @param {(why: {urlChanged: boolean}) => void} onChange
 * @returns {() => void} stops observing
 */
export function observePage(win, onChange) {
  const doc = win.document;
  let lastHref = win.location.href;
  let pending = false;
  let urlChanged = false;

  const run = () => {
    if (!pending) return;
    pending = false;
    const why = { urlChanged };
    urlChanged = false;
    onChange(why);
  };
  const schedule = () => {
    if (win.location.href !== lastHref) {
      lastHref = win.location.href;
      urlChanged = true;
    }
    if (pending) return;
    pending = true;
    if (typeof win.requestAnimationFrame === 'function') win.requestAnimationFrame(run);
    win.setTimeout(run, 50);
  };

  const observer = new win.MutationObserver(schedule);
  observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label', 'title', 'data-tooltip', 'href', 'value', 'readonly'] });
  win.addEventListener('popstate', schedule);
  win.addEventListener('hashchange', schedule);
  return () => {
    observer.disconnect();
    win.removeEventListener('popstate', schedule);
    win.removeEventListener('hashchange', schedule);
  };
}
