import { summary, setFailed, setOutput } from './core-NnQO8tC0.js';
import { c as assertNoPersonalData, z as parseReleaseMarker, i as readRepositoryFacts, j as readRepositoryFacts$1, e as resolveSigstoreEndpoints, q as signStatement, t as writeBundle, o as publishRelease, m as releaseAssetFiles, r as runUrl, l as storeAttestation, A as witnessDescription, u as readRunContext, v as validateTagName, x as runnerClients, y as createReleaseStore } from './summary-BMV9bDKj.js';
import { actionsReporter } from './reporter-4sKHlrVL.js';
import { r as refuseWithoutIdToken } from './input-reading-DJlZDR2N.js';
import { d as distExports, f as formatViolations } from './policy-DjAvqSWB.js';
import { realpath, mkdtemp, rm, readFile, writeFile } from 'node:fs/promises';
import { I as InputError, e as errorMessage, p as plainText } from './log-text-O5UIUIY4.js';
import 'node:crypto';
import 'node:fs';
import 'node:stream/promises';
import './change-record.v1-PQwpiILr.js';
import { resolve, relative, join } from 'node:path';
import { i as isInside } from './path-BDJXcjM6.js';
import { r as readRegularFile, b as WITHDRAWAL_TAG_PREFIX, M as MANIFEST_FILE, I as IN_TOTO_STATEMENT_V1, c as canonicalJson, h as hashBytes, P as PROVENANCE_BUNDLE_FILE, g as withdrawalTagFor, i as isSha256Hex, C as CHANGE_RECORD_FILE, W as WITHDRAWAL_FILE, e as WITHDRAWAL_BUNDLE_FILE } from './read-user-file-BZ-0qY-O.js';
import { a as validateWithdrawalInput, W as WITHDRAWAL_PREDICATE_TYPE, v as validateWithdrawalRecord } from './schema-Dc5cwXO5.js';
import './open-flags-BT7QmZNK.js';
import 'node:net';
import { p as pseudonymizerForAction } from './pseudonymizer-BoyR4zr4.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'http';
import 'https';
import './index-DSiugQJ4.js';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import './_commonjsHelpers-Bgu_3bK-.js';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'child_process';
import 'timers';
import './concurrency-icQKjNbB.js';
import 'node:os';
import './workflow-io-DZIqKM4x.js';
import 'process';
import 'buffer';
import 'http2';
import 'url';
import 'node:string_decoder';
import 'zlib';
import 'dns';
import 'stream';
import 'fs/promises';
import 'tty';
import 'timers/promises';
import 'node:child_process';

const WITHDRAWAL_REASONS = [
  "personal-data-breach",
  "security-vulnerability",
  "defect",
  "legal",
  "other"
];

const FILE_INPUT = "withdrawal-record";
const MAX_FILE_BYTES = 64 * 1024;
const FUTURE_TOLERANCE_MS = 5 * 60 * 1e3;
function isoSeconds(time) {
  return new Date(Math.floor(new Date(time).getTime() / 1e3) * 1e3).toISOString().replace(".000Z", "Z");
}
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
function parseDetectedAt(value, now, input) {
  if (value === void 0 || value.trim() === "") return isoSeconds(now);
  const text = value.trim();
  const time = Date.parse(text);
  if (!RFC3339.test(text) || Number.isNaN(time)) {
    throw new InputError(
      input,
      `"${text}" is not an RFC 3339 date-time with a time zone; write it like 2026-12-01T08:10:00Z.`
    );
  }
  if (time > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new InputError(
      input,
      `${text} is in the future (the run started at ${isoSeconds(now)}); give the time the incident became known.`
    );
  }
  return isoSeconds(time);
}
function checkTags(tag, replacementTag, tagInput) {
  if (!tag) {
    throw new InputError("tag", "is required: name the published release to withdraw, e.g. v1.4.0.");
  }
  if (tag.startsWith(WITHDRAWAL_TAG_PREFIX)) {
    throw new InputError(
      tagInput,
      `"${tag}" is a withdrawal release itself; withdrawals are permanent and cannot be withdrawn.`
    );
  }
  if (replacementTag !== void 0 && replacementTag === tag) {
    throw new InputError("replacement-tag", `is the withdrawn tag ${tag} itself.`);
  }
}
function reasonOf(value, input) {
  if (WITHDRAWAL_REASONS.includes(value)) return value;
  throw new InputError(
    input,
    value ? `"${value}" is not a withdrawal reason; use one of ${WITHDRAWAL_REASONS.join(", ")}.` : `is required: one of ${WITHDRAWAL_REASONS.join(", ")}.`
  );
}
function fromInputs(inputs, now) {
  const reason = reasonOf(inputs.reason, "reason");
  const summary = inputs.summary.trim();
  if (!summary) {
    throw new InputError(
      "summary",
      "is required: say in one or two sentences what is wrong with the release."
    );
  }
  if (summary.length > 4e3) throw new InputError("summary", "is longer than 4000 characters.");
  const incidentReference = inputs.incidentReference.trim() || void 0;
  if (incidentReference !== void 0 && incidentReference.length > 200) {
    throw new InputError("incident-reference", "is longer than 200 characters.");
  }
  const replacementTag = inputs.replacementTag || void 0;
  checkTags(inputs.tag, replacementTag, "tag");
  return {
    tag: inputs.tag,
    reason,
    summary,
    ...incidentReference ? { incidentReference } : {},
    awareAt: parseDetectedAt(inputs.detectedAt, now, "detected-at"),
    ...replacementTag ? { replacementTag } : {},
    inputOf: (field) => ({
      summary: "summary",
      incidentReference: "incident-reference",
      breach: "detected-at",
      approvals: FILE_INPUT
    })[field]
  };
}
function fromFile(file, tagInput, now) {
  if (file.tag !== void 0 && tagInput && file.tag !== tagInput) {
    throw new InputError(
      FILE_INPUT,
      `names tag ${file.tag}, but the tag input is ${tagInput}; give the tag one way.`
    );
  }
  const tag = tagInput || file.tag || "";
  checkTags(tag, file.replacementTag, tagInput ? "tag" : FILE_INPUT);
  return {
    tag,
    reason: file.reason,
    summary: file.summary,
    ...file.incidentReference ? { incidentReference: file.incidentReference } : {},
    awareAt: parseDetectedAt(file.detectedAt, now, FILE_INPUT),
    ...file.replacementTag ? { replacementTag: file.replacementTag } : {},
    ...file.breach ? { breach: file.breach } : {},
    ...file.approvals ? { approvals: file.approvals } : {},
    inputOf: () => FILE_INPUT
  };
}
const REPLACED_BY_FILE = [
  "reason",
  "summary",
  "incidentReference",
  "detectedAt",
  "replacementTag"
];
const INPUT_NAMES = {
  tag: "tag",
  reason: "reason",
  summary: "summary",
  incidentReference: "incident-reference",
  detectedAt: "detected-at",
  replacementTag: "replacement-tag"
};
function resolveWithdrawalRequest(inputs, file, now) {
  if (file === void 0) return fromInputs(inputs, now);
  const given = REPLACED_BY_FILE.filter((name) => inputs[name].trim() !== "");
  if (given.length > 0) {
    throw new InputError(
      FILE_INPUT,
      `cannot be combined with ${given.map((n) => INPUT_NAMES[n]).join(", ")}: give the withdrawal either as inputs or as the file.`
    );
  }
  const violations = validateWithdrawalInput(file);
  if (violations.length > 0) {
    throw new InputError(
      FILE_INPUT,
      `is not a valid withdrawal record (schemas/withdrawal.v1.json): ${formatViolations(violations)}`
    );
  }
  const { $schema: _schema, ...doc } = file;
  return fromFile(doc, inputs.tag, now);
}
async function readWithdrawalRecordFile(path, workspace) {
  const root = await realpath(workspace);
  let target;
  try {
    target = await realpath(resolve(root, path));
  } catch {
    throw new InputError(FILE_INPUT, `${path} does not exist in the workspace.`);
  }
  const inside = relative(root, target);
  if (inside === "" || inside.startsWith("..") || !isInside(root, target)) {
    throw new InputError(FILE_INPUT, `${path} is outside the workspace.`);
  }
  const bytes = await readRegularFile(target, { input: FILE_INPUT, maxBytes: MAX_FILE_BYTES });
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return distExports.parse(text, { schema: "core", maxAliasCount: 10, uniqueKeys: true });
  } catch (error) {
    throw new InputError(FILE_INPUT, `${path} is not valid YAML or JSON: ${errorMessage(error)}`);
  }
}

const NOTIFICATION_WINDOW_HOURS = 72;
function notificationDeadline(awareAt) {
  const time = Date.parse(awareAt);
  if (Number.isNaN(time)) throw new TypeError(`awareAt ${awareAt} is not a date-time`);
  return isoSeconds(time + NOTIFICATION_WINDOW_HOURS * 3600 * 1e3);
}
function breachBlock(request) {
  const given = request.breach ?? {};
  return {
    awareAt: request.awareAt,
    notificationDeadline: notificationDeadline(request.awareAt),
    notifiable: given.notifiable ?? "pending",
    ...given.justification ? { justification: given.justification } : {},
    ...given.authorityNotifiedAt ? { authorityNotifiedAt: isoSeconds(Date.parse(given.authorityNotifiedAt)) } : {},
    ...given.authorityReference ? { authorityReference: given.authorityReference } : {},
    dataSubjectsInformed: given.dataSubjectsInformed ?? "pending"
  };
}
function pseudonymisedApprovals(approvals, pseudonymizer) {
  return approvals.map(
    ({ approver, ...approval }) => approver && pseudonymizer ? { ...approval, approver: pseudonymizer.approver(approver) } : approval
  );
}
function buildWithdrawalRecord(params) {
  const { request } = params;
  const record = {
    recordVersion: 1,
    repository: params.repository,
    withdrawn: structuredClone(params.withdrawn),
    reason: request.reason,
    summary: request.summary,
    ...request.incidentReference ? { incidentReference: request.incidentReference } : {},
    ...params.replacement ? { replacement: structuredClone(params.replacement) } : {},
    run: { ...params.run },
    withdrawnAt: isoSeconds(params.now),
    ...request.reason === "personal-data-breach" ? { breach: breachBlock(request) } : {},
    ...request.approvals?.length ? { approvals: pseudonymisedApprovals(request.approvals, params.pseudonymizer) } : {}
  };
  const violations = validateWithdrawalRecord(record);
  if (violations.length > 0) {
    throw new TypeError(`the withdrawal record breaks its schema: ${formatViolations(violations)}`);
  }
  return record;
}
function guardWithdrawalRecord(record, request) {
  const fields = [
    { path: "/withdrawn/tag", value: record.withdrawn.tag, input: "tag" },
    ...record.replacement ? [{ path: "/replacement/tag", value: record.replacement.tag, input: "replacement-tag" }] : [],
    { path: "/summary", value: record.summary, input: request.inputOf("summary") },
    ...record.incidentReference ? [
      {
        path: "/incidentReference",
        value: record.incidentReference,
        input: request.inputOf("incidentReference")
      }
    ] : [],
    ...textFields(
      {
        justification: record.breach?.justification,
        authorityReference: record.breach?.authorityReference
      },
      "/breach",
      request.inputOf("breach")
    ),
    ...(record.approvals ?? []).flatMap(
      (approval, i) => textFields(
        { role: approval.role, conditions: approval.conditions },
        `/approvals/${i}`,
        request.inputOf("approvals")
      )
    )
  ];
  assertNoPersonalData(fields, { publicNames: record.repository.split("/") });
}
function textFields(object, prefix, input) {
  return Object.entries(object).filter((entry) => typeof entry[1] === "string").map(([key, value]) => ({ path: `${prefix}/${key}`, value, input }));
}
function serializeWithdrawalRecord(record) {
  const bytes = canonicalJson(record);
  return { bytes, sha256: hashBytes(bytes) };
}
function buildWithdrawalStatement(record, artifacts) {
  const subject = [
    { name: MANIFEST_FILE, digest: { sha256: record.withdrawn.manifestDigest.sha256 } },
    ...artifacts.map((a) => ({ name: a.name, digest: { sha256: a.digest.sha256 } }))
  ];
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject,
    predicateType: WITHDRAWAL_PREDICATE_TYPE,
    predicate: record
  };
}

const WITHDRAWN_TITLE_PREFIX = "[WITHDRAWN] ";
const BANNER_MARKER = "<!-- immutable-release: withdrawal banner -->";
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;
function parseSemver(tag) {
  const m = SEMVER.exec(tag);
  if (!m) return void 0;
  return {
    core: [Number(m[1]), Number(m[2]), Number(m[3])],
    prerelease: m[4] ? m[4].split(".") : []
  };
}
function compareIdentifiers(a, b) {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
function compareSemver(a, b) {
  for (let i = 0; i < 3; i++) {
    const d = a.core[i] - b.core[i];
    if (d !== 0) return d;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === void 0) return -1;
    if (y === void 0) return 1;
    const d = compareIdentifiers(x, y);
    if (d !== 0) return d;
  }
  return 0;
}
function madeByThisAction(release) {
  const names = new Set(release.assets.map((a) => a.name));
  return names.has(MANIFEST_FILE) && names.has(PROVENANCE_BUNDLE_FILE);
}
function withdrawnTags(releases) {
  const tags = /* @__PURE__ */ new Set();
  for (const r of releases) {
    if (r.tagName.startsWith(WITHDRAWAL_TAG_PREFIX)) {
      tags.add(r.tagName.slice(WITHDRAWAL_TAG_PREFIX.length));
    }
  }
  return tags;
}
function releaseProblem(release, tag, input, withdrawn) {
  if (!release) return `no release uses tag ${tag} in this repository.`;
  if (release.draft) {
    return `the release of ${tag} is a draft (${release.htmlUrl}); only a published release can be ${input === "tag" ? "withdrawn" : "a replacement"}. Delete the draft instead.`;
  }
  if (!madeByThisAction(release)) {
    return `the release of ${tag} was not made by immutable-release: it has no ${MANIFEST_FILE} and ${PROVENANCE_BUNDLE_FILE}.`;
  }
  if (input === "replacement-tag" && withdrawn.has(tag)) {
    return `the release of ${tag} is itself withdrawn (${withdrawalTagFor(tag)}); name a release that is not.`;
  }
  return void 0;
}
function decideWithdrawalStart(tag, withdrawalReleases, run, parseMarker) {
  const published = withdrawalReleases.find((r) => !r.draft && r.tagName === withdrawalTagFor(tag));
  if (!published) return { action: "withdraw" };
  if (parseMarker(published.body)?.id === run.id) return { action: "resume", withdrawal: published };
  return {
    action: "refuse",
    reason: `${tag} is already withdrawn: ${published.htmlUrl}. A withdrawal is permanent; there is nothing to do again.`
  };
}
function decideLatest(input) {
  if (input.latestTag !== input.withdrawnTag) return { action: "keep", latest: input.latestTag };
  if (input.replacementTag) return { action: "set", tag: input.replacementTag };
  const withdrawn = withdrawnTags(input.releases);
  const candidates = input.releases.filter(
    (r) => !r.draft && !r.prerelease && r.tagName !== input.withdrawnTag && !r.tagName.startsWith(WITHDRAWAL_TAG_PREFIX) && !withdrawn.has(r.tagName) && !(r.name ?? "").startsWith(WITHDRAWN_TITLE_PREFIX) && madeByThisAction(r)
  ).map((r) => ({ tag: r.tagName, version: parseSemver(r.tagName) })).filter((c) => c.version !== void 0).sort((a, b) => compareSemver(b.version, a.version));
  const best = candidates[0];
  return best ? { action: "set", tag: best.tag } : { action: "unset" };
}
function withdrawnTitle(name, tag) {
  const title = name || tag;
  return title.startsWith(WITHDRAWN_TITLE_PREFIX) ? title : `${WITHDRAWN_TITLE_PREFIX}${title}`;
}
function markdownText(text) {
  return plainText(text).replace(/[\\`*_{}[\]<>#|!~&]/g, (c) => `\\${c}`);
}
const REASON_TEXT = {
  "personal-data-breach": "personal data breach",
  "security-vulnerability": "security vulnerability",
  defect: "defect",
  legal: "legal reasons",
  other: "other"
};
function withdrawalBanner(record, links) {
  const lines = [
    BANNER_MARKER,
    `> [!CAUTION]`,
    `> **This release was withdrawn on ${record.withdrawnAt.slice(0, 10)}** (${REASON_TEXT[record.reason]}). Do not use it.`,
    `>`,
    `> ${markdownText(record.summary)}`
  ];
  if (record.replacement) {
    const replacement = links.replacementUrl ? `[${markdownText(record.replacement.tag)}](${links.replacementUrl})` : markdownText(record.replacement.tag);
    lines.push(">", `> Use ${replacement} instead.`);
  }
  lines.push(
    ">",
    `> Signed withdrawal: [${markdownText(withdrawalTagFor(record.withdrawn.tag))}](${links.withdrawalUrl}), \`withdrawal.json\` ${links.withdrawalDigest}`
  );
  return lines.join("\n");
}
function markedNotes(body, banner) {
  const notes = body ?? "";
  if (notes.includes(BANNER_MARKER)) return notes;
  return notes ? `${banner}

${notes}` : banner;
}
function isMarked(release) {
  return (release.name ?? "").startsWith(WITHDRAWN_TITLE_PREFIX) && (release.body ?? "").includes(BANNER_MARKER);
}

class UntrustedRelease extends Error {
}
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
async function assetBytes(store, release, name, dir) {
  const asset = release.assets.find((a) => a.name === name);
  if (!asset) throw new UntrustedRelease(`it has no ${name}`);
  if (asset.size > MAX_DOCUMENT_BYTES)
    throw new UntrustedRelease(`its ${name} is ${asset.size} bytes`);
  const path = join(dir, name);
  await store.downloadAsset(asset.id, path);
  const bytes = await readFile(path);
  if (asset.digest !== null && asset.digest !== `sha256:${hashBytes(bytes)}`) {
    throw new UntrustedRelease(
      `its ${name} does not match GitHub's digest ${asset.digest} (downloaded sha256:${hashBytes(bytes)})`
    );
  }
  return bytes;
}
function signedManifestDigest(bundleBytes) {
  const bundle = JSON.parse(bundleBytes.toString("utf8"));
  const payload = bundle.dsseEnvelope?.payload;
  if (typeof payload !== "string") return void 0;
  const statement = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
  return statement.subject?.find((s) => s.name === MANIFEST_FILE)?.digest?.sha256;
}
function manifestArtifacts(manifestBytes) {
  const manifest = JSON.parse(manifestBytes.toString("utf8"));
  if (!Array.isArray(manifest.subjects))
    throw new UntrustedRelease(`its ${MANIFEST_FILE} lists no subjects`);
  return manifest.subjects.map((s) => {
    if (typeof s.name !== "string" || !isSha256Hex(s.digest?.sha256)) {
      throw new UntrustedRelease(`its ${MANIFEST_FILE} has a subject without a name and sha256`);
    }
    return { name: s.name, digest: { sha256: s.digest.sha256 } };
  });
}
async function changeRecordDigest(store, release, dir) {
  const asset = release.assets.find((a) => a.name === CHANGE_RECORD_FILE);
  if (!asset) return void 0;
  const fromGitHub = asset.digest?.replace(/^sha256:/, "");
  if (isSha256Hex(fromGitHub)) return { sha256: fromGitHub };
  return { sha256: hashBytes(await assetBytes(store, release, CHANGE_RECORD_FILE, dir)) };
}
async function inspectRelease(store, release, input, scratchDir) {
  const dir = await mkdtemp(join(scratchDir, "inspect-"));
  try {
    const manifestBytes = await assetBytes(store, release, MANIFEST_FILE, dir);
    const manifestSha256 = hashBytes(manifestBytes);
    const bundleBytes = await assetBytes(store, release, PROVENANCE_BUNDLE_FILE, dir);
    let signed;
    try {
      signed = signedManifestDigest(bundleBytes);
    } catch (error) {
      throw new UntrustedRelease(
        `its ${PROVENANCE_BUNDLE_FILE} cannot be read: ${errorMessage(error)}`
      );
    }
    if (signed !== manifestSha256) {
      throw new UntrustedRelease(
        `its ${PROVENANCE_BUNDLE_FILE} signs ${MANIFEST_FILE} ${signed ? `sha256:${signed}` : "(not at all)"}, but the asset is sha256:${manifestSha256}`
      );
    }
    return {
      release,
      manifestDigest: { sha256: manifestSha256 },
      ...await changeRecordDigest(store, release, dir).then(
        (d) => d ? { changeRecordDigest: d } : {}
      ),
      artifacts: manifestArtifacts(manifestBytes)
    };
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (!(error instanceof UntrustedRelease) && !(error instanceof SyntaxError)) {
      throw store.describeFailure(`reading the release ${release.tagName}`, error);
    }
    throw new InputError(
      input,
      `the release ${release.tagName} cannot be trusted as made by immutable-release: ${errorMessage(error)}. Nothing was written.`
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function releaseOf(releases, tag) {
  const ofTag = releases.filter((r) => r.tagName === tag);
  return ofTag.find((r) => !r.draft) ?? ofTag[0];
}
async function listReleases(deps) {
  try {
    return await deps.store.listReleases();
  } catch (error) {
    throw deps.store.describeFailure("listing the releases", error);
  }
}
async function signingEndpoints(deps) {
  let visibility = readRepositoryFacts().visibility;
  if (!visibility) {
    const read = await readRepositoryFacts$1(deps.client, deps.owner, deps.repo, (error) => {
      deps.reporter.warning(
        `Could not read the repository's visibility (${errorMessage(error)}); assuming it is private, so nothing is written to a public transparency log.`
      );
    });
    visibility = read?.visibility;
  }
  const { inputs } = deps;
  return resolveSigstoreEndpoints({
    mode: inputs.sigstore,
    fulcioUrl: inputs.fulcioUrl || void 0,
    rekorUrl: inputs.rekorUrl || void 0,
    tsaUrl: inputs.tsaUrl || void 0,
    visibility
  });
}
async function check(deps) {
  const { request, store } = deps;
  const releases = await listReleases(deps);
  const withdrawn = withdrawnTags(releases);
  const target = releaseOf(releases, request.tag);
  const targetProblem = releaseProblem(target, request.tag, "tag", withdrawn);
  if (targetProblem || !target) throw new InputError("tag", targetProblem ?? "not found");
  const start = decideWithdrawalStart(
    request.tag,
    releases.filter((r) => r.tagName === withdrawalTagFor(request.tag)),
    deps.run,
    parseReleaseMarker
  );
  if (start.action === "refuse") throw new InputError("tag", start.reason);
  let replacementRelease;
  if (request.replacementTag) {
    replacementRelease = releaseOf(releases, request.replacementTag);
    const problem = releaseProblem(
      replacementRelease,
      request.replacementTag,
      "replacement-tag",
      withdrawn
    );
    if (problem) throw new InputError("replacement-tag", problem);
  }
  if (start.action === "resume") {
    return resumePublished(deps, { releases, target, replacementRelease }, start.withdrawal);
  }
  const [inspected, replacement] = await Promise.all([
    inspectRelease(store, target, "tag", deps.context.tempDir),
    replacementRelease && inspectRelease(store, replacementRelease, "replacement-tag", deps.context.tempDir)
  ]);
  return {
    ...deps,
    releases,
    withdrawn: inspected,
    replacement: replacement || void 0,
    endpoints: await signingEndpoints(deps),
    // The same derivation as the release action's, so a person has one pseudonym in both records.
    pseudonymizer: pseudonymizerForAction({
      key: deps.inputs.pseudonymizationKey,
      keyId: deps.inputs.pseudonymizationKeyId,
      domain: deps.inputs.pseudonymizationDomain,
      repositoryId: deps.context.repositoryId
    })
  };
}
async function resumePublished(deps, found, withdrawal) {
  const { store, context, reporter } = deps;
  reporter.info(
    `Resuming: attempt ${deps.run.attempt} of run ${deps.run.id} finds the withdrawal it published at ${withdrawal.htmlUrl}.`
  );
  const paths = {};
  for (const name of [WITHDRAWAL_FILE, WITHDRAWAL_BUNDLE_FILE]) {
    const asset = withdrawal.assets.find((a) => a.name === name);
    if (!asset) {
      throw new InputError(
        "tag",
        `the withdrawal release ${withdrawal.htmlUrl} has no ${name}; it cannot be resumed.`
      );
    }
    paths[name] = join(context.tempDir, name);
    await store.downloadAsset(asset.id, paths[name]);
  }
  const bytes = await readFile(paths[WITHDRAWAL_FILE]);
  const record = JSON.parse(bytes.toString("utf8"));
  const violations = validateWithdrawalRecord(record);
  if (violations.length > 0 || record.withdrawn.tag !== deps.request.tag) {
    throw new InputError(
      "tag",
      `the published ${WITHDRAWAL_FILE} of ${withdrawal.htmlUrl} is not a withdrawal of ${deps.request.tag}: ${formatViolations(violations)}`
    );
  }
  return {
    ...deps,
    ...found,
    record,
    recordDigest: `sha256:${hashBytes(bytes)}`,
    recordPath: paths[WITHDRAWAL_FILE],
    bundlePath: paths[WITHDRAWAL_BUNDLE_FILE],
    bundle: void 0,
    withdrawalUrl: withdrawal.htmlUrl,
    resumed: true
  };
}

class WithdrawalIncompleteError extends Error {
  constructor(step, remaining, error) {
    super(
      `The withdrawal of ${step.record.withdrawn.tag} is published (${step.withdrawalUrl}), but ${remaining} failed: ${errorMessage(error)}. Re-run this workflow run (Re-run failed jobs): it resumes and finishes what remains.`,
      { cause: error }
    );
    this.name = "WithdrawalIncompleteError";
  }
}
async function markWithdrawnRelease(step) {
  const { target, record } = step;
  if (isMarked(target)) {
    step.reporter.info(`${target.tagName} is already marked as withdrawn.`);
    return;
  }
  const banner = withdrawalBanner(record, {
    withdrawalUrl: step.withdrawalUrl,
    withdrawalDigest: step.recordDigest,
    ...step.replacementRelease ? { replacementUrl: step.replacementRelease.htmlUrl } : {}
  });
  await step.store.editRelease(target.id, {
    name: withdrawnTitle(target.name, target.tagName),
    body: markedNotes(target.body, banner)
  });
  step.reporter.info(`Marked ${target.tagName} as withdrawn: ${target.htmlUrl}`);
}
async function restoreLatest(step) {
  const { store, target } = step;
  const latestTag = await store.latestReleaseTag();
  if (!step.inputs.restoreLatest) {
    return { latest: { action: "keep", latest: latestTag }, latestTag };
  }
  const latest = decideLatest({
    withdrawnTag: target.tagName,
    latestTag,
    replacementTag: step.record.replacement?.tag,
    releases: step.releases
  });
  if (latest.action === "keep") return { latest, latestTag };
  if (latest.action === "unset") {
    await store.editRelease(target.id, { makeLatest: "false" });
    step.reporter.warning(
      `${target.tagName} was the latest release and no other published release of this action is left to take its place: no release is marked latest now.`
    );
    return { latest, latestTag: void 0 };
  }
  const next = step.releases.find((r) => r.tagName === latest.tag && !r.draft);
  if (!next) throw new Error(`the release ${latest.tag} is gone`);
  await store.editRelease(next.id, { makeLatest: "true" });
  step.reporter.info(`Latest is now ${latest.tag} (was ${target.tagName}).`);
  return { latest, latestTag: latest.tag };
}
async function finish(step) {
  try {
    await markWithdrawnRelease(step);
  } catch (error) {
    throw new WithdrawalIncompleteError(
      step,
      `marking ${step.target.tagName} as withdrawn (and moving "latest")`,
      error
    );
  }
  try {
    return { ...step, ...await restoreLatest(step) };
  } catch (error) {
    throw new WithdrawalIncompleteError(step, `moving "latest" off ${step.target.tagName}`, error);
  }
}

async function buildRecord(step) {
  const { context, withdrawn, replacement } = step;
  const record = buildWithdrawalRecord({
    request: step.request,
    repository: context.repository,
    withdrawn: {
      tag: withdrawn.release.tagName,
      manifestDigest: withdrawn.manifestDigest,
      ...withdrawn.changeRecordDigest ? { changeRecordDigest: withdrawn.changeRecordDigest } : {}
    },
    ...replacement ? {
      replacement: {
        tag: replacement.release.tagName,
        manifestDigest: replacement.manifestDigest
      }
    } : {},
    run: { url: runUrl(context), workflowRef: context.workflowRef, commit: context.sha },
    now: step.now,
    ...step.pseudonymizer ? { pseudonymizer: step.pseudonymizer } : {}
  });
  guardWithdrawalRecord(record, step.request);
  const { bytes, sha256 } = serializeWithdrawalRecord(record);
  const recordPath = join(context.tempDir, WITHDRAWAL_FILE);
  await writeFile(recordPath, bytes);
  return { record, recordPath, recordDigest: `sha256:${sha256}` };
}
function withdrawalNotes(record, recordDigest) {
  const lines = [
    `Withdrawal of ${markdownText(record.withdrawn.tag)} (${record.reason}), signed and permanent.`,
    "",
    markdownText(record.summary),
    "",
    `- Withdrawn: ${markdownText(record.withdrawn.tag)}, release-manifest.json sha256:${record.withdrawn.manifestDigest.sha256}`
  ];
  if (record.replacement) lines.push(`- Replacement: ${markdownText(record.replacement.tag)}`);
  if (record.breach) {
    lines.push(`- GDPR Art. 33 notification deadline: ${record.breach.notificationDeadline}`);
  }
  lines.push(`- ${WITHDRAWAL_FILE}: ${recordDigest}`);
  return lines.join("\n");
}
async function storeWithdrawalAttestation(step, bundle) {
  try {
    await storeAttestation(
      step.client,
      { owner: step.owner, repo: step.repo, bundle },
      step.reporter
    );
  } catch (error) {
    step.reporter.warning(
      `The withdrawal is published, but storing it in the attestations API failed: ${errorMessage(error)}. The bundle is the asset ${WITHDRAWAL_BUNDLE_FILE} of the withdrawal release.`
    );
  }
}
async function publishWithdrawal(step) {
  const { context, reporter } = step;
  const { record, recordPath, recordDigest } = await buildRecord(step);
  const identityToken = await step.identity.getToken();
  const bundle = await signStatement(buildWithdrawalStatement(record, step.withdrawn.artifacts), {
    endpoints: step.endpoints,
    getIdentityToken: async () => identityToken,
    reporter
  });
  const bundlePath = join(context.tempDir, WITHDRAWAL_BUNDLE_FILE);
  await writeBundle(bundle, bundlePath);
  const tag = withdrawalTagFor(record.withdrawn.tag);
  const published = await publishRelease(
    step.store,
    {
      tag,
      targetCommitish: context.sha,
      name: `Withdrawal of ${record.withdrawn.tag}`,
      body: withdrawalNotes(record, recordDigest),
      prerelease: true,
      makeLatest: "false",
      assets: await releaseAssetFiles(
        [],
        [
          { name: WITHDRAWAL_FILE, path: recordPath, format: "json" },
          { name: WITHDRAWAL_BUNDLE_FILE, path: bundlePath, format: "json" }
        ]
      ),
      run: step.run
    },
    reporter
  );
  reporter.info(`Published the withdrawal ${tag}: ${published.url}`);
  await storeWithdrawalAttestation(step, bundle);
  return {
    ...step,
    target: step.withdrawn.release,
    replacementRelease: step.replacement?.release,
    record,
    recordDigest,
    recordPath,
    bundlePath,
    bundle,
    withdrawalUrl: published.url,
    resumed: false
  };
}

function summaryLines(step) {
  const { record } = step;
  const lines = [
    `## Withdrawn: ${markdownText(record.withdrawn.tag)}`,
    "",
    `- Reason: ${record.reason}`,
    `- Summary: ${markdownText(record.summary)}`,
    `- Withdrawal release: ${step.withdrawalUrl} (\`${withdrawalTagFor(record.withdrawn.tag)}\`)`,
    `- \`withdrawal.json\`: \`${step.recordDigest}\``
  ];
  if (step.bundle) lines.push(`- Sigstore: ${witnessDescription(step.bundle)}`);
  if (record.incidentReference) lines.push(`- Incident: ${markdownText(record.incidentReference)}`);
  if (record.replacement) lines.push(`- Replacement: ${markdownText(record.replacement.tag)}`);
  lines.push(`- Latest release now: ${step.latestTag ? markdownText(step.latestTag) : "(none)"}`);
  if (record.breach) {
    const b = record.breach;
    lines.push(
      "",
      "### GDPR Art. 33 / Art. 34",
      "",
      `- Aware since: ${b.awareAt}`,
      `- **Notify the supervisory authority by ${b.notificationDeadline}** (72 hours), unless the breach is unlikely to result in a risk (then record why). Notifiable: ${b.notifiable}.`,
      `- Data subjects informed (Art. 34): ${b.dataSubjectsInformed}`
    );
    if (b.authorityNotifiedAt) lines.push(`- Authority notified: ${b.authorityNotifiedAt}`);
    lines.push("", "See docs/incident-response.md for what to hand the authority.");
  }
  if (step.resumed)
    lines.push("", "Resumed the withdrawal an earlier attempt of this run published.");
  return lines;
}
async function report(step) {
  const { record } = step;
  step.setOutput("latest-tag", step.latestTag ?? "");
  const deadline = record.breach ? `; Art. 33 notification deadline ${record.breach.notificationDeadline}` : "";
  step.reporter.notice(
    `Withdrew ${record.withdrawn.tag} (${record.reason}): ${step.withdrawalUrl}, withdrawal.json ${step.recordDigest}; latest is ${step.latestTag ?? "(none)"}${deadline}`,
    { title: "immutable-release" }
  );
  if (!process.env["GITHUB_STEP_SUMMARY"]) return;
  await summary.addRaw(summaryLines(step).join("\n"), true).write();
}

async function run(inputs) {
  try {
    await withdraw(await dependencies(inputs));
  } catch (error) {
    setFailed(errorMessage(error));
  }
}
async function dependencies(inputs) {
  const context = readRunContext();
  const now = /* @__PURE__ */ new Date();
  const file = inputs.withdrawalRecord ? await readWithdrawalRecordFile(inputs.withdrawalRecord, context.workspace) : void 0;
  const request = resolveWithdrawalRequest(inputs, file, now);
  validateTagName(request.tag);
  if (request.replacementTag) {
    try {
      validateTagName(request.replacementTag);
    } catch (error) {
      throw new InputError("replacement-tag", errorMessage(error).replace(/^Input 'tag': /, ""));
    }
  }
  refuseWithoutIdToken();
  const [owner, repo] = context.repository.split("/");
  const { client, identity } = runnerClients(inputs.githubToken, context.apiUrl);
  return {
    inputs,
    request,
    context,
    owner,
    repo,
    client,
    store: createReleaseStore(client, owner, repo),
    identity,
    reporter: actionsReporter,
    run: { id: context.runId, attempt: Number(context.runAttempt) },
    now,
    setOutput: (name, value) => setOutput(name, value)
  };
}
async function withdraw(deps) {
  const checked = await check(deps);
  const published = "resumed" in checked ? checked : await publishWithdrawal(checked);
  published.setOutput("withdrawal-digest", published.recordDigest);
  published.setOutput("withdrawal-url", published.withdrawalUrl);
  published.setOutput("withdrawal-bundle-path", published.bundlePath);
  await report(await finish(published));
}

export { run };
