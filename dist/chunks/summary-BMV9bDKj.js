import { g as statusOf$1, t as toGitHubError, a as apiBaseUrl, y as retry, r as reread, f as expectObject, z as readRefWithTagObject, p as listAllPages, F as FileBody, d as downloadAndHashAsset, A as gitHubServiceError, o as downloadAssetToFile, q as isGitHubError, I as IN_TOTO_PAYLOAD_TYPE, j as distExports, B as BUNDLE_MEDIA_TYPE, C as distExports$1, s as serviceErrorFor, c as createGitHubClient, D as writeIntervalFor } from './change-record.v1-PQwpiILr.js';
import { I as InputError, e as errorMessage, S as ServiceError } from './log-text-O5UIUIY4.js';
import { j as COMMIT_SHA, f as SHA256_HEX, h as hashBytes, c as canonicalJson, I as IN_TOTO_STATEMENT_V1, C as CHANGE_RECORD_FILE } from './read-user-file-BZ-0qY-O.js';
import { stat, readFile, writeFile, rename, rm } from 'node:fs/promises';
import { m as mapLimit } from './concurrency-icQKjNbB.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { s as silentReporter } from './path-BDJXcjM6.js';
import './policy-DjAvqSWB.js';
import 'node:stream/promises';
import { getIDToken, summary } from './core-NnQO8tC0.js';
import { actionsReporter } from './reporter-4sKHlrVL.js';
import { isIPv6 } from 'node:net';
import './open-flags-BT7QmZNK.js';

function attestationsUrl(client, owner, repo) {
  return `${apiBaseUrl(client)}/repos/${owner}/${repo}/attestations`;
}
async function storeAttestationBundle(client, request) {
  let data;
  try {
    ;
    ({ data } = await client.request("POST /repos/{owner}/{repo}/attestations", {
      owner: request.owner,
      repo: request.repo,
      bundle: request.bundle
    }));
  } catch (error) {
    const status = statusOf$1(error);
    if (status === 403 || status === 404)
      return { outcome: "unavailable", answer: `HTTP ${status}` };
    throw toGitHubError(error, `POST /repos/${request.owner}/${request.repo}/attestations`);
  }
  const id = data?.id;
  if (typeof id !== "number") throw new Error("the response has no attestation id");
  return { outcome: "stored", id };
}

async function readRepositoryFacts$1(client, owner, repo, onUnreadable = () => {
}) {
  try {
    const { data } = await client.rest.repos.get({ owner, repo });
    const visibility = data.visibility ?? (data.private ? "private" : "public");
    const ownerType = data.owner.type === "Organization" ? "Organization" : "User";
    return { visibility, ownerType };
  } catch (error) {
    onUnreadable(toGitHubError(error, `GET /repos/${owner}/${repo}`));
    return void 0;
  }
}

const TAG_MARKER = /immutable-release run (\S+) attempt (\d+)/;
const BODY_MARKER = /<!-- immutable-release: run_id=([^,\s]+), run_attempt=(\d+) -->/;
function tagClaimMessage(tag, run) {
  return `Release ${tag}

immutable-release run ${run.id} attempt ${run.attempt}
`;
}
function releaseBodyMarker(run) {
  return `<!-- immutable-release: run_id=${run.id}, run_attempt=${run.attempt} -->`;
}
function parseTagClaim(message) {
  const match = TAG_MARKER.exec(message ?? "");
  return match ? { id: match[1], attempt: Number(match[2]) } : void 0;
}
function parseReleaseMarker(body) {
  const match = BODY_MARKER.exec(body ?? "");
  return match ? { id: match[1], attempt: Number(match[2]) } : void 0;
}
function isResumableBy(owner, run) {
  return owner !== void 0 && owner.id === run.id && owner.attempt < run.attempt;
}
const RELEASE_CLAIM_REF_PREFIX = "refs/immutable-release/claims/";
function releaseClaimRef(tag) {
  return `${RELEASE_CLAIM_REF_PREFIX}${tag}`;
}
function isDraftOfRun(release, run) {
  const writer = parseReleaseMarker(release.body);
  return release.draft && writer !== void 0 && writer.id === run.id && writer.attempt <= run.attempt;
}
function draftsOfRun(tag, run, releases) {
  return releases.filter((r) => r.tagName === tag && isDraftOfRun(r, run)).sort((a, b) => a.id - b.id);
}
function afterUncertainCreate(input) {
  const { tag, run } = input;
  const mine = draftsOfRun(tag, run, input.releases).filter((r) => {
    const writer = parseReleaseMarker(r.body);
    return writer?.attempt === run.attempt;
  });
  if (mine[0]) return { action: "adopt", draft: mine[0] };
  return input.repeatable ? { action: "create-again" } : { action: "give-up" };
}
function extraDraftsOfRun(tag, run, releases, keepId) {
  return draftsOfRun(tag, run, releases).filter((r) => r.id !== keepId);
}
const NEVER_REPLACES = "This action never moves or replaces a tag or a release: choose a new tag (for example the next version).";
function releaseInTheWay(tag, run, releases) {
  const ofTag = releases.filter((r) => r.tagName === tag);
  const published = ofTag.find((r) => !r.draft);
  if (published) {
    return `a published release already uses tag "${tag}": ${published.htmlUrl}. ${NEVER_REPLACES}`;
  }
  const foreignDraft = ofTag.find((r) => !isResumableBy(parseReleaseMarker(r.body), run));
  if (foreignDraft) {
    return `a draft release already uses tag "${tag}" (${foreignDraft.htmlUrl}); it was not created by an earlier attempt of this workflow run. ${NEVER_REPLACES} If that draft is abandoned, delete it first.`;
  }
  return void 0;
}
function decideStart(input) {
  const { tag, run, existingTag } = input;
  const releases = input.releases.filter((r) => r.tagName === tag);
  const taken = releaseInTheWay(tag, run, releases);
  if (taken) return { action: "refuse", reason: taken };
  const ownDraft = releases[0];
  if (input.pushed) {
    return decideAdopt({ ...input, pushed: input.pushed, ownDraft });
  }
  if (!existingTag) {
    return ownDraft ? { action: "resume", claimedObjectSha: void 0, draft: ownDraft } : { action: "claim" };
  }
  const claim = existingTag.tagObject ? parseTagClaim(existingTag.tagObject.message) : void 0;
  const pointsAt = existingTag.tagObject?.targetSha ?? existingTag.objectSha;
  if (existingTag.objectType === "commit" && ownDraft && pointsAt === input.commitSha) {
    return { action: "resume", claimedObjectSha: existingTag.objectSha, draft: ownDraft };
  }
  if (existingTag.objectType !== "tag" || !isResumableBy(claim, run)) {
    return {
      action: "refuse",
      reason: `tag "${tag}" already exists (commit ${pointsAt}). ${NEVER_REPLACES}`
    };
  }
  if (pointsAt !== input.commitSha) {
    return {
      action: "refuse",
      reason: `tag "${tag}" was claimed by attempt ${claim?.attempt} of this run at commit ${pointsAt}, but target-commitish now resolves to ${input.commitSha}. ${NEVER_REPLACES}`
    };
  }
  return { action: "resume", claimedObjectSha: existingTag.objectSha, draft: ownDraft };
}
const ADOPTS_ONLY = "A pushed tag is released only where it was pushed, and this action never moves, deletes or re-creates a tag.";
function pushedTagOf(tag) {
  const taggerDate = tag.tagObject?.taggerDate;
  return {
    objectType: tag.objectType === "tag" ? "tag" : "commit",
    objectSha: tag.objectSha,
    ...tag.objectType === "tag" && taggerDate ? { taggerDate } : {}
  };
}
function tagCommit(tag) {
  return tag.tagObject?.targetSha ?? tag.objectSha;
}
function decideAdopt(input) {
  const { tag, run, existingTag, pushed, releaseClaim, ownDraft } = input;
  if (!existingTag) {
    return {
      action: "refuse",
      reason: `tag "${tag}" started this run but no longer exists (it was deleted after the push). Push it again to release it; this action does not re-create a pushed tag.`
    };
  }
  const creator = existingTag.tagObject ? parseTagClaim(existingTag.tagObject.message) : void 0;
  if (creator && !isResumableBy(creator, run)) {
    return {
      action: "refuse",
      reason: `tag "${tag}" was created by immutable-release for run ${creator.id} attempt ${creator.attempt}, which releases it; this run must not release it a second time. ${ADOPTS_ONLY}`
    };
  }
  const pointsAt = tagCommit(existingTag);
  if (pointsAt !== pushed.runSha) {
    return {
      action: "refuse",
      reason: `tag "${tag}" points at commit ${pointsAt}, but this run was started for commit ${pushed.runSha} (GITHUB_SHA): the tag was moved after the push. ${ADOPTS_ONLY}`
    };
  }
  if (input.commitSha !== pushed.runSha) {
    return {
      action: "refuse",
      input: "target-commitish",
      reason: `resolves to ${input.commitSha}, but the pushed tag "${tag}" points at ${pointsAt}. Leave target-commitish unset to release the pushed tag. ${ADOPTS_ONLY}`
    };
  }
  if (!releaseClaim) {
    return { action: "adopt", pushedTag: existingTag, claimedObjectSha: void 0, draft: ownDraft };
  }
  const owner = releaseClaim.tagObject ? parseTagClaim(releaseClaim.tagObject.message) : void 0;
  const ours = isResumableBy(owner, run) || releaseClaim.objectType === "commit" && ownDraft !== void 0;
  if (ours) {
    return {
      action: "adopt",
      pushedTag: existingTag,
      claimedObjectSha: releaseClaim.objectSha,
      draft: ownDraft
    };
  }
  const by = owner ? `run ${owner.id} attempt ${owner.attempt}` : "another run";
  return {
    action: "refuse",
    reason: `${by} is already releasing tag "${tag}" (it holds ${releaseClaimRef(tag)}). Only one run may release a tag; nothing was written by this run. If that run was cancelled and left the claim behind, delete the ref ${releaseClaimRef(tag).slice("refs/".length)} and re-run.`
  };
}
function storedAssetProblem(asset, want) {
  if (asset.state !== "uploaded") return `an interrupted upload (state ${asset.state})`;
  if (asset.size !== want.size) return `size ${asset.size}, expected ${want.size}`;
  if (asset.digest !== null && asset.digest !== `sha256:${want.sha256}`) {
    return `digest ${asset.digest}, expected sha256:${want.sha256}`;
  }
  return void 0;
}
function uploadDigestProblem(uploaded, want) {
  if (uploaded.digest === null || uploaded.digest === `sha256:${want.sha256}`) return void 0;
  return `GitHub stored "${want.name}" with digest ${uploaded.digest}, expected sha256:${want.sha256}`;
}
function planAssets(expected, existing) {
  const byName = new Map(expected.map((a) => [a.name, a]));
  const plan = { keep: [], remove: [], upload: [] };
  const kept = /* @__PURE__ */ new Set();
  for (const asset of existing) {
    const want = byName.get(asset.name);
    let reason;
    if (!want) reason = "not part of this release";
    else if (kept.has(asset.name)) reason = "a duplicate";
    else reason = storedAssetProblem(asset, want);
    if (reason) plan.remove.push({ asset, reason });
    else {
      plan.keep.push(asset);
      kept.add(asset.name);
    }
  }
  plan.upload = expected.filter((a) => !kept.has(a.name));
  return plan;
}
function checkAssets(expected, actual) {
  const result = { problems: [], toHash: [] };
  const seen = /* @__PURE__ */ new Set();
  const byName = new Map(expected.map((a) => [a.name, a]));
  for (const asset of actual) {
    const want = byName.get(asset.name);
    if (!want) {
      result.problems.push(`unexpected asset "${asset.name}"`);
      continue;
    }
    if (seen.has(asset.name)) {
      result.problems.push(`asset "${asset.name}" appears twice`);
      continue;
    }
    seen.add(asset.name);
    if (asset.state !== "uploaded") {
      result.problems.push(`asset "${asset.name}" is not fully uploaded (state ${asset.state})`);
    } else if (asset.size !== want.size) {
      result.problems.push(`asset "${asset.name}" has ${asset.size} bytes, expected ${want.size}`);
    } else if (asset.digest === null) {
      result.toHash.push({ asset, expected: want });
    } else if (asset.digest !== `sha256:${want.sha256}`) {
      result.problems.push(
        `asset "${asset.name}" has digest ${asset.digest}, expected sha256:${want.sha256}`
      );
    }
  }
  for (const want of expected) {
    if (!seen.has(want.name)) result.problems.push(`asset "${want.name}" is missing`);
  }
  return result;
}
function draftRollback(release) {
  if (!release) return "gone";
  return release.draft ? "delete" : "keep-published";
}
function tagRollback(input) {
  if (input.target !== input.claimedObjectSha) return "not-ours";
  return input.publishedReleaseUsesTag ? "in-use" : "delete";
}
function releaseClaimRollback(input) {
  return input.target === input.claimedObjectSha ? "delete" : "not-ours";
}
function cleanupSummary(leftBehind, adoptedTag) {
  if (leftBehind.length > 0) return `Could not clean up: ${leftBehind.join("; ")}.`;
  return adoptedTag === void 0 ? "Nothing was left behind: the draft, its assets and the tag were removed." : `Nothing was left behind: the draft, its assets and the release claim were removed; the pushed tag ${adoptedTag} is as it was.`;
}

class ReleaseConflictError extends Error {
  tag;
  constructor(tag, message) {
    super(message);
    this.name = "ReleaseConflictError";
    this.tag = tag;
  }
}
class ReleaseFailedError extends Error {
  step;
  /** What could not be removed (empty when nothing was left behind). */
  leftBehind;
  constructor(step, message, leftBehind, options) {
    super(message, options);
    this.name = "ReleaseFailedError";
    this.step = step;
    this.leftBehind = leftBehind;
  }
}

function tagNameProblem(tag) {
  if (tag === "") return "the tag name is empty";
  if (tag === "@") return 'a tag cannot be named "@"';
  if (tag.startsWith("-")) return 'a tag name cannot start with "-"';
  if (tag.startsWith("/")) return 'a tag name cannot start with "/"';
  if (tag.endsWith("/")) return 'a tag name cannot end with "/"';
  if (tag.endsWith(".")) return 'a tag name cannot end with "."';
  if (tag.includes("//")) return 'a tag name cannot contain "//"';
  if (tag.includes("..")) return 'a tag name cannot contain ".."';
  if (tag.includes("@{")) return 'a tag name cannot contain "@{"';
  for (const char of tag) {
    const code = char.codePointAt(0);
    if (code < 32 || code === 127) {
      return `a tag name cannot contain control characters (found U+${code.toString(16).padStart(4, "0").toUpperCase()})`;
    }
    if (char === " ") return "a tag name cannot contain spaces";
    if ("~^:?*[\\".includes(char)) return `a tag name cannot contain "${char}"`;
  }
  for (const component of tag.split("/")) {
    if (component.startsWith(".")) return `the part "${component}" starts with "."`;
    if (component.endsWith(".lock")) return `the part "${component}" ends with ".lock"`;
  }
  return void 0;
}
function validateTagName(tag) {
  const problem = tagNameProblem(tag);
  if (problem) {
    throw new InputError(
      "tag",
      `"${tag}" is not a valid git tag name: ${problem}. Use a name such as v1.2.3.`
    );
  }
}

function notACommit(store, commitish) {
  return new InputError(
    "target-commitish",
    `"${commitish}" is not a branch, tag or commit of ${store.owner}/${store.repo}.`
  );
}
async function resolveCommit(store, commitish) {
  const sha = await store.resolveCommit(commitish);
  if (!sha) throw notACommit(store, commitish);
  return sha;
}
async function checkTagAvailable(store, tag, resume, pushed) {
  validateTagName(tag);
  let observed;
  try {
    observed = await store.readTag(tag, { releaseClaim: pushed !== void 0 });
  } catch (error) {
    throw store.describeFailure(`reading tag "${tag}" and its releases`, error);
  }
  const decision = decideStart({
    tag,
    commitSha: resume?.commitSha ?? pushed?.commitSha ?? "",
    run: resume?.run ?? { id: "", attempt: 0 },
    ...observed,
    ...pushed ? { pushed: { runSha: pushed.runSha } } : {}
  });
  if (decision.action === "refuse") throw new InputError(decision.input ?? "tag", decision.reason);
  return observed;
}
async function refuseOtherTagThanPushed(store, inputTag, pushedTag) {
  if (inputTag === pushedTag) return;
  let target;
  try {
    target = await store.tagTarget(pushedTag);
  } catch (error) {
    throw store.describeFailure(`reading tag "${pushedTag}"`, error);
  }
  if (target === void 0) return;
  throw new InputError(
    "tag",
    `is "${inputTag}", but this run was started by pushing tag "${pushedTag}". Leave the tag input unset (or set it to "${pushedTag}") to release the pushed tag, or run the release from a workflow that no tag push starts.`
  );
}
async function readStart(store, request) {
  const { tag, run, pushed } = request;
  try {
    const [sha, observed] = await Promise.all([
      // A full commit SHA (the run's own, by default) needs no lookup; creating the ref at it
      // fails by itself if the commit does not exist.
      COMMIT_SHA.test(request.targetCommitish) ? request.targetCommitish.toLowerCase() : store.resolveCommit(request.targetCommitish),
      request.observed ?? store.readTag(tag, { releaseClaim: pushed !== void 0 })
    ]);
    if (!sha) throw notACommit(store, request.targetCommitish);
    const decision = decideStart({ tag, commitSha: sha, run, ...observed, pushed });
    return { commitSha: sha, decision };
  } catch (error) {
    throw store.describeFailure(`reading tag "${tag}" and its releases`, error);
  }
}
async function claimTag(store, request, start, reporter) {
  const { tag, run } = request;
  const { commitSha, decision } = start;
  const resumedDraft = decision.action === "resume" ? decision.draft : void 0;
  if (decision.action === "resume") {
    reporter.info(
      `Resuming the release of ${tag} left by an earlier attempt of run ${run.id}` + (resumedDraft ? ` (draft ${resumedDraft.htmlUrl})` : " (tag claimed, no draft yet)")
    );
    if (decision.claimedObjectSha !== void 0) {
      return { tagObjectSha: decision.claimedObjectSha, resumedDraft };
    }
  }
  const claim = await store.claimTag(tag, commitSha, tagClaimMessage(tag, run));
  if (claim.lightweight) {
    reporter.info(
      `This server cannot create annotated tags (${claim.lightweight.reason}); claiming ${tag} with a lightweight tag.`
    );
  }
  if (claim.outcome === "refused") {
    throw new InputError(
      "target-commitish",
      `${claim.detail}. Check that the commit exists in ${store.owner}/${store.repo}.`
    );
  }
  if (claim.outcome === "taken") {
    throw new ReleaseConflictError(
      tag,
      `Tag "${tag}" was created by another run while this one was preparing (GitHub: ${claim.detail}). This action never moves or replaces a tag; nothing was written by this run.`
    );
  }
  reporter.info(`Claimed tag ${tag} at ${commitSha}`);
  return { tagObjectSha: claim.objectSha, resumedDraft };
}
async function dropReleaseClaim(store, tag, releaseClaimSha) {
  try {
    const target = await store.releaseClaimTarget(tag);
    if (releaseClaimRollback({ claimedObjectSha: releaseClaimSha, target }) !== "delete") {
      return false;
    }
    await store.removeReleaseClaim(tag);
    return true;
  } catch {
    return false;
  }
}
async function claimPushedTagRelease(store, request, start, reporter) {
  const { tag, run } = request;
  const { commitSha, decision } = start;
  const pushedAt = `${tag} (${decision.pushedTag.objectType === "tag" ? "annotated tag object" : "lightweight tag at"} ${decision.pushedTag.objectSha})`;
  if (decision.claimedObjectSha !== void 0) {
    reporter.info(
      `Resuming the release of the pushed tag ${pushedAt} left by an earlier attempt of run ${run.id}` + (decision.draft ? ` (draft ${decision.draft.htmlUrl})` : " (release claimed, no draft yet)")
    );
    return { resumedDraft: decision.draft, releaseClaimSha: decision.claimedObjectSha };
  }
  const claim = await store.claimRelease(tag, commitSha, tagClaimMessage(tag, run));
  if (claim.outcome === "refused") {
    throw new InputError(
      "tag",
      `${claim.detail}. The release of the pushed tag could not be claimed in ${store.owner}/${store.repo}.`
    );
  }
  if (claim.outcome === "taken") {
    throw new ReleaseConflictError(
      tag,
      `Another run is releasing the pushed tag "${tag}": it claimed the release while this one was preparing (GitHub: ${claim.detail}). Only one run may release a tag; nothing was written by this run.`
    );
  }
  if (claim.lightweight) {
    reporter.info(
      `This server cannot create annotated tags (${claim.lightweight.reason}); the release claim ${releaseClaimRef(tag)} points at the commit.`
    );
  }
  await refuseReleasedMeanwhile(store, request, claim.objectSha);
  reporter.info(
    `Releasing the pushed tag ${pushedAt}; claimed the release with ${releaseClaimRef(tag)}`
  );
  return { resumedDraft: decision.draft, releaseClaimSha: claim.objectSha };
}
async function refuseReleasedMeanwhile(store, request, releaseClaimSha) {
  const { tag, run } = request;
  let releases;
  try {
    releases = await store.releasesWithTag(tag);
  } catch (error) {
    await dropReleaseClaim(store, tag, releaseClaimSha);
    throw store.describeFailure(`reading the releases of tag "${tag}"`, error);
  }
  const inTheWay = releaseInTheWay(tag, run, releases);
  if (inTheWay === void 0) return;
  await dropReleaseClaim(store, tag, releaseClaimSha);
  throw new ReleaseConflictError(
    tag,
    `Another run released tag "${tag}" while this one was preparing: ${inTheWay}`
  );
}

const REPEAT_LOST_ANSWER = { attempts: 3, delayMs: 0 };
const CREATE_AGAIN = { attempts: 4, delayMs: 1e3 };
async function createDraft(store, request, commitSha, trace) {
  const marker = releaseBodyMarker(request.run);
  const body = request.body ? `${request.body}

${marker}` : marker;
  let again = false;
  return retry(
    async () => {
      again = false;
      const result = await store.createDraft({
        tag: request.tag,
        commitSha,
        name: request.name ?? request.tag,
        body,
        prerelease: request.prerelease
      });
      if (result.outcome === "created") return result.draft;
      if (!result.mayExist) {
        again = result.repeatable;
        throw result.error;
      }
      trace.uncertain = true;
      const next = afterUncertainCreate({
        tag: request.tag,
        run: request.run,
        releases: await store.releasesWithTag(request.tag),
        repeatable: result.repeatable
      });
      if (next.action === "adopt") return resumeDraft(store, next.draft);
      again = next.action === "create-again";
      throw result.error;
    },
    { ...CREATE_AGAIN, retryable: () => again }
  );
}
async function removeExtraDrafts(store, request, keepId, reporter) {
  let extras;
  try {
    extras = extraDraftsOfRun(
      request.tag,
      request.run,
      await store.releasesWithTag(request.tag),
      keepId
    );
  } catch (error) {
    return [
      `any extra draft of this run for ${request.tag} (listing failed: ${errorMessage(error)})`
    ];
  }
  const failed = [];
  for (const extra of extras) {
    try {
      await store.removeDraft(extra.id);
      reporter.info(`Deleted extra draft release ${extra.htmlUrl} (a repeated create made it)`);
    } catch (error) {
      failed.push(`draft release ${extra.htmlUrl} (${errorMessage(error)})`);
    }
  }
  return failed;
}
async function resumeDraft(store, existing) {
  const release = await store.getRelease(existing.id);
  if (!release || !release.draft)
    throw new Error(`draft ${existing.htmlUrl} is gone or was published meanwhile`);
  return {
    id: release.id,
    htmlUrl: release.htmlUrl,
    uploadUrl: release.uploadUrl,
    assets: await store.listAssets(release.id)
  };
}
async function publishDraft(store, releaseId, options) {
  let repeatable = false;
  const published = await retry(
    async () => {
      repeatable = false;
      const result = await store.publish(releaseId, options);
      if (result.outcome === "published") return result.release;
      const now = await store.getRelease(releaseId).catch(() => void 0);
      if (now && !now.draft) return now;
      repeatable = result.repeatable && now !== void 0;
      throw result.error;
    },
    { ...REPEAT_LOST_ANSWER, retryable: () => repeatable }
  );
  if (published.draft) {
    throw new Error("GitHub still reports the release as a draft after publishing it");
  }
  return published;
}

const MAKE_LATEST_VALUES = Object.freeze(["true", "false", "legacy"]);

async function validateAsset(asset, names) {
  if (!asset.name || asset.name.includes("/")) {
    throw new InputError(
      "assets",
      `"${asset.name}" is not a usable asset name (it must be non-empty and contain no "/").`
    );
  }
  if (names.has(asset.name)) {
    throw new InputError(
      "assets",
      `two assets are named "${asset.name}"; asset names must be unique.`
    );
  }
  names.add(asset.name);
  if (!SHA256_HEX.test(asset.sha256)) {
    throw new InputError(
      "assets",
      `the sha256 of "${asset.name}" must be 64 lower-case hex digits.`
    );
  }
  let size;
  try {
    size = (await stat(asset.path)).size;
  } catch {
    throw new InputError("assets", `cannot read "${asset.path}" for asset "${asset.name}".`);
  }
  if (size !== asset.size) {
    throw new InputError(
      "assets",
      `"${asset.path}" has ${size} bytes but the manifest says ${asset.size}; it changed after it was hashed.`
    );
  }
}
async function validateRequest(request) {
  validateTagName(request.tag);
  if (!request.targetCommitish.trim()) {
    throw new InputError("target-commitish", "is empty; give a branch, tag or commit SHA.");
  }
  const names = /* @__PURE__ */ new Set();
  for (const asset of request.assets) await validateAsset(asset, names);
  if (!MAKE_LATEST_VALUES.includes(request.makeLatest)) {
    throw new InputError(
      "make-latest",
      `must be 'true', 'false' or 'legacy', not '${String(request.makeLatest)}'.`
    );
  }
}

async function rollBackDraft(store, draftId, leftBehind, reporter) {
  try {
    const release = await store.getRelease(draftId);
    const action = draftRollback(release);
    if (release && action === "keep-published") {
      leftBehind.push(`release ${release.htmlUrl} was published and is left as it is`);
      return { tagInUse: true };
    }
    if (release && action === "delete") {
      await store.removeDraft(release.id);
      reporter.info(`Deleted draft release ${release.htmlUrl}`);
    }
    return { tagInUse: false };
  } catch (error) {
    leftBehind.push(`draft release ${draftId} (${errorMessage(error)})`);
    return { tagInUse: true };
  }
}
async function rollBackTag(store, tag, claimedObjectSha, leftBehind, reporter) {
  try {
    const target = await store.tagTarget(tag);
    const publishedReleaseUsesTag = (await store.releasesWithTag(tag)).some((r) => !r.draft);
    const action = tagRollback({ claimedObjectSha, target, publishedReleaseUsesTag });
    if (action === "delete") {
      await store.removeTag(tag);
      reporter.info(`Deleted tag ${tag}`);
    } else if (action === "in-use") {
      leftBehind.push(`tag ${tag} (a published release uses it)`);
    }
  } catch (error) {
    leftBehind.push(`tag ${tag} (${errorMessage(error)})`);
  }
}
async function rollBack(store, tag, created, reporter) {
  const leftBehind = [];
  const { tagInUse } = created.draftId === void 0 ? { tagInUse: false } : await rollBackDraft(store, created.draftId, leftBehind, reporter);
  if (created.tagObjectSha !== void 0 && !tagInUse) {
    await rollBackTag(store, tag, created.tagObjectSha, leftBehind, reporter);
  } else if (created.tagObjectSha !== void 0) {
    leftBehind.push(`tag ${tag}`);
  }
  if (created.releaseClaimSha !== void 0) {
    if (await dropReleaseClaim(store, tag, created.releaseClaimSha)) {
      reporter.info(`Removed the release claim ${releaseClaimRef(tag)}`);
    } else {
      const ours = created.releaseClaimSha;
      const now = await store.releaseClaimTarget(tag).catch(() => ours);
      if (now === ours) leftBehind.push(`the release claim ${releaseClaimRef(tag)}`);
    }
  }
  return leftBehind;
}

async function uploadAssets(store, draft, request, reporter) {
  const plan = planAssets(request.assets, draft.assets);
  for (const { asset, reason } of plan.remove) {
    reporter.info(`Removing asset ${asset.name} from the draft: ${reason}`);
    await store.deleteAsset(asset.id);
  }
  const policy = request.uploadRetry ?? { attempts: 3, delayMs: 1e3 };
  let failure;
  await mapLimit(plan.upload, request.uploadConcurrency ?? 4, async (asset) => {
    if (failure) return;
    try {
      await uploadWithRetries(store, draft, asset, policy, reporter);
    } catch (error) {
      failure ??= { error };
    }
  });
  if (failure) throw failure.error;
}
function uploadFailure(result, asset) {
  if (result.outcome === "duplicate")
    return { error: result.error, retryable: true, duplicate: true };
  if (result.outcome === "failed") {
    return { error: result.error, retryable: result.retryable, duplicate: false };
  }
  const problem = uploadDigestProblem(result.asset, asset);
  return problem ? { error: new Error(problem), retryable: true, duplicate: false } : void 0;
}
async function uploadWithRetries(store, draft, asset, policy, reporter) {
  let retryable = false;
  await retry(
    async (attempt) => {
      retryable = false;
      const failure = uploadFailure(await store.upload(draft, asset), asset);
      if (!failure) return;
      const leftover = (await store.listAssets(draft.id)).filter((a) => a.name === asset.name);
      if (failure.duplicate && leftover.some((a) => storedAssetProblem(a, asset) === void 0)) {
        return;
      }
      if (!failure.retryable || attempt >= policy.attempts) {
        throw new Error(
          `uploading "${asset.name}" failed after ${attempt} attempt(s): ${errorMessage(failure.error)}`,
          { cause: failure.error }
        );
      }
      for (const partial of leftover) await store.deleteAsset(partial.id);
      reporter.info(
        `Upload of ${asset.name} failed (${errorMessage(failure.error)}); retrying (attempt ${attempt + 1})`
      );
      retryable = true;
      throw failure.error;
    },
    { ...policy, retryable: () => retryable }
  );
}
async function verifyAssets(store, releaseId, expected) {
  const actual = await store.listAssets(releaseId);
  const check = checkAssets(expected, actual);
  const digests = /* @__PURE__ */ new Map();
  for (const a of actual) if (a.digest) digests.set(a.id, a.digest);
  for (const { asset, expected: want } of check.toHash) {
    const { sha256, size } = await store.hashAsset(asset.id);
    if (sha256 !== want.sha256 || size !== want.size) {
      check.problems.push(
        `asset "${asset.name}" as downloaded has sha256 ${sha256} (${size} bytes), expected ${want.sha256}`
      );
    } else {
      digests.set(asset.id, `sha256:${sha256}`);
    }
  }
  if (check.problems.length > 0)
    throw new Error(`the uploaded assets do not match: ${check.problems.join("; ")}`);
  return actual.map((a) => ({
    id: a.id,
    name: a.name,
    digest: digests.get(a.id)
  }));
}

async function claimStep(store, request, start, reporter) {
  const { commitSha, decision } = start;
  if (decision.action === "adopt") {
    const claim2 = await claimPushedTagRelease(store, request, { commitSha, decision }, reporter);
    const created = {
      tagObjectSha: void 0,
      draftId: void 0,
      releaseClaimSha: claim2.releaseClaimSha
    };
    return { created, resumedDraft: claim2.resumedDraft };
  }
  const claim = await claimTag(store, request, { commitSha, decision }, reporter);
  return {
    created: { tagObjectSha: claim.tagObjectSha, draftId: void 0 },
    resumedDraft: claim.resumedDraft
  };
}
async function publishRelease(store, request, reporter) {
  await validateRequest(request);
  const { tag } = request;
  const { commitSha, decision } = await readStart(store, request);
  if (decision.action === "refuse") throw new InputError(decision.input ?? "tag", decision.reason);
  const { created, resumedDraft } = await claimStep(
    store,
    request,
    { commitSha, decision },
    reporter
  );
  let step = "draft";
  const drafting = { uncertain: false };
  try {
    const draft = resumedDraft ? await resumeDraft(store, resumedDraft) : await createDraft(store, request, commitSha, drafting);
    created.draftId = draft.id;
    step = "upload";
    await uploadAssets(store, draft, request, reporter);
    step = "check";
    const uploadedAssets = await verifyAssets(store, draft.id, request.assets);
    if (drafting.uncertain) await refuseExtraDrafts(store, request, draft.id, reporter);
    step = "publish";
    const published = await publishDraft(store, draft.id, {
      makeLatest: request.makeLatest,
      prerelease: request.prerelease
    });
    await releaseTheClaim(store, tag, created, reporter);
    const immutable = published.immutable === true || await settingSaysImmutable(store, reporter);
    if (!immutable) {
      reporter.warning(
        `Release ${tag} is published but not immutable: the repository setting is off, so only this action's refusal protects the tag. Turn it on in Settings \u2192 General \u2192 Releases \u2192 "Enable release immutability".`
      );
    }
    return { id: published.id, url: published.htmlUrl, tag, commitSha, uploadedAssets, immutable };
  } catch (error) {
    const extrasLeft = drafting.uncertain ? await removeExtraDrafts(store, request, created.draftId, reporter) : [];
    const leftBehind = [...extrasLeft, ...await rollBack(store, tag, created, reporter)];
    const what = store.describeFailure(`the ${step} step`, error);
    const adopted = created.releaseClaimSha !== void 0 ? tag : void 0;
    throw new ReleaseFailedError(
      step,
      `Release ${tag} failed at the ${step} step: ${what.message}. ${cleanupSummary(leftBehind, adopted)}`,
      leftBehind,
      { cause: error }
    );
  }
}
async function refuseExtraDrafts(store, request, keepId, reporter) {
  const left = await removeExtraDrafts(store, request, keepId, reporter);
  if (left.length > 0) throw new Error(`could not remove extra drafts: ${left.join("; ")}`);
}
async function releaseTheClaim(store, tag, created, reporter) {
  if (created.releaseClaimSha === void 0) return;
  if (await dropReleaseClaim(store, tag, created.releaseClaimSha)) return;
  reporter.warning(
    `Release ${tag} is published, but its claim ref ${releaseClaimRef(tag)} could not be removed; delete it by hand (it no longer guards anything).`
  );
}
async function settingSaysImmutable(store, reporter) {
  try {
    return await store.immutableReleasesEnabled() === true;
  } catch (error) {
    reporter.warning(`Could not read the immutable-releases setting: ${errorMessage(error)}`);
    return false;
  }
}

const CONTENT_TYPES = {
  text: "text/plain",
  json: "application/json"
};
function refuseMissingSubjects(subjects, dryRun) {
  const missing = subjects.filter((subject) => !subject.localPath);
  if (missing.length === 0 || dryRun) return;
  throw new InputError(
    "subject-checksums",
    `${missing.length} listed artifact(s) are not in the workspace, so they cannot be released: ${missing.slice(0, 10).map((s) => s.path).join(", ")}. Download them into the workspace before this step.`
  );
}
const NAME_GITHUB_KEEPS = /^(?!\.)[A-Za-z0-9._+@-]+(?<!\.)$/;
function namesGitHubWouldRename(names) {
  return names.filter((name) => !NAME_GITHUB_KEEPS.test(name));
}
function refuseNamesGitHubRenames(subjects, dryRun, reporter) {
  const renamed = new Set(namesGitHubWouldRename(subjects.map((subject) => subject.name)));
  const refused = subjects.filter((subject) => renamed.has(subject.name));
  if (refused.length === 0) return;
  const input = refused.every((subject) => subject.source === "checksums") ? "subject-checksums" : "subject-path";
  const listed = refused.slice(0, 10).map(
    (subject) => subject.path === subject.name ? `'${subject.path}'` : `'${subject.path}' (released as '${subject.name}')`
  );
  const problem = `${refused.length} artifact name(s) would not survive the upload: ${listed.join(", ")}${refused.length > 10 ? ", \u2026" : ""}. GitHub renames asset names holding anything but ASCII letters, digits and . - _ + @, or starting or ending with a period (a space becomes a period), and the release would then not match its manifest; rename the file.`;
  if (dryRun) reporter.warning(`Input '${input}': ${problem}`);
  else throw new InputError(input, problem);
}
async function generatedAsset(file) {
  const bytes = await readFile(file.path);
  return {
    name: file.name,
    path: file.path,
    sha256: hashBytes(bytes),
    size: bytes.length,
    contentType: CONTENT_TYPES[file.format]
  };
}
async function releaseAssetFiles(subjects, generated) {
  const assets = subjects.map((subject) => ({
    name: subject.name,
    path: subject.localPath,
    sha256: subject.digest.sha256,
    size: subject.size ?? 0,
    contentType: subject.mediaType
  }));
  for (const file of generated) assets.push(await generatedAsset(file));
  return assets;
}

function validationCodes(error) {
  if (isGitHubError(error)) return error.validationCodes;
  if (statusOf$1(error) !== 422) return [];
  const data = error.response?.data;
  return (data?.errors ?? []).map((e) => e.code ?? "");
}
const answered = (error) => statusOf$1(error) !== void 0;
function isRetryableUploadFailure(error) {
  const status = statusOf$1(error);
  if (status === void 0) return true;
  return status >= 500 || status === 429 || status === 403 || status === 408;
}
function toView(data) {
  return {
    id: data.id,
    htmlUrl: data.html_url,
    uploadUrl: data.upload_url,
    draft: data.draft,
    immutable: data.immutable,
    tagName: data.tag_name
  };
}
function toAsset(a) {
  return { id: a.id, name: a.name, size: a.size, state: a.state, digest: a.digest ?? null };
}
const REPEAT_CUT_OFF = 3;
class GitHubReleaseStore {
  client;
  owner;
  repo;
  constructor(client, owner, repo) {
    this.client = client;
    this.owner = owner;
    this.repo = repo;
  }
  get repoParams() {
    return { owner: this.owner, repo: this.repo };
  }
  /** A read that answers undefined for a 404 (and the statuses in `missing`). */
  async readOrMissing(what, read, missing = [404]) {
    try {
      return await reread(async () => expectObject((await read()).data, what));
    } catch (error) {
      if (missing.includes(statusOf$1(error) ?? 0)) return void 0;
      throw error;
    }
  }
  async resolveCommit(ref) {
    const data = await this.readOrMissing(
      "GET commit",
      () => this.client.rest.repos.getCommit({ ...this.repoParams, ref }),
      [404, 422]
    );
    return data?.sha;
  }
  readTag(tag, options = {}) {
    const claimRef = releaseClaimRef(tag).slice("refs/".length);
    return Promise.all([
      readRefWithTagObject(this.client, this.repoParams, `tags/${tag}`),
      this.releasesWithTag(tag),
      options.releaseClaim ? readRefWithTagObject(this.client, this.repoParams, claimRef) : void 0
    ]).then(([existingTag, releases, releaseClaim]) => ({
      existingTag,
      releases,
      ...releaseClaim ? { releaseClaim } : {}
    }));
  }
  /** Every release using `tag`, drafts included (`GET /releases/tags/{tag}` hides drafts). */
  async releasesWithTag(tag) {
    const all = await listAllPages(
      this.client,
      "GET /repos/{owner}/{repo}/releases",
      this.repoParams,
      "GET /repos/{owner}/{repo}/releases"
    );
    return all.filter((r) => r.tag_name === tag).map((r) => ({
      id: r.id,
      draft: r.draft,
      htmlUrl: r.html_url,
      tagName: r.tag_name,
      body: r.body ?? null
    }));
  }
  claimTag(tag, commitSha, message) {
    return this.claimRef(`refs/tags/${tag}`, { tag, commitSha, message });
  }
  claimRelease(tag, commitSha, message) {
    return this.claimRef(releaseClaimRef(tag), { tag, commitSha, message });
  }
  /**
   * Creates `ref` at a new annotated tag object for `commitSha` (or, on a server without the
   * git tags API, at the commit itself): the tag of a release, or its release claim.
   */
  async claimRef(ref, claim) {
    const { tag, commitSha, message } = claim;
    let objectSha;
    try {
      objectSha = await reread(async () => {
        const { data } = await this.client.rest.git.createTag({
          ...this.repoParams,
          tag,
          message,
          object: commitSha,
          type: "commit"
        });
        return expectObject(data, "POST git/tags").sha;
      });
    } catch (error) {
      const status = statusOf$1(error);
      if (status === 422) {
        return {
          outcome: "refused",
          detail: `GitHub refused a tag at ${commitSha}: ${errorMessage(error)}`
        };
      }
      if (status !== 404 && status !== 501) {
        throw this.describeFailure(`creating the tag object for "${tag}"`, error);
      }
      const outcome = await this.createRef(ref, commitSha, commitSha);
      return { ...outcome, lightweight: { reason: `HTTP ${status}` } };
    }
    return this.createRef(ref, objectSha, commitSha);
  }
  /**
   * POST /git/refs: the one atomic step that decides which run owns the tag (or the release
   * claim). A cut-off answer does not say whether the ref was written: the ref's target then does.
   */
  createRef(ref, objectSha, commitSha) {
    const claimed = { outcome: "claimed", objectSha };
    const name = ref.startsWith("refs/tags/") ? `tag "${ref.slice("refs/tags/".length)}"` : `the release claim ${ref}`;
    let repeatable = false;
    return retry(
      async (attempt) => {
        repeatable = false;
        try {
          const { data } = await this.client.rest.git.createRef({
            ...this.repoParams,
            ref,
            sha: objectSha
          });
          expectObject(data, "POST git/refs");
          return claimed;
        } catch (error) {
          const target = await this.refTarget(ref.slice("refs/".length)).catch(() => void 0);
          if (statusOf$1(error) === 422) {
            if (target === objectSha && objectSha !== commitSha) return claimed;
            if (target === void 0 && !/already exists/i.test(errorMessage(error))) {
              const detail = `GitHub refused to create ${name} at ${commitSha}: ${errorMessage(error)}`;
              return { outcome: "refused", detail };
            }
            return { outcome: "taken", detail: errorMessage(error) };
          }
          if (target === objectSha) return claimed;
          if (answered(error) || attempt >= REPEAT_CUT_OFF) {
            throw this.describeFailure(`creating ${name}`, error);
          }
          repeatable = true;
          throw error;
        }
      },
      { attempts: REPEAT_CUT_OFF, delayMs: 0, retryable: () => repeatable }
    );
  }
  /** The object `ref` (`tags/v1`) points at, or undefined when there is no such ref. */
  async refTarget(ref) {
    const found = await this.readOrMissing(
      "GET ref",
      () => this.client.rest.git.getRef({ ...this.repoParams, ref })
    );
    return found?.object.sha;
  }
  tagTarget(tag) {
    return this.refTarget(`tags/${tag}`);
  }
  releaseClaimTarget(tag) {
    return this.refTarget(releaseClaimRef(tag).slice("refs/".length));
  }
  async removeReleaseClaim(tag) {
    const ref = releaseClaimRef(tag).slice("refs/".length);
    await this.client.rest.git.deleteRef({ ...this.repoParams, ref });
  }
  async removeTag(tag) {
    await this.client.rest.git.deleteRef({ ...this.repoParams, ref: `tags/${tag}` });
  }
  async createDraft(input) {
    try {
      const { data } = await this.client.rest.repos.createRelease({
        ...this.repoParams,
        tag_name: input.tag,
        target_commitish: input.commitSha,
        name: input.name,
        body: input.body,
        draft: true,
        prerelease: input.prerelease,
        // GitHub lets drafts share a tag, so the retry plugin repeating a create whose answer
        // was lost would make a second draft. The flow repeats it only after looking for the
        // draft by its run marker.
        request: { retries: 0 }
      });
      expectObject(data, "POST releases");
      const draft = {
        id: data.id,
        htmlUrl: data.html_url,
        uploadUrl: data.upload_url,
        assets: data.assets.map(toAsset)
      };
      return { outcome: "created", draft };
    } catch (error) {
      const status = statusOf$1(error) ?? 0;
      const unknown = !answered(error) || status >= 500 || status === 408;
      const mayExist = unknown || validationCodes(error).includes("already_exists");
      return { outcome: "failed", error, mayExist, repeatable: unknown || status === 429 };
    }
  }
  getRelease(id) {
    return this.readOrMissing(
      "GET release",
      () => this.client.rest.repos.getRelease({ ...this.repoParams, release_id: id })
    ).then((data) => data && toView(data));
  }
  async listAssets(releaseId) {
    const assets = await listAllPages(
      this.client,
      "GET /repos/{owner}/{repo}/releases/{release_id}/assets",
      { ...this.repoParams, release_id: releaseId },
      `GET release ${releaseId} assets`
    );
    return assets.map(toAsset);
  }
  /**
   * Streams one file to the release's own `upload_url` (GitHub Enterprise Server and the test
   * fake serve uploads elsewhere than uploads.github.com). Octokit's retry plugin is off for this
   * request: the flow retries after removing any partial asset an interrupted upload left.
   */
  async upload(draft, asset) {
    try {
      const { data } = await this.client.rest.repos.uploadReleaseAsset({
        ...this.repoParams,
        release_id: 0,
        url: draft.uploadUrl,
        name: asset.name,
        ...asset.label ? { label: asset.label } : {},
        // Octokit types the body as a string and hands it to the client's fetch as it is; that
        // fetch (client.ts) opens the file as a stream for each attempt.
        data: new FileBody(asset.path),
        headers: { "content-type": asset.contentType, "content-length": asset.size },
        request: { retries: 0 }
      });
      return { outcome: "uploaded", asset: toAsset(expectObject(data, `upload of ${asset.name}`)) };
    } catch (error) {
      if (validationCodes(error).includes("already_exists")) return { outcome: "duplicate", error };
      return { outcome: "failed", retryable: isRetryableUploadFailure(error), error };
    }
  }
  async deleteAsset(assetId) {
    await this.client.rest.repos.deleteReleaseAsset({ ...this.repoParams, asset_id: assetId });
  }
  /** SHA-256 of an asset's bytes, streamed from GitHub without holding the file in memory. */
  hashAsset(assetId) {
    return downloadAndHashAsset(this.client, { ...this.repoParams, assetId });
  }
  async publish(releaseId, options) {
    try {
      const { data } = await this.client.rest.repos.updateRelease({
        ...this.repoParams,
        release_id: releaseId,
        draft: false,
        prerelease: options.prerelease,
        make_latest: options.makeLatest
      });
      return { outcome: "published", release: toView(expectObject(data, "PATCH release")) };
    } catch (error) {
      return { outcome: "failed", error, repeatable: !answered(error) };
    }
  }
  async removeDraft(releaseId) {
    await this.client.rest.repos.deleteRelease({ ...this.repoParams, release_id: releaseId });
  }
  /**
   * The repository's immutable-releases setting: GitHub answers 404 when it is off. Reading it
   * needs admin read access, which a workflow token may lack: then the answer is unknown.
   */
  async immutableReleasesEnabled() {
    try {
      const { data } = await this.client.request(
        "GET /repos/{owner}/{repo}/immutable-releases",
        this.repoParams
      );
      return data.enabled === true;
    } catch (error) {
      if (statusOf$1(error) === 404) return false;
      if (statusOf$1(error) === 403) return void 0;
      throw error;
    }
  }
  describeFailure(what, error) {
    if (error instanceof InputError || error instanceof ReleaseConflictError || error instanceof ReleaseFailedError) {
      return error;
    }
    const resource = `repos/${this.owner}/${this.repo}`;
    return gitHubServiceError({ service: "GitHub API", resource, what }, error);
  }
  async listReleases() {
    const all = await listAllPages(
      this.client,
      "GET /repos/{owner}/{repo}/releases",
      this.repoParams,
      "GET /repos/{owner}/{repo}/releases"
    );
    return all.map((r) => ({
      id: r.id,
      tagName: r.tag_name,
      name: r.name ?? null,
      body: r.body ?? null,
      draft: r.draft,
      prerelease: r.prerelease,
      htmlUrl: r.html_url,
      createdAt: r.created_at,
      immutable: r.immutable,
      assets: (r.assets ?? []).map(toAsset)
    }));
  }
  /** `GET releases/latest`: 404 when no release is marked latest. */
  async latestReleaseTag() {
    const data = await this.readOrMissing(
      "GET latest release",
      () => this.client.rest.repos.getLatestRelease(this.repoParams)
    );
    return data?.tag_name;
  }
  async editRelease(releaseId, edit) {
    const { data } = await this.client.rest.repos.updateRelease({
      ...this.repoParams,
      release_id: releaseId,
      ...edit.name !== void 0 ? { name: edit.name } : {},
      ...edit.body !== void 0 ? { body: edit.body } : {},
      ...edit.makeLatest !== void 0 ? { make_latest: edit.makeLatest } : {}
    });
    expectObject(data, "PATCH release");
  }
  downloadAsset(assetId, path) {
    return downloadAssetToFile(this.client, { ...this.repoParams, assetId }, path);
  }
}
function createReleaseStore(client, owner, repo) {
  return new GitHubReleaseStore(client, owner, repo);
}

function env(name, fallback) {
  const value = process.env[name];
  if (value) return value;
  if (fallback !== void 0) return fallback;
  throw new InputError(
    name,
    "is not set. The action reads the standard GitHub Actions environment; run it as a workflow step."
  );
}
function readRunContext() {
  const workspace = env("GITHUB_WORKSPACE", process.cwd());
  const runnerTemp = process.env["RUNNER_TEMP"];
  const tempDir = mkdtempSync(join(runnerTemp || tmpdir(), "immutable-release-"));
  return {
    serverUrl: env("GITHUB_SERVER_URL", "https://github.com").replace(/\/+$/, ""),
    apiUrl: env("GITHUB_API_URL", "https://api.github.com").replace(/\/+$/, ""),
    repository: env("GITHUB_REPOSITORY"),
    repositoryId: process.env["GITHUB_REPOSITORY_ID"],
    repositoryOwnerId: process.env["GITHUB_REPOSITORY_OWNER_ID"],
    sha: env("GITHUB_SHA"),
    ref: env("GITHUB_REF", ""),
    workflowRef: env("GITHUB_WORKFLOW_REF", ""),
    eventName: env("GITHUB_EVENT_NAME", ""),
    runId: env("GITHUB_RUN_ID"),
    runAttempt: env("GITHUB_RUN_ATTEMPT", "1"),
    workspace,
    tempDir
  };
}
function readRepositoryFacts() {
  const path = process.env["GITHUB_EVENT_PATH"];
  if (!path) return {};
  try {
    const payload = JSON.parse(readFileSync(path, "utf8"));
    const repository = payload.repository;
    if (!repository) return {};
    const visibility = repository.visibility === "public" || repository.visibility === "private" || repository.visibility === "internal" ? repository.visibility : repository.private === true ? "private" : repository.private === false ? "public" : void 0;
    const ownerType = repository.owner?.type === "User" || repository.owner?.type === "Organization" ? repository.owner.type : void 0;
    return { visibility, ownerType };
  } catch {
    return {};
  }
}

function runUrl(context) {
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}/attempts/${context.runAttempt}`;
}

const PUBLIC_GOOD_ENDPOINTS = {
  mode: "public-good",
  fulcioURL: "https://fulcio.sigstore.dev",
  rekorURL: "https://rekor.sigstore.dev"
};
const GITHUB_ENDPOINTS = {
  mode: "github",
  fulcioURL: "https://fulcio.githubapp.com",
  tsaURL: "https://timestamp.githubapp.com"
};
const MODES = ["auto", "public-good", "github", "custom"];
function serviceURL(input, raw) {
  const value = raw.trim();
  if (/[\s\p{Cc}]/u.test(value)) {
    throw new InputError(
      input,
      `${JSON.stringify(value)} holds a line break, space or control character; give one http(s) URL on one line`
    );
  }
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, `${JSON.stringify(value)} is not a URL; give an https:// URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(input, `${JSON.stringify(value)} must be an http(s) URL`);
  }
  if (url.username || url.password) {
    throw new InputError(input, "must not carry credentials; give the bare service URL");
  }
  return url.href.replace(/\/+$/, "");
}
function present(value) {
  return value !== void 0 && value.trim() !== "";
}
function resolveSigstoreEndpoints(options) {
  const mode = options.mode.trim();
  if (!MODES.includes(mode)) {
    throw new InputError(
      "sigstore",
      `${JSON.stringify(options.mode)} is not one of ${MODES.join(", ")}`
    );
  }
  const custom = {
    "fulcio-url": options.fulcioUrl,
    "rekor-url": options.rekorUrl,
    "tsa-url": options.tsaUrl
  };
  if (mode !== "custom") {
    for (const [input, value] of Object.entries(custom)) {
      if (present(value)) {
        throw new InputError(
          input,
          `is only used with 'sigstore: custom' (sigstore is '${mode}'); remove it or set sigstore to custom`
        );
      }
    }
  }
  switch (mode) {
    case "public-good":
      return { ...PUBLIC_GOOD_ENDPOINTS };
    case "github":
      return { ...GITHUB_ENDPOINTS };
    case "auto":
      return options.visibility === "public" ? { ...PUBLIC_GOOD_ENDPOINTS } : { ...GITHUB_ENDPOINTS };
    default: {
      if (!present(options.fulcioUrl)) {
        throw new InputError("fulcio-url", "is required with 'sigstore: custom'");
      }
      if (!present(options.rekorUrl) && !present(options.tsaUrl)) {
        throw new InputError(
          "rekor-url",
          "'sigstore: custom' needs a transparency log (rekor-url), a timestamp authority (tsa-url), or both"
        );
      }
      return {
        mode: "custom",
        fulcioURL: serviceURL("fulcio-url", options.fulcioUrl),
        ...present(options.rekorUrl) ? { rekorURL: serviceURL("rekor-url", options.rekorUrl) } : {},
        ...present(options.tsaUrl) ? { tsaURL: serviceURL("tsa-url", options.tsaUrl) } : {}
      };
    }
  }
}

const DEFAULT_RETRY = { retries: 3, minTimeoutMs: 1e3, maxTimeoutMs: 8e3 };
const DEFAULT_REQUEST_TIMEOUT_MS = 15e3;
async function signStatement(statement, options) {
  const { endpoints } = options;
  checkSignable(statement, endpoints);
  const reporter = options.reporter ?? silentReporter;
  const issuedTokens = [];
  const builder = bundleBuilder(options, issuedTokens);
  reporter.info(
    `Signing with Sigstore (${endpoints.mode}): Fulcio ${endpoints.fulcioURL}` + (endpoints.rekorURL ? `, Rekor ${endpoints.rekorURL}` : "") + (endpoints.tsaURL ? `, timestamp authority ${endpoints.tsaURL}` : "")
  );
  const stopRetryLog = reportRetries(reporter, issuedTokens);
  try {
    const bundle = await builder.create({
      data: canonicalJson(statement),
      type: IN_TOTO_PAYLOAD_TYPE
    });
    const json = distExports.bundleToJSON(bundle);
    if (json.mediaType !== BUNDLE_MEDIA_TYPE) {
      throw new Error(
        `@sigstore/sign produced a ${json.mediaType} bundle, expected ${BUNDLE_MEDIA_TYPE}`
      );
    }
    return json;
  } catch (error) {
    throw describeSigningError(error, endpoints, issuedTokens);
  } finally {
    stopRetryLog();
  }
}
function checkSignable(statement, endpoints) {
  if (statement._type !== IN_TOTO_STATEMENT_V1 || !Array.isArray(statement.subject) || statement.subject.length === 0) {
    throw new Error(`only ${IN_TOTO_STATEMENT_V1} statements with at least one subject are signed`);
  }
  if (!endpoints.rekorURL && !endpoints.tsaURL) {
    throw new InputError(
      "sigstore",
      "signing needs a transparency log or a timestamp authority to witness the signature"
    );
  }
}
function bundleBuilder(options, issuedTokens) {
  const { endpoints } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const fetchOptions = {
    retry: {
      retries: retry.retries,
      minTimeout: retry.minTimeoutMs,
      maxTimeout: retry.maxTimeoutMs,
      factor: 2
    },
    timeout: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  };
  const identityProvider = {
    getToken: async () => {
      const token = await options.getIdentityToken();
      issuedTokens.push(token);
      return token;
    }
  };
  const witnesses = [];
  if (endpoints.rekorURL) {
    witnesses.push(
      new distExports$1.RekorWitness({
        rekorBaseURL: endpoints.rekorURL,
        entryType: "dsse",
        fetchOnConflict: true,
        ...fetchOptions
      })
    );
  }
  if (endpoints.tsaURL) {
    witnesses.push(new distExports$1.TSAWitness({ tsaBaseURL: endpoints.tsaURL, ...fetchOptions }));
  }
  return new distExports$1.DSSEBundleBuilder({
    signer: new distExports$1.FulcioSigner({
      fulcioBaseURL: endpoints.fulcioURL,
      identityProvider,
      ...fetchOptions
    }),
    witnesses
  });
}
function isInternalError(error) {
  return error instanceof Error && error.name === "InternalError" && typeof error.code === "string";
}
const TOKEN_LIKE = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
function scrubTokens(message, tokens) {
  let scrubbed = message;
  for (const token of tokens) if (token) scrubbed = scrubbed.split(token).join("***");
  return scrubbed.replace(TOKEN_LIKE, "***");
}
function causeDetail(cause) {
  if (cause && typeof cause === "object") {
    const status = cause.statusCode;
    if (typeof status === "number")
      return `HTTP ${errorMessage(cause).replace(/^\(\d+\)\s*/, `${status} `)}`;
    const code = cause.code;
    if (typeof code === "string" && code !== "FETCH_ERROR") return `${code}: ${errorMessage(cause)}`;
  }
  return errorMessage(cause);
}
function statusOf(cause) {
  const status = cause?.statusCode;
  return typeof status === "number" ? status : void 0;
}
function describeSigningError(error, endpoints, tokens) {
  if (error instanceof InputError || error instanceof ServiceError) return error;
  if (!isInternalError(error))
    return new Error(scrubTokens(`Sigstore signing failed: ${errorMessage(error)}`, tokens));
  const detail = scrubTokens(causeDetail(error.cause ?? error), tokens);
  const status = statusOf(error.cause);
  switch (error.code) {
    case "CA_CREATE_SIGNING_CERTIFICATE_ERROR": {
      const hint = status === 401 || status === 403 ? "; Fulcio rejected the identity token: the workflow needs `permissions: id-token: write` and the token audience `sigstore`" : "";
      return new ServiceError(
        "Fulcio",
        endpoints.fulcioURL,
        `could not get a signing certificate (${detail})${hint}`
      );
    }
    case "TLOG_CREATE_ENTRY_ERROR":
      return new ServiceError(
        "Rekor",
        endpoints.rekorURL ?? "",
        `could not log the signature (${detail})`
      );
    case "TLOG_FETCH_ENTRY_ERROR":
      return new ServiceError(
        "Rekor",
        endpoints.rekorURL ?? "",
        `the entry exists but could not be read back (${detail})`
      );
    case "TSA_CREATE_TIMESTAMP_ERROR":
      return new ServiceError(
        "timestamp authority",
        endpoints.tsaURL ?? "",
        `could not timestamp the signature (${detail})`
      );
    case "IDENTITY_TOKEN_READ_ERROR": {
      const cause = error.cause;
      if (cause instanceof InputError || cause instanceof ServiceError) return cause;
      return new Error(
        `Could not get an OIDC identity token for Sigstore (${detail}); the workflow needs \`permissions: id-token: write\``
      );
    }
    case "IDENTITY_TOKEN_PARSE_ERROR":
      return new Error("The OIDC identity token is not a JWT with a `sub` or `email` claim");
    default:
      return new Error(
        scrubTokens(
          `Sigstore signing failed (${error.code}): ${error.message} (${detail})`,
          tokens
        )
      );
  }
}
function reportRetries(reporter, tokens) {
  const listener = (level, ...args) => {
    if (level !== "http" || args[0] !== "fetch") return;
    reporter.info(scrubTokens(`Sigstore: ${args.slice(1).map(String).join(" ")}`, tokens));
  };
  const emitter = process;
  emitter.on("log", listener);
  return () => emitter.off("log", listener);
}

async function writeBundle(bundle, file) {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`
  );
  try {
    await writeFile(temporary, `${JSON.stringify(bundle, null, 2)}
`, { flag: "wx" });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return file;
}

async function storeAttestation(client, request, reporter) {
  const { owner, repo } = request;
  let stored;
  try {
    stored = await storeAttestationBundle(client, request);
  } catch (error) {
    throw serviceErrorFor("storing the attestation", error, attestationsUrl(client, owner, repo));
  }
  if (stored.outcome === "stored") return stored.id;
  reporter.warning(
    `The attestation was not stored in ${owner}/${repo} (${stored.answer}): the workflow needs \`permissions: attestations: write\`, and GitHub Enterprise Server or the repository's plan may not offer artifact attestations. The signed bundle is still published with the release.`
  );
  return void 0;
}

function tokenServiceStatus(error) {
  return /Error Code\s*:\s*(\d+)/.exec(errorMessage(error))?.[1];
}
const OIDC_RETRY_POLICY = {
  attempts: 3,
  delayMs: 1e3,
  retryable: (error) => !["401", "403", "404"].includes(tokenServiceStatus(error) ?? "")
};
function tokenServiceError(error, requestUrl) {
  const url = URL.parse(requestUrl ?? "");
  const detail = errorMessage(error).replace(/\s+/g, " ").trim();
  const refused = /Error Code\s*:\s*(401|403)\b/.test(detail);
  return new ServiceError(
    "GitHub Actions OIDC token service",
    url ? `${url.origin}${url.pathname}` : "ACTIONS_ID_TOKEN_REQUEST_URL",
    `could not get an identity token for Sigstore (${detail}).${refused ? " The job needs 'permissions: id-token: write'." : ""} Nothing was signed or written.`
  );
}
function actionsIdentityProvider(options) {
  return {
    async getToken() {
      try {
        return await retry(
          () => options.requestToken("sigstore"),
          options.policy ?? OIDC_RETRY_POLICY
        );
      } catch (error) {
        throw tokenServiceError(error, options.requestUrl);
      }
    }
  };
}

function runnerClients(token, apiUrl) {
  const client = createGitHubClient({
    token,
    apiUrl,
    reporter: actionsReporter,
    writeIntervalMs: writeIntervalFor(apiUrl)
  });
  const identity = actionsIdentityProvider({
    requestToken: (audience) => getIDToken(audience),
    requestUrl: process.env["ACTIONS_ID_TOKEN_REQUEST_URL"]
  });
  return { client, identity };
}

function escapeMarkdown(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\\`*_{}[\]()#+\-.!|~@:]/g, "\\$&").replace(/\s+/g, " ").trim();
}
function code(text) {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\s+/g, " ")}\``;
}
function link(text, url) {
  if (!/^https?:\/\//.test(url)) return escapeMarkdown(url);
  const href = encodeURI(decodeURIComponentSafe(url)).replace(
    /[()]/g,
    (c) => c === "(" ? "%28" : "%29"
  );
  return `[${escapeMarkdown(text)}](${href})`;
}
function decodeURIComponentSafe(url) {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
function delta(label, change) {
  if (!change) return void 0;
  const parts = [
    ...(change.added ?? []).map((item) => `+${code(item)}`),
    ...(change.removed ?? []).map((item) => `\u2212${code(item)}`)
  ];
  return parts.length > 0 ? `${label}: ${parts.join(" ")}` : void 0;
}
function details(parts) {
  return parts.filter((part) => part[1] !== void 0 && part[1] !== "").map(([label, value]) => `${label} ${value}`).join(", ");
}
function withDetails(name, parts) {
  const shown = details(parts);
  return shown ? `${name} (${shown})` : name;
}
function retentionPeriod(period) {
  return typeof period === "string" ? period : `${period.duration} after ${period.after}`;
}
function partyName(party) {
  const subProcessors = (party.subProcessors ?? []).map((sub) => `${sub.name} in ${sub.country} for ${sub.purpose}`).join("; ");
  return withDetails(party.name, [
    ["country", party.country],
    ["DPA", party.contractReference],
    ["sub-processors:", subProcessors || void 0]
  ]);
}
function transferName(t) {
  return withDetails(`${t.country} ${t.mechanism}`, [
    ["to", t.recipient],
    ["module", t.module],
    ["reference", t.reference],
    ["derogation", t.derogation],
    ["TIA", t.transferImpactAssessment]
  ]);
}
function personalDataDeltas(pd) {
  const named = (d, name) => d && {
    ...d.added ? { added: d.added.map(name) } : {},
    ...d.removed ? { removed: d.removed.map(name) } : {}
  };
  return [
    delta("purposes", pd.purposes),
    delta("data categories", pd.dataCategories),
    delta("data subjects", pd.dataSubjects),
    delta(
      "special categories",
      pd.specialCategories && {
        ...pd.specialCategories.added ? { added: pd.specialCategories.added.map((s) => `${s.category} ${s.condition}`) } : {},
        ...pd.specialCategories.removed ? { removed: pd.specialCategories.removed } : {}
      }
    ),
    delta(
      "lawful basis",
      named(
        pd.lawfulBasis,
        (b) => withDetails(b.purpose ? `${b.basis} ${b.purpose}` : b.basis, [
          ["assessment", b.assessmentReference]
        ])
      )
    ),
    delta("recipients", named(pd.recipients, partyName)),
    delta("processors", named(pd.processors, partyName)),
    delta("transfers", named(pd.transfers, transferName)),
    delta(
      "retention",
      named(
        pd.retention,
        (r) => withDetails(`${r.dataCategory ?? "all"} ${retentionPeriod(r.period)}`, [
          ["policy", r.policyReference]
        ])
      )
    ),
    delta("security measures", pd.securityMeasures)
  ].filter((line) => line !== void 0);
}
function renderChangeRecordMarkdown(record, options = {}) {
  const rows = [
    ...changeRows(record.change),
    ...personalDataRows(record.personalData),
    ...policyRows(record.policy),
    ...chainRows(record.chain),
    ...releaseRows(record, options)
  ];
  return [
    "### Change record",
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([label, value]) => `| ${label} | ${value} |`),
    ""
  ].join("\n");
}
function changeRows(change) {
  if (!change) return [["Change", "no change record file was given"]];
  const rows = [];
  rows.push(["Change", `${escapeMarkdown(change.id)}: ${escapeMarkdown(change.title)}`]);
  rows.push(["Reason", escapeMarkdown(change.reason)]);
  if (change.summary) rows.push(["Summary", escapeMarkdown(change.summary)]);
  rows.push(["Type", escapeMarkdown(change.type)]);
  if (change.risk || change.impact) {
    rows.push([
      "Risk / impact",
      `${change.risk ?? "not stated"} / ${change.impact ?? "not stated"}`
    ]);
  }
  if (change.ticketUrl) rows.push(["Ticket", link(change.ticketUrl, change.ticketUrl)]);
  if (change.configurationItems?.length) {
    rows.push(["Configuration items", change.configurationItems.map(escapeMarkdown).join(", ")]);
  }
  if (change.schedule?.plannedStart || change.schedule?.plannedEnd) {
    rows.push([
      "Schedule",
      `${escapeMarkdown(change.schedule.plannedStart ?? "not stated")} to ${escapeMarkdown(change.schedule.plannedEnd ?? "not stated")}`
    ]);
  }
  if (change.implementationPlan) {
    rows.push(["Implementation plan", escapeMarkdown(change.implementationPlan)]);
  }
  if (change.testPlan) rows.push(["Test plan", escapeMarkdown(change.testPlan)]);
  if (change.backoutPlan) rows.push(["Backout plan", escapeMarkdown(change.backoutPlan)]);
  const approvals = (change.approvals ?? []).map(
    (a) => [
      `${escapeMarkdown(a.role)}: ${escapeMarkdown(a.decision)}`,
      a.approver ? `by ${code(a.approver)}` : "",
      a.time ? `at ${escapeMarkdown(a.time)}` : "",
      a.conditions ? `on condition: ${escapeMarkdown(a.conditions)}` : ""
    ].filter(Boolean).join(" ")
  );
  rows.push(["Approvals", approvals.length > 0 ? approvals.join("<br>") : "none"]);
  if (change.cab) {
    const cab = [
      change.cab.required ? "required" : "not required",
      change.cab.recommendation ? escapeMarkdown(change.cab.recommendation) : "",
      change.cab.meetingReference ? `meeting ${escapeMarkdown(change.cab.meetingReference)}` : ""
    ];
    rows.push(["CAB", cab.filter(Boolean).join(", ")]);
  }
  return rows;
}
function personalDataRows(pd) {
  const rows = [["Personal-data impact", `**${escapeMarkdown(pd.impact)}**`]];
  if (pd.impact === "unassessed") return rows;
  if (pd.role) rows.push(["Role", escapeMarkdown(pd.role)]);
  if (pd.ropaReference) rows.push(["Record of processing", escapeMarkdown(pd.ropaReference)]);
  const flags = [
    pd.criminalOffenceData ? "criminal-offence data (Art. 10)" : "",
    pd.systematicMonitoring ? "systematic monitoring" : "",
    pd.largeScale ? "large-scale" : ""
  ].filter(Boolean);
  if (flags.length > 0) rows.push(["Processing", flags.join(", ")]);
  if (pd.dpia) {
    const state = [
      pd.dpia.status ? escapeMarkdown(pd.dpia.status) : "",
      // `required: false` says no more than the status not-required does.
      pd.dpia.required === true ? "required" : pd.dpia.required === false && pd.dpia.status !== "not-required" ? "not required" : ""
    ].filter(Boolean);
    const reference = pd.dpia.reference ? escapeMarkdown(pd.dpia.reference) : "no reference";
    rows.push(["DPIA", state.length > 0 ? `${reference} (${state.join(", ")})` : reference]);
  }
  if (pd.breachReference) rows.push(["Breach reference", escapeMarkdown(pd.breachReference)]);
  const deltas = personalDataDeltas(pd);
  if (deltas.length > 0) rows.push(["Personal-data changes", deltas.join("<br>")]);
  if (pd.roleContacts?.length) {
    rows.push([
      "Contacts",
      pd.roleContacts.map((c) => `${escapeMarkdown(c.role)}: ${code(c.email)}`).join("<br>")
    ]);
  }
  return rows;
}
function policyRows(policy) {
  if (!policy) return [];
  const findings = policy.findings.map(
    (f) => `${code(f.path)}: ${escapeMarkdown(f.message)} (${escapeMarkdown(f.rule)})`
  );
  return [
    [
      "Policy findings",
      `released with change\\-record\\-policy ${policy.mode}:<br>${findings.join("<br>")}`
    ]
  ];
}
function chainRows(chain) {
  const previous = chain.previous;
  const rows = [
    [
      "Previous release",
      previous ? `${escapeMarkdown(previous.tag)}, manifest ${code(`sha256:${previous.manifestDigest.sha256}`)}${previous.changeRecordDigest ? `, change record ${code(`sha256:${previous.changeRecordDigest.sha256}`)}` : ""}` : "none (first release in the chain)"
    ]
  ];
  if (chain.commits) {
    const { from, to, count } = chain.commits;
    rows.push([
      "Commits",
      `${count}${from ? ` (${code(from.slice(0, 12))}\u2026${code(to.slice(0, 12))})` : ""}`
    ]);
  }
  return rows;
}
function releaseRows(record, options) {
  const rows = [["Manifest", code(`sha256:${record.release.manifest.digest.sha256}`)]];
  if (options.recordSha256) {
    rows.push([escapeMarkdown(CHANGE_RECORD_FILE), code(`sha256:${options.recordSha256}`)]);
  }
  rows.push([
    "Identifiers",
    record.identifiers === "omitted-no-key" ? "left out (no pseudonymization key)" : `keyed pseudonyms, key ${code(record.identifiers.keyId)}${record.identifiers.domain ? `, domain ${code(record.identifiers.domain)}` : ""}`
  ]);
  const { triggeredBy } = record.run;
  if (triggeredBy) rows.push(["Triggered by", code(triggeredBy)]);
  rows.push(["Workflow run", link("run", record.run.url)]);
  rows.push([
    "Transparency log",
    record.signing.transparencyLog ? `public${record.signing.ownerIsPersonalAccount ? " (names a personal account)" : ""}` : "not used"
  ]);
  return rows;
}

const KIND_LABEL = {
  email: "e-mail address",
  phone: "phone number",
  ipv4: "IPv4 address",
  ipv6: "IPv6 address",
  "author-name": "a commit author's name",
  "author-login": "a commit author's GitHub login",
  "author-email": "a commit author's e-mail address",
  mention: "an @mention of a person's GitHub account",
  "actor-login": "the GitHub login of the account that triggered the run",
  "approver-id": "an approver's identifier (it belongs only in change.approvals, where it is pseudonymised)"
};
const SERVICE_ADDRESSES = /* @__PURE__ */ new Set(["git@github.com", "noreply@github.com"]);
const BOT_NOREPLY = /^(?:\d+\+)?[a-z0-9-]+\[bot\]@users\.noreply\.github\.com$/i;
const NOREPLY_LOGIN = /^(?:\d+\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)@users\.noreply\.github\.com$/i;
const GENERIC_AUTHOR_NAMES = /* @__PURE__ */ new Set(["github", "git", "root", "admin", "ci", "bot", "unknown"]);
const EMAIL = new RegExp("(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+\\p{L}{2,}(?![\\p{L}\\p{N}-])", "gu");
const BEFORE = String.raw`(?<![\p{L}\p{N}_.+\-/])`;
const AFTER = String.raw`(?![\p{L}\p{N}_]|[.\-/:]\p{N})`;
const DATE_SHAPED = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$/;
const PHONE_PATTERNS = [
  // E.164 and international notation: +44 20 7946 0958, +1-202-555-0143, +49 (0)30 1234567.
  {
    // A + after a digit is semver build metadata (1.0.0+20250603), not a number.
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}+])\+\p{N}[\p{N}\s().\-/]{5,30}\p{N}${AFTER}`,
      "gu"
    ),
    minDigits: 8,
    maxDigits: 15
    // E.164's maximum
  },
  // National numbers with a trunk prefix, grouped: 020 7946 0958, (030) 1234567, 06 12 34 56 78.
  // The first group must be 0 + digit, so versions (0.12.3) and ISO dates never match; ungrouped
  // digit runs (0123456789) are ids as often as numbers and are left alone.
  {
    pattern: new RegExp(
      String.raw`${BEFORE}\(?0\p{N}{1,5}\)?(?:[\s.\-/]{1,2}\p{N}{2,8}){1,5}${AFTER}`,
      "gu"
    ),
    minDigits: 9,
    maxDigits: 13
  },
  // North American: (202) 555-0143, 202-555-0143, 202 555 0143 (not dotted: that is a version).
  {
    pattern: new RegExp(
      String.raw`${BEFORE}(?:\(\p{N}{3}\)\s?|\p{N}{3}[\s\-])\p{N}{3}[\s\-]\p{N}{4}${AFTER}`,
      "gu"
    ),
    minDigits: 10,
    maxDigits: 10
  }
];
function phoneIn(candidate, { minDigits, maxDigits }) {
  if (DATE_SHAPED.test(candidate)) return void 0;
  let text = candidate;
  let digits = text.replace(/\D/g, "").length;
  while (digits > maxDigits) {
    const cut = text.search(new RegExp("[\\s().\\-/]+\\p{N}*$", "u"));
    if (cut <= 0) return void 0;
    text = text.slice(0, cut);
    digits = text.replace(/\D/g, "").length;
  }
  return digits >= minDigits ? text : void 0;
}
const IPV4 = new RegExp("(?<![\\p{N}.vV])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?!\\.?\\p{N})", "gu");
const MENTION = /(?<=^|[\s(,;:"'])@([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})(?![\p{L}\p{N}_/@-])/gu;
const MAX_IPV6_TEXT = 47;
function scanForPersonalData(fields, options = {}) {
  const matchers = authorMatchers(
    options.authors ?? [],
    options.people ?? [],
    options.publicNames ?? []
  );
  const allowed = new Set((options.allowedContacts ?? []).map((c) => c.trim().toLowerCase()));
  const stats = options.stats ?? { steps: 0 };
  const findings = [];
  const seen = /* @__PURE__ */ new Set();
  for (const field of fields) {
    const { read, closed } = scanViews(field.value);
    const report = findingReporter(field, read.length, seen, findings, stats);
    findEmailAddresses(read, matchers, allowed, report);
    findNamesAndMentions(read, matchers, report);
    findPhoneNumbers(read, report);
    findIpAddresses(read, report, stats);
    if (closed !== read) {
      const reportClosed = findingReporter(field, closed.length, seen, findings, stats);
      findEmailAddresses(closed, matchers, allowed, reportClosed);
    }
  }
  return findings;
}
function scanViews(raw) {
  const decoded = percentDecode(stripFormatCharacters(raw.normalize("NFKC"))).normalize("NFKC");
  const read = stripFormatCharacters(decoded);
  const closed = read.replace(/(?<!\s)\s+(?=@)/gu, "").replace(/@\s+/gu, "@");
  return { read, closed };
}
function stripFormatCharacters(text) {
  return text.replace(new RegExp("\\p{Cf}", "gu"), "");
}
function percentDecode(text) {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (encoded) => {
    try {
      return decodeURIComponent(encoded);
    } catch {
      return Buffer.from(encoded.replace(/%/g, ""), "hex").toString("latin1");
    }
  });
}
function findingReporter(field, textLength, seen, findings, stats) {
  let claimed;
  return (kind, masked, start, length) => {
    claimed ??= new Uint8Array(textLength);
    const end = Math.min(start + length, textLength);
    for (let i = start; i < end; i++) {
      stats.steps++;
      if (claimed[i]) return;
    }
    claimed.fill(1, start, end);
    stats.steps += end - start;
    const key = `${field.path}\0${kind}\0${masked}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({
      path: field.path,
      kind,
      masked,
      ...field.input ? { input: field.input } : {}
    });
  };
}
function findEmailAddresses(value, matchers, allowed, report) {
  const lower = value.toLowerCase();
  for (const [email, kind] of matchers.emails) {
    for (let at = lower.indexOf(email); at >= 0; at = lower.indexOf(email, at + 1)) {
      report(kind, maskEmail(email), at, email.length);
    }
  }
  for (const match of value.matchAll(EMAIL)) {
    const address = match[0].toLowerCase();
    const known = matchers.emails.get(address);
    if (known) {
      report(known, maskEmail(address), match.index, match[0].length);
    } else if (!allowed.has(address) && !SERVICE_ADDRESSES.has(address) && !BOT_NOREPLY.test(address)) {
      report("email", maskEmail(match[0]), match.index, match[0].length);
    }
  }
}
function findNamesAndMentions(value, matchers, report) {
  for (const { pattern, kind } of matchers.names) {
    for (const match of value.matchAll(pattern)) {
      report(kind, maskWords(match[0]), match.index, match[0].length);
    }
  }
  for (const match of value.matchAll(MENTION)) {
    report("mention", `@${[...match[1] ?? ""][0] ?? ""}***`, match.index, match[0].length);
  }
}
function findPhoneNumbers(value, report) {
  for (const phone of PHONE_PATTERNS) {
    for (const match of value.matchAll(phone.pattern)) {
      const number = phoneIn(match[0], phone);
      if (number) report("phone", maskPhone(number), match.index, number.length);
    }
  }
}
function findIpAddresses(value, report, stats) {
  for (const match of value.matchAll(IPV4)) {
    const octets = match.slice(1, 5).map((o) => o ?? "");
    if (octets.some((o) => Number(o) > 255)) continue;
    const [first] = octets.map(Number);
    if (octets.every((o) => Number(o) === 0) || first === 127 || first === 255) continue;
    report("ipv4", `${first}.***.***.***`, match.index, match[0].length);
  }
  forEachIpv6Run(value, stats, (start, end) => {
    let from = start;
    let to = end;
    while (from < to && value[from] === ".") from++;
    while (to > from && value[to - 1] === ".") to--;
    if (to - from > MAX_IPV6_TEXT) return;
    const candidate = value.slice(from, to);
    for (const address of [candidate, candidate.replace(/^:(?!:)/, "").replace(/(?<!:):$/, "")]) {
      stats.steps += address.length;
      if (!isIPv6(address)) continue;
      if (address === "::" || address === "::1") break;
      report("ipv6", `${address.split(":")[0] || ":"}:***`, start, end - start);
      break;
    }
  });
}
const COLON = 58;
function isIpv6Character(code) {
  return code >= 48 && code <= 57 || // 0-9
  code >= 65 && code <= 70 || // A-F
  code >= 97 && code <= 102 || // a-f
  code === COLON || code === 46;
}
function forEachIpv6Run(value, stats, visit) {
  let i = 0;
  while (i < value.length) {
    stats.steps++;
    if (!isIpv6Character(value.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let colons = 0;
    while (i < value.length && isIpv6Character(value.charCodeAt(i))) {
      if (value.charCodeAt(i) === COLON) colons++;
      stats.steps++;
      i++;
    }
    if (colons >= 2) visit(start, i);
  }
}
class PersonalDataError extends InputError {
  findings;
  constructor(findings) {
    const inputs = [...new Set(findings.map((f) => f.input ?? "change-record"))];
    const list = describeFindings(findings);
    super(
      inputs.join(", "),
      `personal data would enter the signed, public release record, which cannot be erased: ${list}. Remove it or replace it with a role, a ticket reference or a pseudonym; list functional mailboxes under personalData.roleContacts; write a four-part version with a leading v (v1.2.3.4).`
    );
    this.name = "PersonalDataError";
    this.findings = findings;
  }
}
function assertNoPersonalData(first, second, third) {
  let fields;
  let options;
  if (Array.isArray(first)) {
    fields = first;
    options = second ?? {};
  } else {
    const record = first;
    const given = third ?? {};
    fields = [
      ...recordFieldsToScan(record),
      ...(second ?? []).map((f) => ({
        ...f,
        input: f.input ?? "subject-path"
      }))
    ];
    options = {
      ...given,
      allowedContacts: [...given.allowedContacts ?? [], ...allowedContactsOf(record)],
      publicNames: [...given.publicNames ?? [], ...record.release.repository.split("/")]
    };
  }
  const findings = scanForPersonalData(fields, options);
  if (findings.length > 0) throw new PersonalDataError(findings);
}
function knownPeople(actors, input) {
  const people = [];
  for (const actor of new Set(actors)) {
    if (actor?.trim()) people.push({ kind: "actor-login", identifier: actor });
  }
  for (const approval of input?.change.approvals ?? []) {
    if (approval.approver?.trim()) {
      people.push({ kind: "approver-id", identifier: approval.approver });
    }
  }
  return people;
}
function describeFindings(findings) {
  return findings.map((f) => `${f.path}: ${KIND_LABEL[f.kind]} (${f.masked})`).join("; ");
}
function recordFieldsToScan(record) {
  const input = "change-record";
  return [
    { path: "/release/tag", value: record.release.tag, input: "tag" },
    ...record.chain.previous ? [{ path: "/chain/previous/tag", value: record.chain.previous.tag, input }] : [],
    ...record.change ? stringFields(record.change, "/change", input) : [],
    ...stringFields(record.personalData, "/personalData", input)
  ];
}
function allowedContactsOf(record) {
  const personalData = record.personalData;
  return "roleContacts" in personalData && personalData.roleContacts ? personalData.roleContacts.map((c) => c.email) : [];
}
function stringFields(value, prefix = "", input) {
  const fields = [];
  const walk = (node, path) => {
    if (typeof node === "string") {
      fields.push({ path: path || "/", value: node, ...{ input }  });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}/${i}`));
    } else if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        const pointer = `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        fields.push({
          path: `${path || "/"} (name of a field)`,
          value: key,
          ...{ input } 
        });
        walk(item, pointer);
      }
    }
  };
  walk(value, prefix);
  return fields;
}
const GITHUB_ACCOUNT = /^(?:@|github:)([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?)$/i;
function authorMatchers(authors, people, publicNames) {
  const exempt = new Set(publicNames.map((n) => n.normalize("NFC").trim().toLowerCase()));
  const emails = /* @__PURE__ */ new Map();
  const names = /* @__PURE__ */ new Map();
  const addEmail = (email, kind, loginKind) => {
    if (!email.includes("@") || SERVICE_ADDRESSES.has(email) || BOT_NOREPLY.test(email)) return;
    if (!emails.has(email)) emails.set(email, kind);
    const login = NOREPLY_LOGIN.exec(email)?.[1];
    if (login && !names.has(login)) names.set(login, loginKind);
  };
  for (const author of authors) {
    const email = author.email?.trim().toLowerCase();
    if (email) addEmail(email, "author-email", "author-login");
    const name = author.name?.normalize("NFC").trim().replace(/\s+/g, " ");
    if (name && !/\[bot\]$/i.test(name)) names.set(name.toLowerCase(), "author-name");
  }
  for (const person of people) {
    const identifier = person.identifier.normalize("NFKC").trim();
    const login = GITHUB_ACCOUNT.exec(identifier)?.[1] ?? identifier;
    if (/\[bot\]$/i.test(login)) continue;
    if (/^[^\s@]+@[^\s@]+$/.test(login)) {
      addEmail(login.toLowerCase(), person.kind, person.kind);
      continue;
    }
    const name = login.replace(/\s+/g, " ").toLowerCase();
    if (name && !names.has(name)) names.set(name, person.kind);
  }
  const matchers = [];
  for (const [name, kind] of names) {
    if ([...name.matchAll(/[\p{L}\p{N}]/gu)].length < 3) continue;
    if (GENERIC_AUTHOR_NAMES.has(name) || exempt.has(name)) continue;
    const body = name.split(/[\s._-]+/).filter((word) => word !== "").map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(String.raw`[\s._-]+`);
    matchers.push({
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, "giu"),
      kind
    });
  }
  return { emails, names: matchers };
}
function maskEmail(address) {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const tld = domain.slice(domain.lastIndexOf(".") + 1);
  return `${[...local][0] ?? ""}***@${[...domain][0] ?? ""}***.${tld}`;
}
function maskPhone(text) {
  const compact = text.replace(/[^\d+]/g, "");
  return `${compact.slice(0, 2)}***${compact.slice(-2)}`;
}
function maskWords(text) {
  return text.split(/[\s._-]+/).map((word) => `${[...word][0] ?? ""}***`).join(" ");
}

const MAX_SUBJECT_ROWS = 500;
function humanSize(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
function witnessDescription(bundle) {
  const material = bundle?.verificationMaterial;
  const parts = [];
  const entry = material?.tlogEntries?.[0];
  if (entry?.logIndex !== void 0) parts.push(`Rekor log index ${entry.logIndex}`);
  const timestamps = material?.timestampVerificationData?.rfc3161Timestamps?.length ?? 0;
  if (timestamps > 0) parts.push(`${timestamps} RFC 3161 timestamp(s)`);
  return parts.join(", ") || "none";
}
const HTML_ENTITIES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
};
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}
async function writeJobSummary(facts) {
  if (!process.env["GITHUB_STEP_SUMMARY"]) return;
  const { built, published } = facts;
  const summary$1 = summary.addHeading(
    // git allows < and > in a tag name; the heading is HTML too.
    `${facts.dryRun ? "Dry run for" : "Release"} ${escapeHtml(facts.inputs.tag)}`,
    2
  );
  if (published) summary$1.addRaw(`Published: ${published.url}`, true);
  summary$1.addRaw(`Manifest digest: \`${built.digest}\``, true);
  if (facts.provenanceBundle) {
    summary$1.addRaw(`Sigstore: ${witnessDescription(facts.provenanceBundle)}`, true);
  }
  const rows = built.manifest.subjects.slice(0, MAX_SUBJECT_ROWS).map((subject) => [
    escapeHtml(subject.name),
    subject.size === void 0 ? "" : humanSize(subject.size),
    `sha256:${subject.digest.sha256}`
  ]);
  summary$1.addTable([
    [
      { data: "Asset", header: true },
      { data: "Size", header: true },
      { data: "Digest", header: true }
    ],
    ...rows
  ]);
  if (built.manifest.subjects.length > MAX_SUBJECT_ROWS) {
    summary$1.addRaw(
      `\u2026 and ${built.manifest.subjects.length - MAX_SUBJECT_ROWS} more subjects (see release-manifest.json).`,
      true
    );
  }
  summary$1.addRaw(
    renderChangeRecordMarkdown(
      facts.record,
      facts.recordSha256 ? { recordSha256: facts.recordSha256 } : {}
    ),
    true
  );
  await summary$1.write();
}

export { witnessDescription as A, refuseNamesGitHubRenames as a, refuseMissingSubjects as b, assertNoPersonalData as c, describeFindings as d, resolveSigstoreEndpoints as e, resolveCommit as f, refuseOtherTagThanPushed as g, checkTagAvailable as h, readRepositoryFacts as i, readRepositoryFacts$1 as j, knownPeople as k, storeAttestation as l, releaseAssetFiles as m, renderChangeRecordMarkdown as n, publishRelease as o, pushedTagOf as p, signStatement as q, runUrl as r, scanForPersonalData as s, writeBundle as t, readRunContext as u, validateTagName as v, writeJobSummary as w, runnerClients as x, createReleaseStore as y, parseReleaseMarker as z };
