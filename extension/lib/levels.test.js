// The words every part of the extension shows for a level: never "safe" for
// something that was not checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atOrAbove, badgeText, riskLabel, permissionLabel, NOT_ANALYSED } from './levels.js';

test('unknown and unrecognised levels gate at every threshold', () => {
  for (const threshold of ['low', 'medium', 'high', 'critical']) {
    assert.equal(atOrAbove('unknown', threshold), true, threshold);
    assert.equal(atOrAbove('bogus', threshold), true, threshold);
    assert.equal(atOrAbove(undefined, threshold), true, threshold);
  }
  assert.equal(atOrAbove('high', 'high'), true);
  assert.equal(atOrAbove('medium', 'high'), false);
  assert.equal(atOrAbove('none', 'low'), false);
});

test('badge text per state', () => {
  const report = (level, n) => ({ risk: { level }, findings: Array(n).fill({}) });
  const admin = { level: 'admin' };
  assert.equal(badgeText({ status: 'ready', report: report('high', 3), permission: admin }), 'High risk · 3 findings · you are Admin');
  assert.equal(badgeText({ status: 'ready', report: report('none', 0), permission: { level: 'read-only' } }), 'No risks found · 0 findings · you are Read-only');
  assert.equal(badgeText({ status: 'ready', report: report('critical', 1) }), 'Critical risk · 1 finding');
  // A report that could not cover all of the code: "Risk unknown", with its findings.
  assert.equal(badgeText({ status: 'ready', report: report('unknown', 3), permission: admin }), 'Risk unknown · 3 findings · you are Admin');
  // No report at all: "Not analysed" and why.
  assert.equal(badgeText({ status: 'not-analysed', reasonCode: 'too-large', reason: 'x' }), `${NOT_ANALYSED} · code too large`);
  assert.equal(badgeText({ status: 'not-analysed', reasonCode: 'something-new', reason: 'x' }), `${NOT_ANALYSED} · could not be checked`);
  assert.equal(badgeText({ status: 'loading' }), 'Preflight: checking…');
  assert.equal(badgeText(undefined), 'Preflight: checking…');
  assert.equal(badgeText({ status: 'no-token' }), 'Preflight: waiting for Fusion to sign in');
});

test('no label for an unchecked or unrecognised level says safe', () => {
  for (const level of ['unknown', 'bogus', undefined]) {
    assert.doesNotMatch(riskLabel(level), /no risk|safe|low/i);
  }
  assert.equal(permissionLabel('something-else'), 'Unknown level');
});
