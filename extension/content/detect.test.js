import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { findRunControls, identifyFunction, isRunLabel, pageContext, runControlOf } from './detect.js';

function page(name, url) {
  const html = readFileSync(new URL(`./testdata/${name}.html`, import.meta.url), 'utf8');
  return new JSDOM(html, { url }).window;
}
const LIST = 'https://acme.fusion.cognite.com/acme-demo/functions?cluster=westeurope-1.cognitedata.com';

/** Each control as "label → identity" for readable assertions. */
function found(win) {
  const ctx = pageContext(win.location);
  return findRunControls(win.document).map((c) => {
    const id = identifyFunction(c, ctx);
    const label = c.getAttribute('aria-label') || c.textContent.trim() || c.getAttribute('title') || '(icon)';
    return `${label} → ${id.functionId ?? '-'} ${id.functionName ?? '-'}`;
  });
}

test('run labels: runs and calls are recognised, near misses are not', () => {
  for (const yes of ['Run', 'Call', 'run function', 'Call function', 'Call function: sensor-sync', 'Click to call the function', 'Run now', 'Run…', '  Call  ']) {
    assert.ok(isRunLabel(yes), yes);
  }
  for (const no of ['Run history', 'Calls', 'Schedule run', 'Cancel', 'Running', 'Rerun', 'Run anyway', 'Call logs', 'View calls',
    'Create schedule', 'Delete function', 'Call status', 'Run schedule', 'Runs', 'Called 3 times', 'Edit', '']) {
    assert.ok(!isRunLabel(no), no);
  }
});

test('classic: icon-only Call buttons by aria-label and by wrapping tooltip, the modal by its read-only Function name', () => {
  const win = page('classic', LIST);
  assert.deepEqual(found(win), [
    'Call → - delete-everything',
    '(icon) → - sensor-sync',
    'Call → - sensor-sync',
  ]);
});

test('modern: text Run buttons identified by the row link, the dialog by its title', () => {
  const win = page('modern', LIST);
  assert.deepEqual(found(win), [
    'Run → 201 high-risk-exporter',
    'Run → 202 harmless-hello',
    'Run → - high-risk-exporter',
  ]);
});

test('compact: title-only buttons and role=button identified by the card heading, the modal by "Call function: <name>"', () => {
  const win = page('compact', LIST);
  assert.deepEqual(found(win), [
    'Call function → - payload-fn',
    'Call function → - medium-fn',
    'Call function → - payload-fn',
  ]);
});

test('detail route: the id comes from /<project>/functions/<id>, also for the modal opened there', () => {
  const win = page('compact', 'https://acme.fusion.cognite.com/acme-demo/functions/301?cluster=westeurope-1.cognitedata.com');
  const ctx = pageContext(win.location);
  assert.deepEqual(ctx, { project: 'acme-demo', cluster: 'westeurope-1.cognitedata.com', onFunctionsPage: true, routeId: 301 });
  const ids = findRunControls(win.document).map((c) => identifyFunction(c, ctx));
  assert.equal(ids[0].functionId, 301, 'the route decides which function');
  assert.deepEqual(ids[2], { functionId: 301, functionName: 'payload-fn' });
});

test('detail route: the page title is kept as the name to show, never the app title', () => {
  const win = page('modern', 'https://acme.fusion.cognite.com/acme-demo/functions/301?cluster=westeurope-1.cognitedata.com');
  const ctx = pageContext(win.location);
  const control = findRunControls(win.document).find((c) => !c.closest('[role="dialog"]'));
  const name = identifyFunction(control, ctx).functionName;
  assert.ok(name === undefined || !/^functions?$/i.test(name), `the app title is not a name: ${name}`);
  // A detail header: the function's name beside its Run control.
  const head = win.document.createElement('div');
  const h = win.document.createElement('h2');
  h.textContent = 'Status probe';
  const run = win.document.createElement('button');
  run.textContent = 'Run function';
  head.append(h, run);
  win.document.body.append(head);
  assert.deepEqual(identifyFunction(run, ctx), { functionId: 301, functionName: 'Status probe' });
});

test('page context: cluster only from ?cluster= and only a host name; not a Functions page elsewhere', () => {
  assert.equal(pageContext(new URL('https://acme.fusion.cognite.com/p/functions')).cluster, undefined);
  assert.equal(pageContext(new URL('https://acme.fusion.cognite.com/p/functions?cluster=evil.com/x?')).cluster, undefined);
  assert.equal(pageContext(new URL('https://acme.fusion.cognite.com/p/explore?cluster=a.cognitedata.com')).onFunctionsPage, false);
  assert.equal(pageContext(new URL('https://acme.fusion.cognite.com/p/functions/abc')).routeId, undefined);
});

test('a click inside a run control finds the control; inside a row header or a near miss it does not', () => {
  const win = page('classic', LIST);
  const svg = win.document.querySelector('[aria-label="Call"] svg');
  assert.equal(runControlOf(svg), svg.closest('button'));
  assert.equal(runControlOf(win.document.querySelector('.fn-name')), null);
  const nav = win.document.querySelector('nav button');
  assert.equal(runControlOf(nav), null);
});

test('a function whose name reads like a run label does not turn its clickable row into a control', () => {
  const win = new JSDOM(`<main><ul><li><div role="button">Run daily report <button aria-label="Call"></button></div></li></ul></main>`, { url: LIST }).window;
  const controls = findRunControls(win.document);
  assert.equal(controls.length, 1);
  assert.equal(controls[0].getAttribute('aria-label'), 'Call');
  assert.deepEqual(identifyFunction(controls[0], pageContext(win.location)), { functionName: 'Run daily report' });
});
