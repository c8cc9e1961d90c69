// Small DOM helpers shared by the badge, the panel and the gate dialog.
// Everything they build is text only: strings become text nodes, never markup,
// because every name, message and path shown comes from CDF and is untrusted.

/**
 * Creates an element in doc with attributes and children. Children that are
 * strings (or numbers) become text nodes; null/undefined/false are skipped.
 * Attribute values are set with setAttribute, never parsed as markup.
 */
export function h(doc, tag, attrs, ...children) {
  const el = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === 'object' ? c : el.ownerDocument.createTextNode(String(c)));
  }
}

/** Replaces el's children with the given ones (same rules as h). */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Collapses white space and trims: the text a person sees. */
export function cleanText(s) {
  return String(s ?? '').replace(/\s+/g, ' ').trim();
}

/** Attaches an open shadow root holding a <style> with css (static, not data). */
export function shadowWithStyle(host, css) {
  const root = host.attachShadow({ mode: 'open' });
  const style = host.ownerDocument.createElement('style');
  style.textContent = css;
  root.append(style);
  return root;
}
