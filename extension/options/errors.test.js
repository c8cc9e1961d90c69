// Policy errors on the options page: their words, where they point, and
// the key reference staying in step with the built-in policy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { JSDOM } from 'jsdom';

import { formatError, lineRange, offsetOf, renderErrors, selectError } from './errors.js';

test('errors read "line L, column C: message"', () => {
  assert.equal(formatError({ line: 3, column: 13, key: 'gate.threshold', message: 'unknown level "hgih"' }),
    'line 3, column 13: unknown level "hgih"');
  assert.equal(formatError({ line: 2, message: 'x' }), 'line 2, column 1: x');
  assert.equal(formatError({ message: 'no position' }), 'no position');
});

test('offsetOf maps line and byte column to a string index', () => {
  const text = '[gate]\nthreshold = "hgih"\r\nname = "é€x"\n';
  assert.equal(offsetOf(text, 1, 1), 0);
  assert.equal(text.slice(offsetOf(text, 2, 13)), '"hgih"\r\nname = "é€x"\n');
  // é is 2 bytes and € 3 in UTF-8: byte column 14 is the x.
  assert.equal(text[offsetOf(text, 3, 14)], 'x');
  assert.deepEqual(lineRange(text, 2), { start: 7, end: 25 }, 'the range stops before \\r\\n');
  assert.equal(offsetOf(text, 2, 999), 25, 'past the end of a line: its end');
  assert.equal(offsetOf(text, 99, 1), text.length, 'past the last line: the end');
  const astral = 'k = "😀y"';
  assert.equal(astral[offsetOf(astral, 1, 10)], 'y', 'a 4-byte character counts 4 columns and 2 UTF-16 units');
});

test('the error list shows each error as text and selects it on click', () => {
  const { window } = new JSDOM('<!doctype html><textarea></textarea><div id="out"></div>');
  const doc = window.document;
  const textarea = doc.querySelector('textarea');
  textarea.value = '[gate]\nthreshold = "hgih"\n[network]\nallowed_hosts = 3\n';
  const errors = [
    { line: 2, column: 13, key: 'gate.threshold', message: '<img src=x onerror="globalThis.pwned=1">' },
    { line: 4, column: 17, key: 'network.allowed_hosts', message: 'must be a list' },
  ];
  doc.getElementById('out').append(renderErrors(doc, errors, (err) => selectError(textarea, err)));
  const buttons = [...doc.querySelectorAll('button.error')];
  assert.deepEqual(buttons.map((b) => b.textContent), [
    'line 2, column 13: <img src=x onerror="globalThis.pwned=1">',
    'line 4, column 17: must be a list',
  ]);
  assert.equal(doc.querySelector('img'), null, 'messages are text, never HTML');
  assert.equal(window.pwned, undefined);

  buttons[1].click();
  assert.equal(doc.activeElement, textarea);
  assert.equal(textarea.value.slice(textarea.selectionStart, textarea.selectionEnd), '3');
  buttons[0].click();
  assert.equal(textarea.value.slice(textarea.selectionStart, textarea.selectionEnd), '"hgih"');
});

test('the options page documents every key of the built-in policy', () => {
  const toml = readFileSync(new URL('../../analysis/policy/default.toml', import.meta.url), 'utf8');
  const html = readFileSync(new URL('./options.html', import.meta.url), 'utf8');
  let section = '';
  const keys = [];
  for (const line of toml.split('\n')) {
    const table = line.match(/^\[([a-z_]+)\]\s*$/);
    if (table) { section = table[1]; continue; }
    const kv = line.match(/^([a-z_]+)\s*=/);
    if (kv) keys.push(`${section}.${kv[1]}`);
  }
  assert.ok(keys.length >= 15, `found keys: ${keys}`);
  const missing = keys.filter((k) => !html.includes(`<code>${k}</code>`));
  assert.deepEqual(missing, [], 'keys without an entry in options.html');
  assert.match(html, /<code>rules\.&lt;id or category&gt;\.severity<\/code>/);
});
