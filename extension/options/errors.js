// Policy errors on the options page: their words, and where in the text
// they point. Pure functions and DOM building, so they run under jsdom in
// unit tests. Error messages come from the engine but quote the user's own
// policy text: they go into textContent only.

/** "line 3, column 13: message" (just the message when it has no position). */
export function formatError(err) {
  const message = String(err?.message ?? 'invalid policy');
  if (!(err?.line > 0)) return message;
  const column = err.column > 0 ? err.column : 1;
  return `line ${err.line}, column ${column}: ${message}`;
}

/**
 * The UTF-16 index in text of a 1-based line and column. The engine counts
 * columns in UTF-8 bytes (Go); a column inside a character, or past the end
 * of the line, lands on the line's end. Lines past the end land on the end
 * of the text.
 */
export function offsetOf(text, line, column) {
  const { start, end } = lineRange(text, line);
  let bytes = 1;
  let i = start;
  const want = Math.max(1, column || 1);
  while (i < end && bytes < want) {
    const cp = text.codePointAt(i);
    bytes += utf8Length(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** The UTF-16 start and end (before its newline) of a 1-based line. */
export function lineRange(text, line) {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return { start: text.length, end: text.length };
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end };
}

function utf8Length(cp) {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

/**
 * The list of errors: one button per error (so it can be reached with the
 * keyboard) that calls onSelect(err).
 * @param {Document} doc
 * @param {{line?: number, column?: number, key?: string, message: string}[]} errors
 * @param {(err: object) => void} [onSelect]
 */
export function renderErrors(doc, errors, onSelect) {
  const ul = doc.createElement('ul');
  ul.className = 'errors';
  for (const err of errors) {
    const li = doc.createElement('li');
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'error';
    button.textContent = formatError(err);
    if (err.line > 0) {
      button.dataset.line = String(err.line);
      button.dataset.column = String(err.column > 0 ? err.column : 1);
    }
    if (onSelect) button.addEventListener('click', () => onSelect(err));
    li.append(button);
    ul.append(li);
  }
  return ul;
}

/**
 * Puts the caret at an error in a textarea and selects the rest of its
 * line, so the user sees where it is; scrolls it into view.
 */
export function selectError(textarea, err) {
  const text = textarea.value;
  const line = err.line > 0 ? err.line : 1;
  const at = offsetOf(text, line, err.column);
  const { end } = lineRange(text, line);
  textarea.focus();
  textarea.setSelectionRange(at, Math.max(at, end));
  const lineHeight = parseFloat(textarea.ownerDocument.defaultView?.getComputedStyle(textarea).lineHeight) || 18;
  textarea.scrollTop = Math.max(0, (line - 1) * lineHeight - textarea.clientHeight / 2);
}
