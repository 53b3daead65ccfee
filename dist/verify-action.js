import { b as beforeStdout, g as getInput, s as setSecret, a as setFailed } from './chunks/workflow-io-DZIqKM4x.js';
import { I as InputError, e as errorMessage } from './chunks/log-text-O5UIUIY4.js';

const RELEASE_REF = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)@(.+)$/;
function parseRelease(value) {
  const match = RELEASE_REF.exec(value);
  if (!match) {
    throw new InputError("release", `expected OWNER/REPO@TAG (for example octo-org/app@v1.2.0).`);
  }
  return { owner: match[1], repo: match[2], tag: match[3] };
}
function parseBoolean(name, value) {
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new InputError(name, `must be true or false.`);
}
function readVerifyActionInputs(getInput, env) {
  const given = getInput("release");
  const path = getInput("path") || void 0;
  const ref = env["GITHUB_REF"] ?? "";
  const repository = env["GITHUB_REPOSITORY"] ?? "";
  const triggeringTag = ref.startsWith("refs/tags/") ? ref.slice("refs/tags/".length) : void 0;
  let release = given ? parseRelease(given) : void 0;
  if (!release && !path) {
    if (!triggeringTag || !repository) {
      throw new InputError(
        "release",
        `is required here: the workflow was triggered by ${ref || "no ref"}, not a tag. Give release: OWNER/REPO@TAG, or path: a folder of downloaded release assets.`
      );
    }
    release = parseRelease(`${repository}@${triggeringTag}`);
  }
  const repo = release ? `${release.owner}/${release.repo}` : repository;
  if (!repo) throw new InputError("release", "names no repository, and GITHUB_REPOSITORY is unset.");
  const optional = (name) => getInput(name) || void 0;
  return {
    // With a folder, the release names only what the folder must be.
    ...release && !path ? { release } : {},
    ...path ? { path } : {},
    repo,
    tag: release?.tag ?? (path ? triggeringTag : void 0),
    signerWorkflow: optional("signer-workflow"),
    withdrawalSignerWorkflow: optional("withdrawal-signer-workflow"),
    trustedRoot: optional("trusted-root"),
    allowWithdrawn: parseBoolean("allow-withdrawn", getInput("allow-withdrawn")),
    token: optional("github-token")
  };
}

async function start() {
  let inputs;
  try {
    inputs = beforeStdout(() => {
      const read = readVerifyActionInputs(getInput, process.env);
      if (read.token) setSecret(read.token);
      return read;
    });
  } catch (error) {
    beforeStdout(() => setFailed(errorMessage(error)));
    return;
  }
  const core = await import('./chunks/core-NnQO8tC0.js');
  try {
    const { actionsReporter } = await import('./chunks/reporter-4sKHlrVL.js');
    const { verifyForAction } = await import('./chunks/verify-Bggagh5G.js');
    const outcome = await verifyForAction(inputs, process.env, actionsReporter);
    for (const line of outcome.text.trimEnd().split("\n")) core.info(line);
    core.setOutput("manifest-digest", outcome.report.manifestDigest ?? "");
    core.setOutput("verified", String(outcome.report.verified));
    core.setOutput("report-path", outcome.reportPath);
    if (process.env["GITHUB_STEP_SUMMARY"]) await core.summary.addRaw(outcome.summary).write();
    if (!outcome.report.verified) {
      setFailed(outcome.text.trimEnd().split("\n").at(-1) ?? "The release does not verify.");
    }
  } catch (error) {
    core.setOutput("verified", "false");
    setFailed(errorMessage(error));
  }
}
void start();
