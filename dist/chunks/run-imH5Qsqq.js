import { setFailed, setOutput } from './core-NnQO8tC0.js';
import { f as formatViolations, d as distExports, c as checkChangeRecordPolicy, a as applyChangeRecordPolicy, b as describePolicyFindings } from './policy-DjAvqSWB.js';
import { realpath, writeFile } from 'node:fs/promises';
import { I as InputError, S as ServiceError, e as errorMessage } from './log-text-O5UIUIY4.js';
import { randomBytes } from 'node:crypto';
import 'node:fs';
import 'node:stream/promises';
import { r as runUrl, a as refuseNamesGitHubRenames, b as refuseMissingSubjects, k as knownPeople, c as assertNoPersonalData, s as scanForPersonalData, d as describeFindings, e as resolveSigstoreEndpoints, f as resolveCommit, g as refuseOtherTagThanPushed, h as checkTagAvailable, p as pushedTagOf, i as readRepositoryFacts, j as readRepositoryFacts$1, v as validateTagName, l as storeAttestation, m as releaseAssetFiles, n as renderChangeRecordMarkdown, o as publishRelease, w as writeJobSummary, q as signStatement, t as writeBundle, u as readRunContext, x as runnerClients, y as createReleaseStore } from './summary-BMV9bDKj.js';
import { r as readInputs } from '../index.js';
import { actionsReporter } from './reporter-4sKHlrVL.js';
import { resolve, relative, join } from 'node:path';
import { M as MANIFEST_FILE, I as IN_TOTO_STATEMENT_V1, i as isSha256Hex, r as readRegularFile, c as canonicalJson, h as hashBytes, G as GIT_OBJECT_ID, C as CHANGE_RECORD_FILE, w as withdrawnTagOf, W as WITHDRAWAL_FILE, P as PROVENANCE_BUNDLE_FILE, S as SHA256SUMS_FILE, a as CHANGE_RECORD_BUNDLE_FILE } from './read-user-file-BZ-0qY-O.js';
import './open-flags-BT7QmZNK.js';
import { P as PER_PAGE, t as toGitHubError, G as GITHUB_WORKFLOW_BUILD_TYPE, S as SLSA_PROVENANCE_V1, i as iteratePages, d as downloadAndHashAsset, s as serviceErrorFor, a as apiBaseUrl } from './change-record.v1-PQwpiILr.js';
import { w as writeManifestFiles, b as buildManifest, r as resolveSourceDateEpoch, p as parseSubjectPatterns } from './index-CczDmA2I.js';
import { i as isInside } from './path-BDJXcjM6.js';
import { v as validateChangeRecordInput, C as CHANGE_RECORD_SCHEMA_FILE, a as CHANGE_RECORD_ANNOTATION_KEY, b as CHANGE_RECORD_PREDICATE_TYPE } from './schema-CBC16QML.js';
import { p as pseudonymizerForAction } from './pseudonymizer-BoyR4zr4.js';
import 'node:net';
import { r as refuseWithoutIdToken } from './input-reading-DJlZDR2N.js';
import 'node:os';
import 'node:worker_threads';
import './media-type-Dr6LIKcO.js';
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
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'child_process';
import 'timers';
import 'process';
import 'buffer';
import './concurrency-icQKjNbB.js';
import './workflow-io-DZIqKM4x.js';
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
import 'module';

async function compareCommits(client, params) {
  const { owner, repo, base, head, page } = params;
  const basehead = `${base}...${head}`;
  try {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead,
      per_page: PER_PAGE,
      page
    });
    return {
      totalCommits: data.total_commits,
      baseSha: data.base_commit.sha,
      status: data.status,
      commits: data.commits.map((c) => ({
        sha: c.sha,
        message: c.commit.message,
        ...c.commit.author ? { author: c.commit.author } : {}
      }))
    };
  } catch (error) {
    throw toGitHubError(error, `GET /repos/${owner}/${repo}/compare/${basehead}`);
  }
}

function assembleReleaseBody(notes, changeRecordMarkdown) {
  return [notes.trim(), changeRecordMarkdown].filter(Boolean).join("\n\n");
}

function digestHex(value, what) {
  const hex = value.toLowerCase().replace(/^sha256:/, "");
  if (!isSha256Hex(hex))
    throw new Error(`${what} is not a SHA-256 digest: ${JSON.stringify(value)}`);
  return hex;
}
function parseWorkflowRef(workflowRef) {
  const match = /^([^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+\.ya?ml)@(.+)$/.exec(workflowRef);
  if (!match) {
    throw new Error(
      `GITHUB_WORKFLOW_REF ${JSON.stringify(workflowRef)} is not of the form owner/repo/.github/workflows/<file>.yml@<ref>`
    );
  }
  return { repository: match[1], path: match[2], ref: match[3] };
}
function buildProvenanceStatement(input) {
  const { manifest, context, tag } = input;
  if (tag.trim() === "") throw new Error("the release tag is empty");
  const names = /* @__PURE__ */ new Set();
  const subject = [];
  const add = (name, sha256) => {
    if (names.has(name)) throw new Error(`two statement subjects are named ${JSON.stringify(name)}`);
    names.add(name);
    subject.push({
      name,
      digest: { sha256 },
      ...input.annotations ? { annotations: structuredClone(input.annotations) } : {}
    });
  };
  for (const s of manifest.subjects) add(s.name, digestHex(s.digest.sha256, `subject ${s.name}`));
  add(MANIFEST_FILE, digestHex(manifest.digest, "the manifest digest"));
  const workflow = parseWorkflowRef(context.workflowRef);
  const server = context.serverUrl.replace(/\/+$/, "");
  const github = {
    event_name: context.eventName
  };
  if (context.repositoryId) github.repository_id = context.repositoryId;
  if (context.repositoryOwnerId) github.repository_owner_id = context.repositoryOwnerId;
  if (input.workflow?.runnerEnvironment)
    github.runner_environment = input.workflow.runnerEnvironment;
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: {
          workflow: {
            ref: workflow.ref,
            repository: `${server}/${workflow.repository}`,
            path: workflow.path
          }
        },
        internalParameters: {
          github,
          release: { tag, ...input.pushedTag ? { pushedTag: { ...input.pushedTag } } : {} }
        },
        resolvedDependencies: [
          {
            uri: `git+${server}/${context.repository}@${context.ref}`,
            digest: { gitCommit: context.sha }
          }
        ]
      },
      runDetails: {
        builder: { id: `${server}/${input.workflow?.jobWorkflowRef ?? context.workflowRef}` },
        metadata: { invocationId: runUrl({ ...context, serverUrl: server }) }
      }
    }
  };
}

function workflowIdentityFromToken(token) {
  const payload = token.split(".")[1];
  let claims;
  try {
    claims = payload ? JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) : void 0;
  } catch {
    claims = void 0;
  }
  if (!claims || typeof claims !== "object") throw new Error("The OIDC identity token is not a JWT");
  const { job_workflow_ref: jobWorkflowRef, runner_environment: runnerEnvironment } = claims;
  return {
    ...typeof jobWorkflowRef === "string" ? { jobWorkflowRef } : {},
    ...typeof runnerEnvironment === "string" ? { runnerEnvironment } : {}
  };
}

const INPUT = "change-record";
const MAX_CHANGE_RECORD_BYTES = 256 * 1024;
const MAX_ALIAS_COUNT = 50;
const MAX_DEPTH = 32;
async function loadChangeRecordInput(path, workspace) {
  if (path === void 0 || path.trim() === "") return void 0;
  const text = await readConfined(path.trim(), workspace);
  const doc = parseChangeRecordText(text, path);
  const violations = validateChangeRecordInput(doc);
  if (violations.length > 0) {
    throw new InputError(
      INPUT,
      `${path} is not a valid change record (${CHANGE_RECORD_SCHEMA_FILE}): ${formatViolations(violations)}`
    );
  }
  const { $schema: _schema, ...input } = doc;
  return input;
}
async function readConfined(path, workspace) {
  const root = await realpath(workspace);
  let target;
  try {
    target = await realpath(resolve(root, path));
  } catch (error) {
    const code = error.code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new InputError(INPUT, `${path} does not exist in the workspace`);
    }
    throw error;
  }
  const inside = relative(root, target);
  if (inside === "" || inside.startsWith("..") || !isInside(root, target)) {
    throw new InputError(
      INPUT,
      `${path} is outside the workspace; give a path inside the repository checkout`
    );
  }
  const bytes = await readRegularFile(target, { input: INPUT, maxBytes: MAX_CHANGE_RECORD_BYTES });
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(INPUT, `${path} is not UTF-8 text`);
  }
}
function parseChangeRecordText(text, name = "the change record") {
  if (Buffer.byteLength(text, "utf8") > MAX_CHANGE_RECORD_BYTES) {
    throw new InputError(INPUT, `${name} is larger than ${MAX_CHANGE_RECORD_BYTES} bytes`);
  }
  let docs;
  const lineCounter = new distExports.LineCounter();
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    docs = distExports.parseAllDocuments(text, {
      lineCounter,
      version: "1.2",
      schema: "core",
      resolveKnownTags: false,
      merge: false,
      stringKeys: true,
      uniqueKeys: true,
      strict: true,
      // Pretty errors quote the text around every error, which is quadratic in a garbage
      // file with 100,000 errors (minutes for 200 KB of '"'); only the shown ones get a position.
      prettyErrors: false,
      logLevel: "silent"
    });
  } catch (error) {
    throw new InputError(INPUT, `${name} could not be parsed: ${error.message}`);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (!Array.isArray(docs)) docs = [];
  const [doc, ...extra] = docs;
  if (!doc || extra.length > 0) {
    throw new InputError(
      INPUT,
      `${name} must hold exactly one YAML document; it holds ${docs.length}`
    );
  }
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    const at = (offset) => {
      const { line, col } = lineCounter.linePos(offset);
      return ` at line ${line}, column ${col}`;
    };
    const shown = problems.slice(0, 5).map((e) => e.message.split("\n")[0] + at(e.pos[0])).join("; ") + (problems.length > 5 ? "; ..." : "");
    throw new InputError(INPUT, `${name} is not valid YAML or JSON: ${shown}`);
  }
  let tag = "";
  distExports.visit(doc, (_key, node) => {
    const nodeTag = node?.tag;
    if (!tag && nodeTag?.startsWith("tag:yaml.org,2002:") === false) tag = nodeTag;
  });
  if (tag) throw new InputError(INPUT, `${name} uses an unsupported YAML tag: ${tag}`);
  let value;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new InputError(
        INPUT,
        `${name} expands YAML aliases too much (more than ${MAX_ALIAS_COUNT}); write the values out`
      );
    }
    throw new InputError(INPUT, `${name} could not be read: ${error.message}`);
  }
  assertPlainJson(value, "", 0, name);
  return value;
}
function assertPlainJson(value, path, depth, name) {
  const fail = (what) => {
    throw new InputError(INPUT, `${name}: ${path || "/"} ${what}`);
  };
  if (depth > MAX_DEPTH) fail(`is nested more than ${MAX_DEPTH} levels deep`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail("is not a finite number (.nan and .inf are not JSON)");
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}/${i}`, depth + 1, name));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "__proto__") fail("has a __proto__ key");
      assertPlainJson(item, `${path}/${key}`, depth + 1, name);
    }
    return;
  }
  fail(`holds a value JSON cannot represent (${typeof value})`);
}

const NONCE = /^[0-9a-f]{32}$/;
function buildChangeRecord(params, reporter) {
  const { input, run, pseudonymizer } = params;
  if (!params.tag) throw new TypeError("tag is required");
  const nonce = params.nonce ?? randomBytes(16).toString("hex");
  if (!NONCE.test(nonce)) throw new TypeError("nonce must be 32 lower-case hex digits");
  if (!input) {
    reporter.warning(
      "No change-record file was given: the change record holds only what the workflow run knows and marks the personal-data impact as 'unassessed'. Set the change-record input to document the change (see docs/gdpr.md)."
    );
  }
  if (!pseudonymizer) {
    reporter.info("No pseudonymization-key is set: approvers are left out of the change record.");
  }
  const record = {
    recordVersion: 2,
    release: {
      repository: run.repository,
      commit: commitSha(params.commit ?? run.sha, "release commit"),
      tag: params.tag,
      ...params.pushedTag ? { pushedTag: { ...params.pushedTag } } : {},
      manifest: { name: MANIFEST_FILE, digest: digestSet(params.manifestDigest) }
    },
    chain: { previous: params.previous ? chainLink(params.previous) : null },
    run: {
      url: runUrl(run),
      workflowRef: run.workflowRef,
      eventName: run.eventName
    },
    createdAt: (params.now ?? /* @__PURE__ */ new Date()).toISOString(),
    nonce,
    identifiers: pseudonymizer ? { scheme: "hmac-sha256-128", keyId: pseudonymizer.keyId, domain: pseudonymizer.domain } : "omitted-no-key",
    signing: assessIdentityExposure(params.signing, run.repository, reporter),
    personalData: input ? structuredClone(input.personalData) : { impact: "unassessed" }
  };
  const withdrawals = params.previous?.withdrawals ?? [];
  if (withdrawals.length > 0) {
    record.chain.withdrawals = withdrawals.map((w) => ({
      tag: w.tag,
      withdrawalDigest: digestSet(w.withdrawalDigest)
    }));
  }
  if (params.commits) {
    const { from, to, count } = params.commits;
    if (!Number.isInteger(count) || count < 0) throw new TypeError("commit count must be >= 0");
    record.chain.commits = {
      ...from ? { from: commitSha(from, "range start") } : {},
      to: commitSha(to, "range end"),
      count
    };
  }
  if (input) {
    const change = structuredClone(input.change);
    if (change.approvals) {
      change.approvals = change.approvals.map(
        ({ approver, ...approval }) => approver && pseudonymizer ? { ...approval, approver: pseudonymizer.approver(approver) } : approval
      );
    }
    record.change = change;
  }
  if (params.policy) record.policy = structuredClone(params.policy);
  return record;
}
function assessIdentityExposure(signing, repository, reporter) {
  const owner = repository.split("/")[0] ?? repository;
  const ownerIsPersonalAccount = signing.ownerType === "User" ? true : signing.ownerType === "Organization" ? false : null;
  if (signing.transparencyLog && ownerIsPersonalAccount) {
    reporter.warning(
      `Signing with a public transparency log: the signing certificate names the repository ${repository}, and the log will permanently and publicly link the personal account '${owner}' to this release. It cannot be erased. Use an organisation-owned repository, or a private Sigstore instance, if that is not intended.`
    );
  } else if (signing.transparencyLog && ownerIsPersonalAccount === null) {
    reporter.warning(
      `Signing with a public transparency log: the certificate names the repository ${repository}; if '${owner}' is a personal account, the log will permanently link that person to this release.`
    );
  }
  return { transparencyLog: signing.transparencyLog, ownerIsPersonalAccount };
}
function serializeChangeRecord(record) {
  const bytes = canonicalJson(record);
  return { bytes, sha256: hashBytes(bytes) };
}
function digestSet(value) {
  const hex = value.replace(/^sha256:/, "").toLowerCase();
  if (!isSha256Hex(hex)) throw new TypeError("a manifest digest must be 64 hex digits (sha256)");
  return { sha256: hex };
}
function chainLink(previous) {
  return {
    tag: previous.tag,
    manifestDigest: digestSet(previous.manifestDigest),
    ...previous.changeRecordDigest ? { changeRecordDigest: digestSet(previous.changeRecordDigest) } : {}
  };
}
function commitSha(value, what) {
  const sha = value.toLowerCase();
  if (!GIT_OBJECT_ID.test(sha)) throw new TypeError(`${what} must be a full commit SHA`);
  return sha;
}

function buildChangeRecordStatement(record, manifestDigest = record.release.manifest.digest.sha256) {
  const sha256 = manifestDigest.replace(/^sha256:/, "").toLowerCase();
  if (sha256 !== record.release.manifest.digest.sha256) {
    throw new Error("the manifest digest differs from the one the change record names");
  }
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: MANIFEST_FILE, digest: { sha256 } }],
    predicateType: CHANGE_RECORD_PREDICATE_TYPE,
    predicate: record
  };
}
function changeRecordAnnotation(sha256) {
  if (!isSha256Hex(sha256)) throw new TypeError("sha256 must be 64 lower-case hex digits");
  return { [CHANGE_RECORD_ANNOTATION_KEY]: { name: CHANGE_RECORD_FILE, digest: { sha256 } } };
}

function guardedSubjectFields(subjects, sources) {
  const input = [
    ...sources.subjectPath.trim() ? ["subject-path"] : [],
    ...sources.subjectChecksums ? ["subject-checksums"] : []
  ].join(", ");
  const fields = [];
  subjects.forEach((subject, i) => {
    fields.push({ path: `manifest/subjects/${i}/name`, value: subject.name, input });
    fields.push({ path: `manifest/subjects/${i}/path`, value: subject.path, input });
    subject.archive?.members.forEach((member, j) => {
      const at = `manifest/subjects/${i}/archive/members/${j}`;
      fields.push({ path: `${at}/path`, value: member.path, input });
      if (member.linkTarget !== void 0) {
        fields.push({ path: `${at}/linkTarget`, value: member.linkTarget, input });
      }
    });
    subject.archive?.flags?.forEach((flag, j) => {
      const at = `manifest/subjects/${i}/archive/flags/${j}`;
      fields.push({ path: `${at}/path`, value: flag.path, input });
      fields.push({ path: `${at}/reason`, value: flag.reason, input });
    });
  });
  return fields;
}

const MAX_RELEASE_PAGES = 10;
const MAX_COMPARE_PAGES = 100;
async function findPreviousRelease(client, params) {
  const { owner, repo, tag } = params;
  const route = "GET /repos/{owner}/{repo}/releases";
  const withdrawals = [];
  try {
    const pages = iteratePages(
      client,
      route,
      { owner, repo },
      route,
      MAX_RELEASE_PAGES
    );
    for await (const releases of pages) {
      for (const release of releases) {
        if (release.draft || !release.published_at || release.tag_name === tag) continue;
        const withdrawal = await withdrawalLink(client, params, release);
        if (withdrawal) {
          withdrawals.push(withdrawal);
          continue;
        }
        const manifest = release.assets.find((a) => a.name === MANIFEST_FILE);
        if (!manifest) continue;
        const record = release.assets.find((a) => a.name === CHANGE_RECORD_FILE);
        const manifestDigest = await assetSha256(client, params, manifest);
        const changeRecordDigest = record ? await assetSha256(client, params, record) : void 0;
        return {
          tag: release.tag_name,
          releaseId: release.id,
          publishedAt: release.published_at,
          manifestDigest,
          ...changeRecordDigest ? { changeRecordDigest } : {},
          ...withdrawals.length > 0 ? { withdrawals } : {}
        };
      }
    }
  } catch (error) {
    throw historyError("reading releases", error, client, `/repos/${owner}/${repo}/releases`);
  }
  return void 0;
}
async function commitRange(client, params) {
  const { owner, repo, base, head } = params;
  const seenCommits = /* @__PURE__ */ new Set();
  const authors = /* @__PURE__ */ new Map();
  let total = 0;
  let from = "";
  let last = "";
  let status = "";
  try {
    for (let page = 1; page <= MAX_COMPARE_PAGES; page++) {
      const compared = await compareCommits(client, { owner, repo, base, head, page });
      total = compared.totalCommits;
      from = compared.baseSha;
      status = compared.status;
      let fresh = 0;
      for (const commit of compared.commits) {
        if (seenCommits.has(commit.sha)) continue;
        seenCommits.add(commit.sha);
        fresh++;
        last = commit.sha;
        addAuthor(authors, commit.author);
        for (const coAuthor of coAuthors(commit.message)) addAuthor(authors, coAuthor);
      }
      if (fresh === 0 || seenCommits.size >= total) break;
    }
  } catch (error) {
    const path = `/repos/${owner}/${repo}/compare/${base}...${head}`;
    throw historyError("comparing commits", error, client, path);
  }
  const to = /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head) ? head : last || from;
  return {
    from,
    to,
    count: total,
    authors: [...authors.values()],
    authorsComplete: seenCommits.size >= total,
    status
  };
}
function addAuthor(authors, person) {
  if (!person) return;
  const name = person.name?.trim() || void 0;
  const email = person.email?.trim() || void 0;
  if (!name && !email) return;
  const key = `${name?.toLowerCase() ?? ""}\0${email?.toLowerCase() ?? ""}`;
  if (!authors.has(key))
    authors.set(key, { ...name ? { name } : {}, ...email ? { email } : {} });
}
function coAuthors(message) {
  const found = [];
  for (const match of message.matchAll(/^co-authored-by:[ \t]*(.*?)[ \t]*<([^>\s]+)>[ \t]*$/gim)) {
    found.push({ ...match[1] ? { name: match[1] } : {}, email: match[2] });
  }
  return found;
}
async function assetSha256(client, { owner, repo }, asset) {
  const reported = /^sha256:([0-9a-f]{64})$/.exec(asset.digest ?? "")?.[1];
  if (reported) return reported;
  const { sha256, size } = await downloadAndHashAsset(client, { owner, repo, assetId: asset.id });
  const url = `/repos/${owner}/${repo}/releases/assets/${asset.id}`;
  if (size !== asset.size) {
    throw new ServiceError("GitHub", url, `${asset.name} downloaded ${size} of ${asset.size} bytes`);
  }
  if (asset.digest && asset.digest !== `sha256:${sha256}`) {
    throw new ServiceError(
      "GitHub",
      url,
      `${asset.name} hashes to sha256:${sha256}, but GitHub lists ${asset.digest}`
    );
  }
  return sha256;
}
async function withdrawalLink(client, params, release) {
  const tag = withdrawnTagOf(release.tag_name);
  const record = release.assets.find((a) => a.name === WITHDRAWAL_FILE);
  if (tag === void 0 || !record) return void 0;
  return { tag, withdrawalDigest: await assetSha256(client, params, record) };
}
function historyError(what, error, client, path) {
  return serviceErrorFor(what, error, `${apiBaseUrl(client)}${path}`);
}

async function readCommitRange(step, base) {
  const { client, owner, repo, commit: head } = step;
  try {
    return await commitRange(client, { owner, repo, base, head });
  } catch (error) {
    step.reporter.warning(
      `Could not compare ${base}...${head} (${errorMessage(error)}): the change record has no commit range, and the personal-data guard does not know the commit authors' names. Check the record and artifact names by hand.`
    );
    return void 0;
  }
}
async function hashSubjects(step) {
  const { inputs, context, commit, reporter } = step;
  const built = await buildManifest({
    workspace: context.workspace,
    patterns: parseSubjectPatterns(inputs.subjectPath),
    checksumsFile: inputs.subjectChecksums || void 0,
    source: { repository: context.repository, commit, tag: inputs.tag },
    outDir: context.tempDir,
    // Read (and warned about) only when a directory is packed: it dates tarball entries.
    sourceDateEpoch: () => resolveSourceDateEpoch({
      env: process.env,
      workspace: context.workspace,
      commit,
      reporter
    }),
    reporter
  });
  refuseMissingSubjects(built.subjects, inputs.dryRun);
  return built;
}
async function recordChange(step, built, policy) {
  const { inputs, context, reporter } = step;
  const previous = await findPreviousRelease(step.client, {
    owner: step.owner,
    repo: step.repo,
    tag: inputs.tag
  });
  const commits = previous ? await readCommitRange(step, previous.tag) : void 0;
  if (commits && !commits.authorsComplete) {
    reporter.warning(
      `Only some of the ${commits.count} commits since ${previous?.tag} could be read, so the personal-data guard knows only their authors' names and e-mails. Check the change record and artifact names by hand.`
    );
  }
  const record = buildChangeRecord(
    {
      input: step.changeRecordInput,
      run: context,
      tag: inputs.tag,
      ...step.pushedTag ? { pushedTag: step.pushedTag } : {},
      commit: step.commit,
      manifestDigest: built.digest,
      previous,
      commits,
      pseudonymizer: step.pseudonymizer,
      ...policy ? { policy } : {},
      signing: {
        transparencyLog: Boolean(step.endpoints.rekorURL),
        ownerType: step.ownerType ?? "unknown"
      }
    },
    reporter
  );
  const people = knownPeople(
    [process.env["GITHUB_ACTOR"], process.env["GITHUB_TRIGGERING_ACTOR"]],
    step.changeRecordInput
  );
  const authors = commits?.authors ?? [];
  assertNoPersonalData(record, guardedSubjectFields(built.manifest.subjects, inputs), {
    authors,
    people
  });
  warnAboutReleaseText(step, { authors, people, publicNames: step.context.repository.split("/") });
  return record;
}
function warnAboutReleaseText(step, options) {
  const findings = scanForPersonalData(
    [
      { path: "name", value: step.inputs.name },
      { path: step.inputs.bodyPath ? "body-path" : "body", value: step.notes }
    ],
    options
  );
  if (findings.length === 0) return;
  step.reporter.warning(
    `The release name or notes hold personal data: ${describeFindings(findings)}. They are not signed and can be edited, but they are public: remove it from the input and edit the published release.`
  );
}
function checkPolicy(step) {
  if (!step.changeRecordInput) return void 0;
  const findings = checkChangeRecordPolicy(step.changeRecordInput, {
    now: /* @__PURE__ */ new Date(),
    actors: [process.env["GITHUB_ACTOR"] ?? "", process.env["GITHUB_TRIGGERING_ACTOR"] ?? ""]
  });
  const policy = applyChangeRecordPolicy(findings, step.inputs.changeRecordPolicy);
  if (policy) {
    step.reporter.warning(
      `The change record breaks ${findings.length} data-protection rule(s); releasing anyway because change-record-policy is warn, and the signed record lists them under policy: ${describePolicyFindings(findings)}`
    );
  }
  return policy;
}
function holdMessages(reporter) {
  const held = [];
  return {
    reporter: {
      info: (message) => held.push(() => reporter.info(message)),
      notice: (message, properties) => held.push(() => reporter.notice(message, properties)),
      warning: (message, properties) => held.push(() => reporter.warning(message, properties))
    },
    release: () => held.splice(0).forEach((show) => show()),
    withhold: () => {
      const count = held.splice(0).length;
      if (count > 0) {
        reporter.info(
          `${count} message(s) from hashing the artifacts are withheld: the release was refused, and they may quote what it was refused for.`
        );
      }
    }
  };
}
async function build(step) {
  const policy = checkPolicy(step);
  const held = holdMessages(step.reporter);
  const built = await hashSubjects({ ...step, reporter: held.reporter });
  let record;
  try {
    record = await recordChange(step, built, policy);
  } catch (error) {
    held.withhold();
    throw error;
  }
  held.release();
  refuseNamesGitHubRenames(built.subjects, step.inputs.dryRun, step.reporter);
  const serialized = serializeChangeRecord(record);
  const outDir = step.context.tempDir;
  const { manifestPath, sha256sumsPath } = await writeManifestFiles(built, outDir);
  const changeRecordPath = join(outDir, CHANGE_RECORD_FILE);
  await writeFile(changeRecordPath, serialized.bytes);
  step.setOutput("manifest-digest", built.digest);
  step.setOutput("manifest-path", manifestPath);
  step.setOutput("change-record-path", changeRecordPath);
  return {
    ...step,
    built,
    record,
    recordBytes: serialized.bytes,
    recordSha256: serialized.sha256,
    manifestPath,
    sha256sumsPath,
    changeRecordPath
  };
}

function checkBeforeStart(inputs) {
  validateTagName(inputs.tag);
  if (inputs.dryRun) return;
  refuseWithoutIdToken();
}
async function repositoryFacts(deps) {
  const facts = readRepositoryFacts();
  if (facts.visibility && facts.ownerType) return facts;
  const read = await readRepositoryFacts$1(deps.client, deps.owner, deps.repo, (error) => {
    deps.reporter.warning(
      `Could not read the repository's visibility (${errorMessage(error)}); assuming it is private, so nothing is written to a public transparency log.`
    );
  });
  if (!read) return facts;
  return {
    visibility: facts.visibility ?? read.visibility,
    ownerType: facts.ownerType ?? read.ownerType
  };
}
const MAX_BODY_FILE_BYTES = 1024 * 1024;
async function releaseNotes(inputs, workspace) {
  if (!inputs.bodyPath) return inputs.body;
  let bytes;
  try {
    const path = await realpath(resolve(workspace, inputs.bodyPath));
    bytes = await readRegularFile(path, { input: "body-path", maxBytes: MAX_BODY_FILE_BYTES });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      "body-path",
      `cannot read ${JSON.stringify(inputs.bodyPath)}: ${errorMessage(error)}`
    );
  }
  return bytes.toString("utf8");
}
async function prepare(deps) {
  const { inputs, context, store } = deps;
  const facts = await repositoryFacts(deps);
  const endpoints = resolveSigstoreEndpoints({
    mode: inputs.sigstore,
    fulcioUrl: inputs.fulcioUrl || void 0,
    rekorUrl: inputs.rekorUrl || void 0,
    tsaUrl: inputs.tsaUrl || void 0,
    visibility: facts.visibility
  });
  const pseudonymizer = pseudonymizerForAction({
    key: inputs.pseudonymizationKey,
    keyId: inputs.pseudonymizationKeyId,
    domain: inputs.pseudonymizationDomain,
    repositoryId: context.repositoryId
  });
  const changeRecordInput = await loadChangeRecordInput(
    inputs.changeRecord || void 0,
    context.workspace
  );
  const notes = await releaseNotes(inputs, context.workspace);
  const commit = inputs.targetCommitish ? await resolveCommit(store, inputs.targetCommitish) : context.sha;
  const run = { id: context.runId, attempt: Number(context.runAttempt) };
  if (inputs.pushedTag) await refuseOtherTagThanPushed(store, inputs.tag, inputs.pushedTag);
  const pushed = inputs.pushedTag === inputs.tag ? { runSha: context.sha } : void 0;
  const observed = await checkTagAvailable(
    store,
    inputs.tag,
    inputs.dryRun ? void 0 : { run, commitSha: commit },
    pushed && { ...pushed, commitSha: commit }
  );
  const pushedTag = pushed && observed.existingTag ? pushedTagOf(observed.existingTag) : void 0;
  if (pushedTag) {
    deps.reporter.info(
      `Releasing the pushed tag ${inputs.tag} as it is (${pushedTag.objectType === "tag" ? "annotated tag object" : "lightweight tag at"} ${pushedTag.objectSha}); it is never moved, deleted or re-created.`
    );
  }
  return {
    ...deps,
    endpoints,
    ownerType: facts.ownerType,
    pseudonymizer,
    changeRecordInput,
    notes,
    commit,
    run,
    observed,
    pushed,
    pushedTag
  };
}

async function storeAttestationAfterRelease(client, repository, bundle, reporter) {
  try {
    await storeAttestation(client, { ...repository, bundle }, reporter);
  } catch (error) {
    reporter.warning(
      `The release is published, but storing its provenance in the attestations API failed: ${errorMessage(error)}. The bundle is the release asset ${PROVENANCE_BUNDLE_FILE}; 'gh attestation verify --bundle' can use it.`
    );
  }
}
async function publish(step) {
  const { inputs, record, recordSha256 } = step;
  const assets = await releaseAssetFiles(step.built.subjects, [
    { name: MANIFEST_FILE, path: step.manifestPath, format: "json" },
    { name: SHA256SUMS_FILE, path: step.sha256sumsPath, format: "text" },
    { name: PROVENANCE_BUNDLE_FILE, path: step.provenanceBundlePath, format: "json" },
    { name: CHANGE_RECORD_FILE, path: step.changeRecordPath, format: "json" },
    { name: CHANGE_RECORD_BUNDLE_FILE, path: step.changeRecordBundlePath, format: "json" }
  ]);
  const body = assembleReleaseBody(step.notes, renderChangeRecordMarkdown(record, { recordSha256 }));
  const published = await publishRelease(
    step.store,
    {
      tag: inputs.tag,
      targetCommitish: step.commit,
      name: inputs.name || inputs.tag,
      body,
      prerelease: inputs.prerelease,
      makeLatest: inputs.makeLatest,
      assets,
      run: step.run,
      observed: step.observed,
      pushed: step.pushed
    },
    step.reporter
  );
  step.setOutput("release-id", String(published.id));
  step.setOutput("release-url", published.url);
  if (inputs.pushToAttestations) {
    const repository = { owner: step.owner, repo: step.repo };
    await storeAttestationAfterRelease(
      step.client,
      repository,
      step.provenanceBundle,
      step.reporter
    );
  }
  return { ...step, published };
}

async function reportDryRun(step) {
  const { inputs, built, record } = step;
  const tag = step.pushedTag ? `the pushed tag ${inputs.tag} can be released as it is` : `tag ${inputs.tag} is free`;
  step.reporter.notice(
    `Dry run: ${built.subjects.length} subjects, manifest ${built.digest}; ${tag}. Nothing was signed or written to GitHub.`
  );
  await writeJobSummary({ inputs, built, record, dryRun: true });
}
async function report(step) {
  const { inputs, built, record, recordSha256, published, provenanceBundle } = step;
  step.reporter.notice(
    `Released ${inputs.tag}: manifest ${built.digest}, change record ${record.change?.id ?? "(none)"} sha256:${recordSha256}`,
    { title: "immutable-release" }
  );
  await writeJobSummary({
    inputs,
    built,
    record,
    recordSha256,
    published,
    provenanceBundle,
    dryRun: false
  });
}

async function sign(step) {
  const { built, record, endpoints, reporter, context } = step;
  const identityToken = await step.identity.getToken();
  const getIdentityToken = async () => identityToken;
  const provenance = buildProvenanceStatement({
    manifest: built,
    context: { ...context, sha: step.commit },
    tag: step.inputs.tag,
    ...step.pushedTag ? { pushedTag: step.pushedTag } : {},
    annotations: changeRecordAnnotation(step.recordSha256),
    workflow: workflowIdentityFromToken(identityToken)
  });
  const provenanceBundle = await signStatement(provenance, {
    endpoints,
    getIdentityToken,
    reporter
  });
  const recordBundle = await signStatement(buildChangeRecordStatement(record, built.digest), {
    endpoints,
    getIdentityToken,
    reporter
  });
  const provenanceBundlePath = join(context.tempDir, PROVENANCE_BUNDLE_FILE);
  const changeRecordBundlePath = join(context.tempDir, CHANGE_RECORD_BUNDLE_FILE);
  await writeBundle(provenanceBundle, provenanceBundlePath);
  await writeBundle(recordBundle, changeRecordBundlePath);
  step.setOutput("provenance-bundle-path", provenanceBundlePath);
  step.setOutput("change-record-bundle-path", changeRecordBundlePath);
  return { ...step, provenanceBundle, provenanceBundlePath, changeRecordBundlePath };
}

async function run(inputs) {
  try {
    await release(inputs ?? readInputs());
  } catch (error) {
    setFailed(errorMessage(error));
  }
}
function dependencies(inputs) {
  const context = readRunContext();
  const [owner, repo] = context.repository.split("/");
  checkBeforeStart(inputs);
  const { client, identity } = runnerClients(inputs.githubToken, context.apiUrl);
  const store = createReleaseStore(client, owner, repo);
  const setOutput$1 = (name, value) => setOutput(name, value);
  return { inputs, context, owner, repo, client, store, identity, reporter: actionsReporter, setOutput: setOutput$1 };
}
async function release(inputs) {
  const built = await build(await prepare(dependencies(inputs)));
  if (inputs.dryRun) return reportDryRun(built);
  await report(await publish(await sign(built)));
}

export { run, storeAttestationAfterRelease };
