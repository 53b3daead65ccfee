import { i as input, b as booleanInput, s as startAction } from './chunks/input-reading-DJlZDR2N.js';
import { g as getInput, s as setSecret } from './chunks/workflow-io-DZIqKM4x.js';
import { I as InputError } from './chunks/log-text-O5UIUIY4.js';

const SIGSTORE_MODES = ["auto", "public-good", "github", "custom"];
function readWithdrawInputs() {
  const githubToken = input("github-token");
  const pseudonymizationKey = getInput("pseudonymization-key");
  if (githubToken) setSecret(githubToken);
  if (pseudonymizationKey) setSecret(pseudonymizationKey);
  const sigstore = input("sigstore") || "auto";
  if (!SIGSTORE_MODES.includes(sigstore)) {
    throw new InputError(
      "sigstore",
      `expected one of ${SIGSTORE_MODES.join(", ")}, got '${sigstore}'.`
    );
  }
  return {
    tag: input("tag"),
    reason: input("reason"),
    summary: getInput("summary"),
    incidentReference: input("incident-reference"),
    detectedAt: input("detected-at"),
    replacementTag: input("replacement-tag"),
    withdrawalRecord: input("withdrawal-record"),
    pseudonymizationKey,
    pseudonymizationKeyId: input("pseudonymization-key-id"),
    pseudonymizationDomain: input("pseudonymization-domain"),
    restoreLatest: booleanInput("restore-latest", true),
    githubToken,
    sigstore,
    fulcioUrl: input("fulcio-url"),
    rekorUrl: input("rekor-url"),
    tsaUrl: input("tsa-url")
  };
}

void startAction(readWithdrawInputs, async () => (await import('./chunks/run-D3aOzNCf.js')).run);
