import { e as errorMessage, I as InputError } from './log-text-O5UIUIY4.js';
import { b as beforeStdout, a as setFailed, g as getInput } from './workflow-io-DZIqKM4x.js';

async function startAction(readInputs, loadRun) {
  let inputs;
  try {
    inputs = beforeStdout(readInputs);
  } catch (error) {
    beforeStdout(() => setFailed(errorMessage(error)));
    return;
  }
  try {
    const run = await loadRun();
    await run(inputs);
  } catch (error) {
    setFailed(errorMessage(error));
  }
}

function input(name) {
  return getInput(name, { trimWhitespace: true });
}
function booleanInput(name, fallback) {
  const value = input(name);
  if (value === "") return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(name, `expected true or false, got '${value}'.`);
}
function refuseWithoutIdToken() {
  if (!process.env["ACTIONS_ID_TOKEN_REQUEST_URL"] || !process.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]) {
    throw new InputError(
      "permissions",
      "the job cannot request an OIDC token for keyless signing. Add 'permissions: id-token: write' to the job (and 'contents: write', 'attestations: write')."
    );
  }
}

export { booleanInput as b, input as i, refuseWithoutIdToken as r, startAction as s };
