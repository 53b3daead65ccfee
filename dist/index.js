import { i as input, b as booleanInput, s as startAction } from './chunks/input-reading-DJlZDR2N.js';
import { g as getInput, s as setSecret } from './chunks/workflow-io-DZIqKM4x.js';
import { I as InputError } from './chunks/log-text-O5UIUIY4.js';

function oneOf(name, allowed, fallback) {
  const value = input(name) || fallback;
  if (allowed.includes(value)) return value;
  throw new InputError(name, `expected one of ${allowed.join(", ")}, got '${value}'.`);
}
function tagOfTriggeringRef() {
  const ref = process.env["GITHUB_REF"] ?? "";
  if (process.env["GITHUB_REF_TYPE"] !== "tag" || !ref.startsWith("refs/tags/")) return void 0;
  return ref.slice("refs/tags/".length) || void 0;
}
function readInputs() {
  const githubToken = input("github-token");
  const pseudonymizationKey = getInput("pseudonymization-key");
  if (githubToken) setSecret(githubToken);
  if (pseudonymizationKey) setSecret(pseudonymizationKey);
  const pushedTag = tagOfTriggeringRef();
  const tag = input("tag") || pushedTag;
  if (!tag)
    throw new InputError("tag", "is required: set the tag of the release to create, e.g. v1.2.3.");
  const inputs = {
    tag,
    pushedTag,
    subjectPath: getInput("subject-path"),
    subjectChecksums: input("subject-checksums"),
    targetCommitish: input("target-commitish"),
    name: input("name"),
    body: getInput("body"),
    bodyPath: input("body-path"),
    prerelease: booleanInput("prerelease", false),
    makeLatest: oneOf("make-latest", ["true", "false", "legacy"], "true"),
    changeRecord: input("change-record"),
    pseudonymizationKey,
    pseudonymizationKeyId: input("pseudonymization-key-id"),
    pseudonymizationDomain: input("pseudonymization-domain"),
    changeRecordPolicy: oneOf("change-record-policy", ["enforce", "warn"], "enforce"),
    sigstore: oneOf("sigstore", ["auto", "public-good", "github", "custom"], "auto"),
    fulcioUrl: input("fulcio-url"),
    rekorUrl: input("rekor-url"),
    tsaUrl: input("tsa-url"),
    githubToken,
    pushToAttestations: booleanInput("push-to-attestations", true),
    dryRun: booleanInput("dry-run", false)
  };
  if (inputs.body && inputs.bodyPath) {
    throw new InputError("body-path", "cannot be combined with body: give the notes one way.");
  }
  if (!inputs.subjectPath.trim() && !inputs.subjectChecksums) {
    throw new InputError(
      "subject-path",
      "no artifacts given: set subject-path (glob patterns) and/or subject-checksums."
    );
  }
  return inputs;
}

void startAction(readInputs, async () => (await import('./chunks/run-imH5Qsqq.js')).run);

export { readInputs as r };
