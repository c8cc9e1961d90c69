// The popup's view for each state a tab can be in, from fixed TabStates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JSDOM } from 'jsdom';

import {
  NO_TOKEN_TEXT, NOT_FUSION_TEXT, REASON_TEXT, isBusy, renderTab,
} from './render.js';

const PAYLOAD = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>';

function mount(tab, actions) {
  const { window } = new JSDOM('<!doctype html><main></main>');
  const main = window.document.querySelector('main');
  main.append(renderTab(window.document, tab, actions));
  return { window, main };
}

const admin = {
  level: 'admin',
  explanation: 'You can change who may do what in this project.',
  reasons: ['groupsAcl:CREATE in all scopes'],
  canCall: true,
};

function ready(id, name, level, findings = [], extra = {}) {
  return {
    status: 'ready',
    level,
    function: { id, name },
    codeHash: 'ab'.repeat(32),
    permission: admin,
    report: {
      schemaVersion: 1,
      function: { id, name },
      risk: { level, score: 50, summary: `${name} summary` },
      findings,
      required: [
        { acl: 'assetsAcl', action: 'WRITE', file: 'handler.py', line: 3 },
        { acl: 'assetsAcl', action: 'WRITE', file: 'handler.py', line: 9 },
      ],
      egress: [],
      permissions: { project: 'acme-demo', level: 'admin', excess: ['groupsAcl:CREATE'], missing: ['filesAcl:WRITE'], canCall: true },
      incomplete: [],
    },
    ...extra,
  };
}

const finding = (severity, file, line, message) => ({
  ruleId: 'PF-X-001', category: 'code-execution', severity, confidence: 'high', title: 't', message, file, line,
});

const tabReady = {
  cluster: 'westeurope-1.cognitedata.com',
  project: 'acme-demo',
  tokenSeen: true,
  permission: admin,
  functions: [
    ready(1, 'quiet', 'none'),
    ready(2, 'dangerous', 'critical', [
      finding('medium', 'util.py', 4, 'talks to api.example.com'),
      finding('critical', 'handler.py', 14, 'data["expr"] reaches eval()'),
    ]),
  ],
};

test('a tab the background does not know says to open a Functions page', () => {
  for (const tab of [null, { tokenSeen: false, functions: [] }]) {
    const { main } = mount(tab);
    assert.equal(main.querySelector('[data-state="not-fusion"]').textContent, NOT_FUSION_TEXT);
    assert.equal(main.querySelector('.function'), null);
  }
});

test('before the sign-in is seen, the popup says to open or reload the page', () => {
  const { main } = mount({
    cluster: 'westeurope-1.cognitedata.com', project: 'acme-demo', tokenSeen: false,
    functions: [{ status: 'no-token', level: 'unknown', function: { id: 7, name: 'f' } }],
  });
  assert.equal(main.querySelector('[data-state="no-token"]').textContent, NO_TOKEN_TEXT);
  const fn = main.querySelector('.function');
  assert.equal(fn.dataset.level, 'unknown');
});

test('header names project, cluster and the permission level with its reasons', () => {
  const { main } = mount(tabReady);
  assert.equal(main.querySelector('.project').textContent, 'acme-demo');
  assert.equal(main.querySelector('.cluster').textContent, 'westeurope-1.cognitedata.com');
  const perm = main.querySelector('details.permission');
  assert.equal(perm.open, false, 'explanation starts collapsed');
  assert.match(perm.querySelector('summary').textContent, /You are Admin in this project/);
  assert.match(perm.textContent, /change who may do what/);
  assert.deepEqual([...perm.querySelectorAll('.reasons li')].map((li) => li.textContent), ['groupsAcl:CREATE in all scopes']);
});

test('functions are listed riskiest first with level, label and findings count', () => {
  const { main } = mount(tabReady);
  const fns = [...main.querySelectorAll('details.function')];
  assert.deepEqual(fns.map((f) => f.querySelector('.name').textContent), ['dangerous', 'quiet']);
  assert.equal(fns[0].querySelector('.risk').dataset.level, 'critical');
  assert.equal(fns[0].querySelector('.risk').textContent, 'Critical risk');
  assert.equal(fns[0].querySelector('.count').textContent, '2 findings');
  assert.equal(fns[1].querySelector('.risk').textContent, 'No risks found');
  assert.equal(fns[1].querySelector('.count').textContent, '0 findings');
});

test('an expanded function shows findings most severe first and needed vs held', () => {
  const { main } = mount(tabReady);
  const fn = main.querySelector('details.function[data-function-id="2"]');
  const items = [...fn.querySelectorAll('.finding')].map((li) => [
    li.querySelector('.severity').textContent, li.querySelector('.where').textContent, li.querySelector('.message').textContent,
  ]);
  assert.deepEqual(items, [
    ['critical', 'handler.py:14', 'data["expr"] reaches eval()'],
    ['medium', 'util.py:4', 'talks to api.example.com'],
  ]);
  const needs = (k) => [...fn.querySelectorAll(`[data-needs="${k}"] li`)].map((li) => li.textContent);
  assert.deepEqual(needs('required'), ['assetsAcl:WRITE'], 'each capability once');
  assert.deepEqual(needs('missing'), ['filesAcl:WRITE']);
  assert.deepEqual(needs('excess'), ['groupsAcl:CREATE']);
});

test('loading says Checking… and is never shown as safe; the popup keeps asking', () => {
  const tab = { ...tabReady, functions: [{ status: 'loading', level: 'unknown', function: { id: 3, name: 'slow' } }] };
  const { main } = mount(tab);
  const fn = main.querySelector('details.function');
  assert.equal(fn.querySelector('.risk').textContent, 'Checking…');
  assert.equal(fn.querySelector('.risk').dataset.level, 'unknown');
  assert.equal(fn.querySelector('[role="status"]').textContent, 'Checking…');
  assert.equal(isBusy(tab), true);
  assert.equal(isBusy(tabReady), false);
});

test('each not-analysed reason is said in words, with the background sentence, never as safe', () => {
  const words = {
    'no-access': /no access to the code/i,
    'too-large': /too large/i,
    timeout: /timed out/i,
    'api-error': /API answered with an error/i,
    'storage-permission': /needs a permission/i,
  };
  for (const [code, want] of Object.entries(words)) {
    const tab = {
      ...tabReady,
      functions: [{ status: 'not-analysed', level: 'unknown', reasonCode: code, reason: `because ${code}`, function: { id: 4, name: 'x' } }],
    };
    const { main } = mount(tab);
    const fn = main.querySelector('details.function');
    assert.equal(fn.dataset.level, 'unknown', code);
    assert.equal(fn.querySelector('.risk').textContent, 'Not analysed', code);
    assert.match(fn.querySelector('.reason-text').textContent, want, code);
    assert.equal(fn.querySelector('.reason-detail').textContent, `because ${code}`);
    assert.equal(fn.querySelector('.count'), null, 'no "0 findings" for code never read');
  }
  assert.ok(Object.keys(REASON_TEXT).length >= 8);
});

test('a stale report is shown as re-checking, not with its old level', () => {
  const tab = { ...tabReady, functions: [ready(5, 'changed', 'none', [], { stale: true })] };
  const { main } = mount(tab);
  const fn = main.querySelector('details.function');
  assert.equal(fn.dataset.level, 'unknown');
  assert.equal(fn.querySelector('.risk').textContent, 'Code changed — re-checking');
  assert.notEqual(fn.querySelector('.risk').dataset.level, 'none');
  assert.equal(fn.querySelector('.count'), null, 'no count from the old code');
  assert.match(fn.querySelector('[role="status"]').textContent, /code changed/i);
  assert.equal(isBusy(tab), true);
});

test('a storage host gets an "Allow downloads from" button that reports its host', () => {
  const asked = [];
  const tab = { ...tabReady, storageHosts: ['storage.googleapis.com'] };
  const { main, window } = mount(tab, { onAllowHost: (h) => asked.push(h) });
  const button = main.querySelector('button.allow-host');
  assert.equal(button.textContent, 'Allow downloads from storage.googleapis.com');
  button.dispatchEvent(new window.MouseEvent('click', { bubbles: true }));
  assert.deepEqual(asked, ['storage.googleapis.com']);
});

test('HTML in names, findings and reasons is shown as text, never parsed', () => {
  const fn = ready(6, PAYLOAD, 'high', [finding('high', PAYLOAD, 1, PAYLOAD)]);
  fn.report.permissions.excess = [PAYLOAD];
  const tab = {
    ...tabReady,
    project: PAYLOAD,
    permission: { ...admin, explanation: PAYLOAD, reasons: [PAYLOAD] },
    storageHosts: [PAYLOAD],
    functions: [fn, { status: 'not-analysed', level: 'unknown', reasonCode: 'api-error', reason: PAYLOAD, function: { id: 8, name: PAYLOAD } }],
  };
  const { main, window } = mount(tab);
  assert.equal(main.querySelector('img'), null);
  assert.equal(main.querySelector('script'), null);
  assert.equal(window.pwned, undefined);
  assert.equal(main.querySelector('.project').textContent, PAYLOAD);
  for (const name of main.querySelectorAll('.function .name')) assert.equal(name.textContent, PAYLOAD);
  assert.equal(main.querySelector('.message').textContent, PAYLOAD);
  assert.equal(main.querySelector('.reason-detail').textContent, PAYLOAD);
});

test('a function without a name is named by its id', () => {
  const tab = { ...tabReady, functions: [{ status: 'loading', level: 'unknown', function: { id: 42 } }] };
  const { main } = mount(tab);
  assert.equal(main.querySelector('.function .name').textContent, 'Function 42');
});
