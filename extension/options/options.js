// The options page: the effective policy as TOML, checked through the engine
// (MSG.CHECK_POLICY), saved through the background (MSG.SET_POLICY), read-only
// when the organisation's managed policy locks it.

import { MSG, send } from '../lib/protocol.js';
import { renderErrors, selectError } from './errors.js';

const form = document.getElementById('policy-form');
const textarea = document.getElementById('policy');
const source = document.getElementById('source');
const result = document.getElementById('result');
const checkButton = document.getElementById('check');
const saveButton = document.getElementById('save');
const resetButton = document.getElementById('reset');

const SOURCE_TEXT = {
  default: 'The built-in defaults. Change a setting and save to make it your policy.',
  user: 'Your policy, merged over the built-in defaults.',
  managed: 'Set by your organisation. You may change it here.',
};

/** Loads the effective policy into the editor. */
async function load() {
  let answer;
  try {
    answer = await send({ type: MSG.GET_POLICY });
  } catch (err) {
    showMessage('error', `Could not read the policy: ${err?.message ?? err}`);
    return;
  }
  textarea.value = answer?.toml ?? '';
  const locked = Boolean(answer?.managedLocked);
  textarea.readOnly = locked;
  saveButton.disabled = locked;
  resetButton.disabled = locked;
  document.body.dataset.locked = String(locked);
  source.textContent = locked ? 'Set by your organisation' : (SOURCE_TEXT[answer?.source] ?? SOURCE_TEXT.default);
}

/** Shows a one-line result (ok or error) in the live region. */
function showMessage(kind, text) {
  const p = document.createElement('p');
  p.className = kind;
  p.textContent = text;
  result.replaceChildren(p);
}

/** Shows the engine's errors and moves the caret to the first. */
function showErrors(errors, prefix) {
  const list = errors?.length ? errors : [{ message: 'The policy is not valid.' }];
  const heading = document.createElement('p');
  heading.className = 'error';
  heading.textContent = `${prefix}: ${list.length === 1 ? '1 error' : `${list.length} errors`}`;
  result.replaceChildren(heading, renderErrors(document, list, (err) => selectError(textarea, err)));
  if (list[0].line > 0) selectError(textarea, list[0]);
}

async function check() {
  try {
    const answer = await send({ type: MSG.CHECK_POLICY, toml: textarea.value });
    if (answer?.ok) showMessage('ok', 'The policy is valid.');
    else showErrors(answer?.errors, 'Not valid');
  } catch (err) {
    showMessage('error', `Could not check the policy: ${err?.message ?? err}`);
  }
}

async function save(toml, done) {
  try {
    const answer = await send({ type: MSG.SET_POLICY, toml });
    if (answer?.ok) {
      showMessage('ok', done);
      await load();
    } else {
      showErrors(answer?.errors, 'Not saved');
    }
  } catch (err) {
    showMessage('error', `Could not save the policy: ${err?.message ?? err}`);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  save(textarea.value, 'Saved. Preflight uses this policy from now on.');
});
checkButton.addEventListener('click', check);
// An empty user policy merges to exactly the built-in defaults.
resetButton.addEventListener('click', () => save('', 'Reset to the built-in defaults.'));

load();
