import { readdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { i as iteratePages, b as downloadAssetBytes, d as downloadAndHashAsset, c as createGitHubClient, e as isAccessDenied } from './change-record.v1-PQwpiILr.js';
import 'node:crypto';
import 'node:fs';
import 'node:stream/promises';
import { e as errorMessage, I as InputError, l as logLine } from './log-text-O5UIUIY4.js';
import { b as WITHDRAWAL_TAG_PREFIX, M as MANIFEST_FILE, C as CHANGE_RECORD_FILE, d as readOptionalRegularFile, e as WITHDRAWAL_BUNDLE_FILE, W as WITHDRAWAL_FILE, P as PROVENANCE_BUNDLE_FILE, a as CHANGE_RECORD_BUNDLE_FILE, h as hashBytes, c as canonicalJson, S as SHA256SUMS_FILE, w as withdrawnTagOf } from './read-user-file-BZ-0qY-O.js';
import { tmpdir } from 'node:os';
import './policy-DjAvqSWB.js';
import { a as assetViewsOf, V as VERIFY_CHECKS, r as readManifestFile, b as buildVerifyContext, M as MAX_MANIFEST_BYTES, p as parseManifest, v as verifySigned, i as identityExpectation, c as checkWithdrawal, d as downloadReleaseAssets, l as loadTrustedRoot } from './verify-request-Ch78VWm7.js';
import { m as mapLimit } from './concurrency-icQKjNbB.js';
import './open-flags-BT7QmZNK.js';
import 'node:net';
import 'node:worker_threads';
import './media-type-Dr6LIKcO.js';
import { o as out, e as err, s as stderrReporter } from './main-tEkZ3sEr.js';
import './verify-command-5txqn-3T.js';

async function listReleasesWithAssets(client, { owner, repo }) {
  const route = "GET /repos/{owner}/{repo}/releases";
  const releases = [];
  for await (const page of iteratePages(client, route, { owner, repo }, route)) {
    for (const r of page) {
      releases.push({
        id: r.id,
        tag: r.tag_name,
        draft: r.draft,
        prerelease: r.prerelease,
        createdAt: r.created_at,
        publishedAt: r.published_at,
        assets: assetViewsOf(r.assets)
      });
    }
  }
  return releases;
}
async function listTagCommits(client, { owner, repo }) {
  const route = "GET /repos/{owner}/{repo}/tags";
  const commits = /* @__PURE__ */ new Map();
  for await (const page of iteratePages(
    client,
    route,
    { owner, repo },
    route
  )) {
    for (const tag of page) commits.set(tag.name, tag.commit.sha);
  }
  return commits;
}

const short = (hex) => hex ? `sha256:${hex.slice(0, 12)}` : "(none)";
function verificationFindings(releases) {
  return releases.filter((r) => r.status === "not-verified").map((r) => {
    const failed = r.checks.filter((c) => !c.ok);
    const why = failed.map((c) => `${c.title}: ${c.details[0] ?? "failed"}`).join("; ");
    return {
      kind: "verification-failed",
      release: r.tag,
      related: [],
      message: `${r.tag} does not verify (${failed.length} check(s) failed): ${why}`
    };
  });
}
function unsignedFindings(releases) {
  const signed = releases.map((r) => r.signed);
  const findings = [];
  releases.forEach((r, i) => {
    if (r.status !== "unsigned") return;
    const before = releases.slice(0, i).findLast((_, j) => signed[j]);
    const after = releases.slice(i + 1).find((_, j) => signed[i + 1 + j]);
    if (!before || !after) return;
    findings.push({
      kind: "unsigned-release",
      release: r.tag,
      related: [before.tag, after.tag],
      message: `${r.tag} has no release-manifest.json (made by another tool or by hand) and sits between the signed releases ${before.tag} and ${after.tag}`
    });
  });
  return findings;
}
function linkMismatches(link, named) {
  const problems = [];
  if (link.manifestDigest.sha256 !== named.manifestSha256) {
    problems.push(
      `manifest digest ${short(link.manifestDigest.sha256)} differs from ${named.tag}'s ${short(named.manifestSha256)}`
    );
  }
  const recordLink = link.changeRecordDigest?.sha256;
  if (recordLink !== void 0 && recordLink !== named.changeRecordSha256) {
    problems.push(
      `change-record digest ${short(recordLink)} differs from ${named.tag}'s ${short(named.changeRecordSha256)}`
    );
  }
  return problems;
}
function chainFindings(releases) {
  const byTag = new Map(releases.map((r) => [r.tag, r]));
  const findings = [];
  const namedBy = /* @__PURE__ */ new Map();
  for (const r of releases) {
    const link = r.record?.chain.previous;
    if (link) namedBy.set(link.tag, [...namedBy.get(link.tag) ?? [], r]);
  }
  let previousSigned;
  for (const r of releases) {
    if (!r.signed) continue;
    const expected = previousSigned;
    previousSigned = r;
    if (!r.record) continue;
    const link = r.record.chain.previous;
    if (link === null) {
      if (expected) {
        findings.push({
          kind: "orphan",
          release: r.tag,
          related: [expected.tag],
          message: `${r.tag} names no predecessor (a new chain), but ${expected.tag} was released before it`
        });
      }
      continue;
    }
    const named = byTag.get(link.tag);
    if (!named) {
      findings.push({
        kind: "missing-predecessor",
        release: r.tag,
        related: [link.tag],
        message: `${r.tag} names ${link.tag} as its predecessor, which no longer exists (deleted)`
      });
      continue;
    }
    const mismatches = linkMismatches(link, named);
    if (mismatches.length > 0) {
      findings.push({
        kind: "broken-link",
        release: r.tag,
        related: [link.tag],
        message: `${r.tag}'s link to ${link.tag} is broken: ${mismatches.join("; ")}`
      });
    }
    const siblings = namedBy.get(link.tag) ?? [];
    const first = siblings[0];
    if (first && first !== r) {
      findings.push({
        kind: "fork",
        release: r.tag,
        related: [first.tag, link.tag],
        message: `${r.tag} and ${first.tag} both name ${link.tag} as their predecessor: the chain forks (concurrent releases)`
      });
    } else if (expected && named !== expected) {
      findings.push({
        kind: "orphan",
        release: r.tag,
        related: [link.tag, expected.tag],
        message: `${r.tag} names ${link.tag} as its predecessor, but the signed release before it is ${expected.tag}`
      });
    }
  }
  return findings;
}
function tagFindings(releases, tagCommits) {
  const findings = [];
  for (const r of releases) {
    if (!r.commit) continue;
    const actual = tagCommits.get(r.tag);
    if (actual === r.commit) continue;
    findings.push({
      kind: "tag-moved",
      release: r.tag,
      related: [],
      message: actual === void 0 ? `tag ${r.tag} no longer exists; the provenance names commit ${r.commit}` : `tag ${r.tag} points at commit ${actual}, but the provenance names ${r.commit} (the tag was moved)`
    });
  }
  return findings;
}
function applyWithdrawals(releases, withdrawals) {
  const findings = [];
  const records = /* @__PURE__ */ new Map();
  for (const w of withdrawals) {
    const { outcome } = w;
    if (outcome.status === "verified") {
      records.set(w.withdrawnTag, outcome.record);
      continue;
    }
    findings.push({
      kind: outcome.status === "invalid" ? "withdrawal-invalid" : "withdrawal-unverified",
      release: w.withdrawnTag,
      related: [w.releaseTag],
      message: outcome.status === "invalid" ? `the withdrawal ${w.releaseTag} does not verify: ${outcome.problem}` : `withdrawal present, not verified (${w.releaseTag}): ${outcome.problem}`
    });
  }
  return {
    releases: releases.map((r) => {
      const withdrawal = records.get(r.tag);
      if (!withdrawal) return r;
      return { ...r, status: r.status === "verified" ? "withdrawn" : r.status, withdrawal };
    }),
    findings
  };
}

function stringAt(value, ...path) {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== "object") return void 0;
    at = at[key];
  }
  return typeof at === "string" ? at : void 0;
}
function passed(checks, id) {
  return checks.some((c) => c.id === id && c.ok);
}
function provenanceFacts(ctx, checks) {
  const verified = ctx.provenance.verified;
  if (!verified || !passed(checks, "provenance-signature")) return {};
  const commit = stringAt(
    verified.statement,
    "predicate",
    "buildDefinition",
    "resolvedDependencies",
    0,
    "digest",
    "gitCommit"
  );
  const signer = verified.signer.buildSignerURI ?? verified.signer.subjectAlternativeName;
  return { ...commit ? { commit } : {}, ...signer ? { signerWorkflow: signer } : {} };
}
async function examineRelease(evidence) {
  const base = {
    tag: evidence.tag,
    ...evidence.date ? { date: evidence.date } : {},
    prerelease: evidence.prerelease
  };
  if (evidence.manifestProblem !== void 0) {
    const failed = {
      id: "assets",
      title: "Assets match the manifest",
      ok: false,
      details: [evidence.manifestProblem]
    };
    return { ...base, status: "not-verified", signed: true, checks: [failed] };
  }
  const ctx = evidence.context;
  if (!ctx) return { ...base, status: "unsigned", signed: false, checks: [] };
  const checks = [];
  for (const check of VERIFY_CHECKS) checks.push(await check.run(ctx));
  const verified = checks.every((c) => c.ok);
  const record = passed(checks, "change-record") ? ctx.changeRecord?.record : void 0;
  return {
    ...base,
    status: verified ? "verified" : "not-verified",
    signed: true,
    manifestSha256: ctx.manifestSha256,
    ...evidence.changeRecordSha256 ? { changeRecordSha256: evidence.changeRecordSha256 } : {},
    checks,
    ...provenanceFacts(ctx, checks),
    ...record ? { record } : {}
  };
}

const MAX_WITHDRAWAL_FILE_BYTES = 4 * 1024 * 1024;
async function listAuditFolder(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const folders = (list) => list.filter((e) => e.isDirectory()).map((e) => e.name);
  const withdrawnDir = WITHDRAWAL_TAG_PREFIX.replace(/\/$/, "");
  const releases = folders(entries).filter((name) => name !== withdrawnDir);
  let withdrawals = [];
  if (entries.some((e) => e.isDirectory() && e.name === withdrawnDir)) {
    withdrawals = folders(await readdir(join(dir, withdrawnDir), { withFileTypes: true }));
  }
  return { releases, withdrawals };
}
function recordDate(record) {
  const value = record?.createdAt;
  return typeof value === "string" ? value : void 0;
}
async function releaseEvidenceFromFolder(dir, tag, options) {
  const found = await readManifestFile(dir);
  if ("problem" in found) {
    if (found.problem === `${MANIFEST_FILE} is missing`) return { tag, prerelease: false };
    return { tag, prerelease: false, manifestProblem: found.problem };
  }
  const context = await buildVerifyContext({ dir, tag, ...options }, found);
  const date = recordDate(context.changeRecord?.record);
  const changeRecordSha256 = context.files.get(CHANGE_RECORD_FILE);
  return {
    tag,
    prerelease: false,
    ...date ? { date } : {},
    context,
    ...changeRecordSha256 ? { changeRecordSha256 } : {}
  };
}
async function withdrawalEvidenceFromFolder(dir, withdrawnTag) {
  const evidence = {
    releaseTag: `${WITHDRAWAL_TAG_PREFIX}${withdrawnTag}`,
    withdrawnTag
  };
  const problems = [];
  const read = async (name) => {
    try {
      const bytes = await readOptionalRegularFile(join(dir, name), {
        input: name,
        maxBytes: MAX_WITHDRAWAL_FILE_BYTES
      });
      if (!bytes) problems.push(`${name} is missing`);
      return bytes;
    } catch (error) {
      problems.push(`${name} cannot be read: ${errorMessage(error)}`);
      return void 0;
    }
  };
  const recordBytes = await read(WITHDRAWAL_FILE);
  const bundleBytes = await read(WITHDRAWAL_BUNDLE_FILE);
  return {
    ...evidence,
    ...recordBytes ? { recordBytes } : {},
    ...bundleBytes ? { bundleBytes } : {},
    ...problems.length > 0 ? { problem: problems.join("; ") } : {}
  };
}
function compareTags(a, b) {
  return a.localeCompare(b, "en", { numeric: true });
}

const MAX_RECORD_BYTES = 4 * 1024 * 1024;
function listedSha256(asset) {
  return /^sha256:([0-9a-f]{64})$/.exec(asset.digest ?? "")?.[1];
}
function unverifiedPredicate(bundleBytes) {
  if (!bundleBytes) return void 0;
  try {
    const bundle = JSON.parse(bundleBytes.toString("utf8"));
    const payload = bundle.dsseEnvelope?.payload;
    if (typeof payload !== "string") return void 0;
    return JSON.parse(Buffer.from(payload, "base64").toString("utf8")).predicate;
  } catch {
    return void 0;
  }
}
function parsedRecord(bytes) {
  const sha256 = hashBytes(bytes);
  try {
    return { sha256, record: JSON.parse(bytes.toString("utf8")) };
  } catch (error) {
    return { sha256, parseError: `${CHANGE_RECORD_FILE} is not JSON: ${errorMessage(error)}` };
  }
}
function expectedSha256Sums(manifest) {
  return manifest.subjects.map((s) => `${s.digest.sha256}  ${s.name}
`).join("");
}
class ReleaseReader {
  unreadable = /* @__PURE__ */ new Map();
  source;
  release;
  constructor(source, release) {
    this.source = source;
    this.release = release;
  }
  asset(name) {
    return this.release.assets.find((a) => a.name === name);
  }
  /** The bytes of `name`, undefined when the release has no such asset; why, when unreadable. */
  async bytes(name, maxBytes) {
    const asset = this.asset(name);
    if (!asset) return void 0;
    const { client, owner, repo } = this.source;
    try {
      return await downloadAssetBytes(client, { owner, repo, asset }, maxBytes);
    } catch (error) {
      this.unreadable.set(name, `${name} cannot be read: ${errorMessage(error)}`);
      return void 0;
    }
  }
  /** sha256 of every asset by name: GitHub's digest, or (older servers) hashed as streamed. */
  async digests(known) {
    const files = /* @__PURE__ */ new Map();
    const { client, owner, repo } = this.source;
    for (const asset of this.release.assets) {
      const bytes = known.get(asset.name);
      const listed = listedSha256(asset);
      if (bytes) files.set(asset.name, hashBytes(bytes));
      else if (listed) files.set(asset.name, listed);
      else {
        const { sha256 } = await downloadAndHashAsset(client, { owner, repo, assetId: asset.id });
        files.set(asset.name, sha256);
      }
    }
    return files;
  }
  /** change-record.json: the signed predicate's RFC 8785 bytes when GitHub's digest says so. */
  async changeRecord(bundle, files) {
    const stored = files.get(CHANGE_RECORD_FILE);
    if (stored === void 0) return void 0;
    const predicate = unverifiedPredicate(bundle);
    if (predicate !== void 0) {
      const candidate = canonicalJson(predicate);
      if (hashBytes(candidate) === stored) return { sha256: stored, record: predicate };
    }
    const bytes = await this.bytes(CHANGE_RECORD_FILE, MAX_RECORD_BYTES);
    const unread = this.unreadable.get(CHANGE_RECORD_FILE);
    return bytes ? parsedRecord(bytes) : { sha256: stored, parseError: unread ?? "not read" };
  }
  /** SHA256SUMS: the manifest's own listing when GitHub's digest says so. */
  async sha256Sums(manifest, files) {
    const stored = files.get(SHA256SUMS_FILE);
    if (stored === void 0) return void 0;
    const candidate = expectedSha256Sums(manifest);
    if (hashBytes(candidate) === stored) return candidate;
    return (await this.bytes(SHA256SUMS_FILE, MAX_MANIFEST_BYTES))?.toString("utf8");
  }
}
async function releaseEvidenceFromGitHub(source, release, options) {
  const base = {
    tag: release.tag,
    date: release.publishedAt ?? release.createdAt,
    prerelease: release.prerelease
  };
  const reader = new ReleaseReader(source, release);
  if (!reader.asset(MANIFEST_FILE)) return base;
  const [manifestBytes, provenanceBytes, recordBundle] = await Promise.all([
    reader.bytes(MANIFEST_FILE, MAX_MANIFEST_BYTES),
    reader.bytes(PROVENANCE_BUNDLE_FILE, 2 * MAX_MANIFEST_BYTES),
    reader.bytes(CHANGE_RECORD_BUNDLE_FILE, MAX_RECORD_BYTES)
  ]);
  if (!manifestBytes) {
    return { ...base, manifestProblem: reader.unreadable.get(MANIFEST_FILE) ?? "not read" };
  }
  let manifest;
  try {
    manifest = parseManifest(manifestBytes);
  } catch (error) {
    return { ...base, manifestProblem: `${MANIFEST_FILE}: ${errorMessage(error)}` };
  }
  const known = /* @__PURE__ */ new Map([[MANIFEST_FILE, manifestBytes]]);
  if (provenanceBytes) known.set(PROVENANCE_BUNDLE_FILE, provenanceBytes);
  if (recordBundle) known.set(CHANGE_RECORD_BUNDLE_FILE, recordBundle);
  const files = await reader.digests(known);
  const changeRecord = await reader.changeRecord(recordBundle, files);
  const sha256sums = await reader.sha256Sums(manifest, files);
  const unreadProvenance = reader.unreadable.get(PROVENANCE_BUNDLE_FILE);
  const context = {
    repo: options.repo,
    requestedTag: release.tag,
    trustedRoot: options.trustedRoot,
    expectation: identityExpectation({
      repo: options.repo,
      trustedRoot: options.trustedRoot,
      signerWorkflow: options.signerWorkflow,
      serverUrl: options.serverUrl
    }),
    manifest,
    manifestSha256: hashBytes(manifestBytes),
    files,
    otherEntries: [],
    provenance: unreadProvenance ? { problems: [unreadProvenance] } : verifySigned(provenanceBytes, PROVENANCE_BUNDLE_FILE, options.trustedRoot),
    unreadable: reader.unreadable,
    changeRecord,
    changeRecordBundle: recordBundle,
    sha256sums
  };
  return { ...base, context, changeRecordSha256: files.get(CHANGE_RECORD_FILE) };
}
async function withdrawalFilesFromGitHub(source, release, names) {
  const reader = new ReleaseReader(source, release);
  const [recordBytes, bundleBytes] = await Promise.all([
    reader.bytes(names.record, MAX_RECORD_BYTES),
    reader.bytes(names.bundle, MAX_RECORD_BYTES)
  ]);
  const problems = [...reader.unreadable.values()];
  if (!reader.asset(names.record)) problems.push(`${names.record} is missing`);
  if (!reader.asset(names.bundle)) problems.push(`${names.bundle} is missing`);
  return {
    recordBytes,
    bundleBytes,
    ...problems.length > 0 ? { problem: problems.join("; ") } : {}
  };
}

const REPO_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
function sinceIndex(tags, since) {
  if (since === void 0) return 0;
  const index = tags.indexOf(since);
  if (index < 0) {
    throw new InputError(
      "--since",
      `no release is tagged '${since}'; give one of the audited tags.`
    );
  }
  return index;
}
function predecessorStub(release) {
  const sha = (name) => /^sha256:([0-9a-f]{64})$/.exec(release.assets.find((a) => a.name === name)?.digest ?? "")?.[1];
  const manifestSha256 = sha("release-manifest.json");
  const changeRecordSha256 = sha("change-record.json");
  return {
    tag: release.tag,
    prerelease: release.prerelease,
    status: manifestSha256 ? "verified" : "unsigned",
    signed: manifestSha256 !== void 0,
    checks: [],
    ...manifestSha256 ? { manifestSha256 } : {},
    ...changeRecordSha256 ? { changeRecordSha256 } : {}
  };
}
function checkOne(w, releases, options) {
  const base = { releaseTag: w.releaseTag, withdrawnTag: w.withdrawnTag };
  const target = releases.find((r) => r.tag === w.withdrawnTag);
  const invalid = (problem) => ({
    ...base,
    outcome: { status: "invalid", problem }
  });
  if (!target?.manifestSha256) {
    return invalid(`it names ${w.withdrawnTag}, which is no signed release of ${options.repo}`);
  }
  if (w.problem !== void 0 || !w.recordBytes || !w.bundleBytes) {
    return invalid(w.problem ?? "its files are missing");
  }
  const checked = checkWithdrawal({
    recordBytes: w.recordBytes,
    bundleBytes: w.bundleBytes,
    repository: options.repo,
    tag: w.withdrawnTag,
    manifestDigest: target.manifestSha256,
    trustedRoot: options.trustedRoot,
    serverUrl: options.serverUrl
  });
  const outcome = checked.status === "verified" ? { status: "verified", record: checked.record } : { status: "invalid", problem: checked.problem };
  return { ...base, outcome };
}
function conclude(all, from, withdrawals, tagCommits, options, source) {
  const checked = withdrawals.map((w) => checkOne(w, all, options));
  const withdrawn = applyWithdrawals(all, checked);
  const reported = new Set(withdrawn.releases.slice(from).map((r) => r.tag));
  const shown = withdrawn.releases.slice(from);
  const findings = [
    ...verificationFindings(shown),
    ...unsignedFindings(withdrawn.releases),
    ...chainFindings(withdrawn.releases),
    ...tagCommits ? tagFindings(shown, tagCommits) : [],
    ...withdrawn.findings
  ].filter((f) => reported.has(f.release) || f.kind.startsWith("withdrawal"));
  const count = (status) => shown.filter((r) => r.status === status).length;
  return {
    repository: options.repo,
    auditedAt: (options.now?.() ?? /* @__PURE__ */ new Date()).toISOString(),
    source,
    trustedRoot: options.trustedRootSource,
    releases: shown,
    findings,
    notes: tagCommits ? [] : [
      "Tags were not checked: a folder holds no tag refs (audit through the API to check them)."
    ],
    summary: {
      releases: shown.length,
      verified: count("verified"),
      withdrawn: count("withdrawn"),
      unsigned: count("unsigned"),
      notVerified: count("not-verified"),
      findings: findings.length
    }
  };
}
function folderOrder(releases) {
  const byTag = [...releases].sort((a, b) => compareTags(a.tag, b.tag));
  const dated = byTag.filter((r) => r.date !== void 0).sort((a, b) => a.date.localeCompare(b.date) || compareTags(a.tag, b.tag));
  let next = 0;
  return byTag.map((r) => r.date === void 0 ? r : dated[next++]);
}
function checkRepo(repo) {
  if (!REPO_PATTERN.test(repo))
    throw new InputError("--repo", `expected OWNER/REPO, got '${repo}'.`);
}
async function downloadedEvidence(source, release, options) {
  const dir = await mkdtemp(join(tmpdir(), "immutable-release-audit-"));
  try {
    const { client, owner, repo } = source;
    await downloadReleaseAssets(client, { owner, repo, tag: release.tag }, dir);
    const evidence = await releaseEvidenceFromFolder(dir, release.tag, options);
    return {
      ...evidence,
      date: release.publishedAt ?? release.createdAt,
      prerelease: release.prerelease
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
async function auditGitHub(client, options) {
  checkRepo(options.repo);
  const [owner, repo] = options.repo.split("/");
  const source = { client, owner, repo };
  const [listed, tagCommits] = await Promise.all([
    listReleasesWithAssets(client, { owner, repo }),
    listTagCommits(client, { owner, repo })
  ]);
  const published = listed.filter((r) => !r.draft).reverse();
  const releases = published.filter((r) => withdrawnTagOf(r.tag) === void 0);
  const withdrawalReleases = published.filter((r) => withdrawnTagOf(r.tag) !== void 0);
  const from = sinceIndex(
    releases.map((r) => r.tag),
    options.since
  );
  let done = 0;
  const total = releases.length - from + withdrawalReleases.length;
  const progress = () => options.onProgress?.(++done, total);
  const examined = await mapLimit(releases.slice(from), options.concurrency ?? 8, async (r) => {
    const evidence = options.download ? await downloadedEvidence(source, r, options) : await releaseEvidenceFromGitHub(source, r, options);
    const audited = await examineRelease(evidence);
    progress();
    return audited;
  });
  const withdrawals = await mapLimit(withdrawalReleases, options.concurrency ?? 8, async (r) => {
    const files = await withdrawalFilesFromGitHub(source, r, {
      record: WITHDRAWAL_FILE,
      bundle: WITHDRAWAL_BUNDLE_FILE
    });
    progress();
    return { releaseTag: r.tag, withdrawnTag: withdrawnTagOf(r.tag), ...files };
  });
  const all = [...releases.slice(0, from).map(predecessorStub), ...examined];
  return conclude(all, from, withdrawals, tagCommits, options, "github");
}
async function auditFolder(dir, options) {
  checkRepo(options.repo);
  let listing;
  try {
    listing = await listAuditFolder(dir);
  } catch {
    throw new InputError("dir", `'${dir}' is not a folder of release folders.`);
  }
  let done = 0;
  const total = listing.releases.length + listing.withdrawals.length;
  const read = await mapLimit(listing.releases, options.concurrency ?? 4, async (tag) => {
    const audited = await examineRelease(
      await releaseEvidenceFromFolder(join(dir, tag), tag, options)
    );
    options.onProgress?.(++done, total);
    return audited;
  });
  const ordered = folderOrder(read);
  const from = sinceIndex(
    ordered.map((r) => r.tag),
    options.since
  );
  const withdrawals = await mapLimit(listing.withdrawals, 4, async (tag) => {
    const evidence = await withdrawalEvidenceFromFolder(join(dir, "withdrawn", tag), tag);
    options.onProgress?.(++done, total);
    return evidence;
  });
  return conclude(ordered, from, withdrawals, void 0, options, "folder");
}

function releaseJson(r) {
  const record = r.record;
  return {
    tag: r.tag,
    date: r.date ?? null,
    prerelease: r.prerelease,
    status: r.status,
    manifestDigest: r.manifestSha256 ? `sha256:${r.manifestSha256}` : null,
    changeRecordDigest: r.changeRecordSha256 ? `sha256:${r.changeRecordSha256}` : null,
    commit: r.commit ?? null,
    signerWorkflow: r.signerWorkflow ?? null,
    changeId: record?.change?.id ?? null,
    personalDataImpact: record?.personalData.impact ?? null,
    previous: record ? record.chain.previous?.tag ?? null : null,
    checks: r.checks.map((c) => ({ id: c.id, ok: c.ok, details: c.details })),
    withdrawal: r.withdrawal ? {
      withdrawnAt: r.withdrawal.withdrawnAt,
      reason: r.withdrawal.reason,
      summary: r.withdrawal.summary,
      replacement: r.withdrawal.replacement?.tag ?? null,
      notificationDeadline: r.withdrawal.breach?.notificationDeadline ?? null
    } : null
  };
}
function renderAuditJson(report) {
  const json = JSON.stringify(
    {
      repository: report.repository,
      auditedAt: report.auditedAt,
      source: report.source,
      trustedRoot: report.trustedRoot,
      summary: report.summary,
      findings: report.findings,
      notes: report.notes,
      releases: report.releases.map(releaseJson)
    },
    null,
    2
  ).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${json}
`;
}
function summaryLine(report) {
  const s = report.summary;
  const notVerified = s.notVerified > 0 ? `, ${s.notVerified} not verified` : "";
  return `${s.releases} releases: ${s.verified} verified, ${s.withdrawn} withdrawn, ${s.unsigned} unsigned${notVerified}, ${s.findings} findings`;
}
function releaseLine(r) {
  const cells = [
    r.tag,
    r.date ?? "-",
    r.status,
    r.manifestSha256 ? `sha256:${r.manifestSha256.slice(0, 12)}` : "-",
    r.record?.change?.id ?? "-",
    r.record ? `personal data: ${r.record.personalData.impact}` : "-"
  ];
  return cells.join("  ");
}
function renderAuditText(report) {
  const out = [
    `Audit of ${report.repository} (${report.source === "github" ? "GitHub API" : "folder"}), ${report.auditedAt}`,
    `Trusted root: ${report.trustedRoot.source} (sha256:${report.trustedRoot.sha256.slice(0, 12)})`,
    ""
  ];
  for (const r of report.releases) out.push(releaseLine(r));
  out.push("");
  if (report.findings.length === 0) out.push("No findings.");
  else {
    out.push("Findings:");
    for (const f of report.findings) out.push(`  [${f.kind}] ${f.message}`);
  }
  for (const note of report.notes) out.push(`Note: ${note}`);
  out.push("", summaryLine(report));
  return `${out.map(logLine).join("\n")}
`;
}

const quietReporter = { ...stderrReporter, info: () => {
}, notice: () => {
} };
function describeTrustedRoot(path, root) {
  const sha256 = hashBytes(canonicalJson(root));
  return { source: path ?? "Sigstore public-good instance (TUF)", sha256 };
}
function progressReporter() {
  if (!process.stderr.isTTY) return void 0;
  return (done, total) => {
    err(`\rchecked ${done}/${total} releases`);
    if (done === total) err("\n");
  };
}
function registerFormat(path) {
  if (/\.csv$/i.test(path)) return "csv";
  if (/\.json$/i.test(path)) return "json";
  throw new InputError("--register", `'${path}' must end in .csv or .json (the format to write).`);
}
async function writeEvidence(report, files) {
  const evidence = await import('./index-BcDVRxyW.js');
  if (files.html) await writeFile(resolve(files.html), evidence.renderAuditHtml(report));
  if (files.register) {
    const format = registerFormat(files.register);
    const rows = evidence.buildRegister(report.releases);
    const text = format === "csv" ? evidence.renderRegisterCsv(rows) : evidence.renderRegisterJson(rows);
    await writeFile(resolve(files.register), text);
  }
}
async function runAuditCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      repo: { type: "string" },
      "signer-workflow": { type: "string" },
      "trusted-root": { type: "string" },
      "server-url": { type: "string" },
      json: { type: "boolean", default: false },
      html: { type: "string" },
      register: { type: "string" },
      since: { type: "string" },
      download: { type: "boolean", default: false }
    }
  });
  if (!values.repo) {
    throw new InputError("--repo", "is required: the OWNER/REPO whose releases are audited.");
  }
  if (positionals.length > 1) {
    throw new InputError("dir", "give at most one folder (one sub-folder per release tag).");
  }
  if (values.register) registerFormat(values.register);
  const trustedRoot = await loadTrustedRoot(values["trusted-root"]);
  const options = {
    repo: values.repo,
    trustedRoot,
    trustedRootSource: describeTrustedRoot(values["trusted-root"], trustedRoot),
    signerWorkflow: values["signer-workflow"],
    serverUrl: values["server-url"] || process.env["GITHUB_SERVER_URL"] || void 0,
    since: values.since,
    download: values.download,
    onProgress: values.json ? void 0 : progressReporter()
  };
  const report = positionals[0] ? await auditFolder(resolve(positionals[0]), options) : await auditThroughApi(options);
  await writeEvidence(report, { html: values.html, register: values.register });
  out(values.json ? renderAuditJson(report) : renderAuditText(report));
  return report.findings.length === 0 ? 0 : 1;
}
async function auditThroughApi(options) {
  const token = process.env["GITHUB_TOKEN"] || process.env["GH_TOKEN"] || void 0;
  const client = createGitHubClient({
    token: token ?? "",
    apiUrl: process.env["GITHUB_API_URL"] || "https://api.github.com",
    reporter: quietReporter
  });
  try {
    return await auditGitHub(client, options);
  } catch (error) {
    if (!token && isAccessDenied(error)) {
      throw new InputError(
        "--repo",
        `GitHub answered ${error.status} without a token: for a private repository set GITHUB_TOKEN or GH_TOKEN (for example GH_TOKEN=$(gh auth token)).`
      );
    }
    throw error;
  }
}

var auditCommand = /*#__PURE__*/Object.freeze({
  __proto__: null,
  runAuditCommand: runAuditCommand
});

export { auditFolder as a, auditGitHub as b, renderAuditText as c, auditCommand as d, renderAuditJson as r, summaryLine as s };
