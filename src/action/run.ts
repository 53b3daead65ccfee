import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import * as core from '@actions/core'
import {
  CHANGE_RECORD_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  Pseudonymizer,
  assertNoPersonalData,
  buildChangeRecord,
  buildChangeRecordStatement,
  changeRecordAnnotation,
  commitRange,
  findPreviousRelease,
  loadChangeRecordInput,
  renderChangeRecordMarkdown,
  serializeChangeRecord,
} from '../change-record/index.ts'
import {
  MANIFEST_FILE,
  SHA256SUMS_FILE,
  buildManifest,
  parseSubjectPatterns,
  resolveSourceDateEpoch,
  writeManifestFiles,
} from '../manifest/index.ts'
import type { BuiltManifest } from '../manifest/index.ts'
import {
  checkTagAvailable,
  publishRelease,
  resolveCommit,
  validateTagName,
} from '../release/index.ts'
import type { ReleaseAssetFile } from '../release/index.ts'
import {
  PROVENANCE_BUNDLE_FILE,
  buildProvenanceStatement,
  resolveSigstoreEndpoints,
  signStatement,
  storeAttestation,
  workflowIdentityFromToken,
  writeBundle,
} from '../sign/index.ts'
import type { SerializedBundle, SigstoreEndpoints } from '../sign/index.ts'
import type { Reporter } from '../util/reporter.ts'
import { sha256Hex } from '../util/canonical-json.ts'
import { InputError, ServiceError, errorMessage } from '../util/errors.ts'
import { createGitHubClient } from '../util/github-client.ts'
import type { GitHubClient } from '../util/github-client.ts'
import { readRepositoryFacts, readRunContext } from './context.ts'
import type { RepositoryFacts } from './context.ts'
import { readInputs } from './inputs.ts'
import type { ActionInputs } from './inputs.ts'
import { actionsReporter as reporter } from './reporter.ts'
import { writeJobSummary } from './summary.ts'

/** Fills what the event payload did not say about the repository from the repos API. */
async function completeRepositoryFacts(
  client: GitHubClient,
  owner: string,
  repo: string,
  facts: RepositoryFacts,
): Promise<Required<RepositoryFacts> | RepositoryFacts> {
  if (facts.visibility && facts.ownerType) return facts
  try {
    const { data } = await client.rest.repos.get({ owner, repo })
    const visibility = (data.visibility ?? (data.private ? 'private' : 'public')) as
      'public' | 'private' | 'internal'
    const ownerType = data.owner.type === 'Organization' ? 'Organization' : 'User'
    return { visibility: facts.visibility ?? visibility, ownerType: facts.ownerType ?? ownerType }
  } catch (error) {
    reporter.warning(
      `Could not read the repository's visibility (${errorMessage(error)}); assuming it is private, so nothing is written to a public transparency log.`,
    )
    return facts
  }
}

/** Refuses before any write when the job cannot get an OIDC token to sign with. */
function requireIdTokenPermission(): void {
  if (
    !process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] ||
    !process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']
  ) {
    throw new InputError(
      'permissions',
      "the job cannot request an OIDC token for keyless signing. Add 'permissions: id-token: write' to the job (and 'contents: write', 'attestations: write').",
    )
  }
}

/** How often, and after how long, a failed OIDC token request is tried again. */
const OIDC_ATTEMPTS = 3
const OIDC_RETRY_DELAY_MS = 1000

/**
 * The job's OIDC token for Sigstore. @actions/core retries only some server errors, so a
 * transient failure (a reset, a 500, a 429) is tried again here; a failure names the token
 * service, and the permission only when the service refused the job.
 */
async function requestIdentityToken(): Promise<string> {
  let lastError: unknown
  for (let attempt = 1; attempt <= OIDC_ATTEMPTS; attempt++) {
    try {
      return await core.getIDToken('sigstore')
    } catch (error) {
      lastError = error
      const code = /Error Code\s*:\s*(\d+)/.exec(errorMessage(error))?.[1]
      if (code === '401' || code === '403' || code === '404') break
      if (attempt < OIDC_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, OIDC_RETRY_DELAY_MS * attempt))
      }
    }
  }
  const requestUrl = URL.parse(process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '')
  // @actions/core spreads its message over several lines; one line reads better in an annotation.
  const detail = errorMessage(lastError).replace(/\s+/g, ' ').trim()
  const refused = /Error Code\s*:\s*(401|403)\b/.test(detail)
  throw new ServiceError(
    'GitHub Actions OIDC token service',
    requestUrl ? `${requestUrl.origin}${requestUrl.pathname}` : 'ACTIONS_ID_TOKEN_REQUEST_URL',
    `could not get an identity token for Sigstore (${detail}).${
      refused ? " The job needs 'permissions: id-token: write'." : ''
    } Nothing was signed or written.`,
  )
}

async function releaseNotes(inputs: ActionInputs, workspace: string): Promise<string> {
  if (!inputs.bodyPath) return inputs.body
  try {
    // Relative to the workspace; an absolute path (e.g. under RUNNER_TEMP) is taken as it is.
    return await readFile(resolve(workspace, inputs.bodyPath), 'utf8')
  } catch (error) {
    throw new InputError('body-path', `cannot read '${inputs.bodyPath}': ${errorMessage(error)}`)
  }
}

/** Subject names and paths come from the files `subject-path` (or the checksums file) chose. */
function subjectStrings(
  built: BuiltManifest,
  inputs: ActionInputs,
): { path: string; value: string; input: string }[] {
  const input = [
    ...(inputs.subjectPath.trim() ? ['subject-path'] : []),
    ...(inputs.subjectChecksums ? ['subject-checksums'] : []),
  ].join(', ')
  const fields: { path: string; value: string; input: string }[] = []
  built.manifest.subjects.forEach((subject, i) => {
    fields.push({ path: `manifest/subjects/${i}/name`, value: subject.name, input })
    fields.push({ path: `manifest/subjects/${i}/path`, value: subject.path, input })
    subject.archive?.members.forEach((member, j) => {
      fields.push({
        path: `manifest/subjects/${i}/archive/members/${j}/path`,
        value: member.path,
        input,
      })
    })
  })
  return fields
}

/**
 * The commits since the previous release, for the record's chain and the personal-data guard.
 * A server that cannot compare the two (a rewritten history, an API without compare) costs
 * the record its commit range, not the release: the warning says what the guard then lacks.
 */
async function readCommitRange(
  client: GitHubClient,
  owner: string,
  repo: string,
  base: string,
  head: string,
): Promise<Awaited<ReturnType<typeof commitRange>> | undefined> {
  try {
    return await commitRange(client, { owner, repo, base, head })
  } catch (error) {
    reporter.warning(
      `Could not compare ${base}...${head} (${errorMessage(error)}): the change record has no commit range, and the personal-data guard does not know the commit authors' names. Check the record and artifact names by hand.`,
    )
    return undefined
  }
}

/**
 * Stores the provenance through the attestations API, after the release is published. The
 * release already carries the bundle as an asset, so a failure here must not turn a complete
 * release into a failed job (which a re-run could not repair): it is a warning.
 */
export async function storeAttestationAfterRelease(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  bundle: SerializedBundle,
  reporter: Reporter,
): Promise<void> {
  try {
    await storeAttestation(client, { ...repository, bundle }, reporter)
  } catch (error) {
    reporter.warning(
      `The release is published, but storing its provenance in the attestations API failed: ${errorMessage(error)}. The bundle is the release asset ${PROVENANCE_BUNDLE_FILE}; 'gh attestation verify --bundle' can use it.`,
    )
  }
}

/** The whole action; `inputs` when the entry has already read and checked them. */
export async function run(inputs?: ActionInputs): Promise<void> {
  try {
    await release(inputs ?? readInputs())
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

async function release(inputs: ActionInputs): Promise<void> {
  const context = readRunContext()
  const [owner, repo] = context.repository.split('/') as [string, string]
  validateTagName(inputs.tag)
  if (!inputs.dryRun) requireIdTokenPermission()

  const writeInterval = process.env['IMMUTABLE_RELEASE_WRITE_INTERVAL_MS']
  const client = createGitHubClient({
    token: inputs.githubToken,
    apiUrl: context.apiUrl,
    reporter,
    // GitHub asks for a second between writes; a server with other limits (or a test) may say less.
    ...(writeInterval && /^\d+$/.test(writeInterval)
      ? { writeIntervalMs: Number(writeInterval) }
      : {}),
  })
  const facts = await completeRepositoryFacts(client, owner, repo, readRepositoryFacts())
  const endpoints: SigstoreEndpoints = resolveSigstoreEndpoints({
    mode: inputs.sigstore,
    fulcioUrl: inputs.fulcioUrl || undefined,
    rekorUrl: inputs.rekorUrl || undefined,
    tsaUrl: inputs.tsaUrl || undefined,
    visibility: facts.visibility,
  })
  const pseudonymizer = inputs.pseudonymizationKey
    ? Pseudonymizer.fromKey(inputs.pseudonymizationKey)
    : undefined
  const changeRecordInput = await loadChangeRecordInput(
    inputs.changeRecord || undefined,
    context.workspace,
  )
  const notes = await releaseNotes(inputs, context.workspace)

  const commit = inputs.targetCommitish
    ? await resolveCommit(client, { owner, repo }, inputs.targetCommitish)
    : context.sha
  // Refuse an existing tag or release before time is spent on hashing and signing (and before
  // a signature reaches a public log). A dry run resumes nothing; a re-run may resume its own.
  const run = { id: context.runId, attempt: Number(context.runAttempt) }
  const observed = await checkTagAvailable(
    client,
    { owner, repo },
    inputs.tag,
    inputs.dryRun ? undefined : { run, commitSha: commit },
  )

  const outDir = context.tempDir
  const built = await buildManifest({
    workspace: context.workspace,
    patterns: parseSubjectPatterns(inputs.subjectPath),
    checksumsFile: inputs.subjectChecksums || undefined,
    source: { repository: context.repository, commit, tag: inputs.tag },
    outDir,
    sourceDateEpoch: await resolveSourceDateEpoch({
      env: process.env,
      workspace: context.workspace,
      commit,
      reporter,
    }),
    reporter,
  })
  const missing = built.subjects.filter((subject) => !subject.localPath)
  if (missing.length > 0 && !inputs.dryRun) {
    throw new InputError(
      'subject-checksums',
      `${missing.length} listed artifact(s) are not in the workspace, so they cannot be released: ${missing
        .slice(0, 10)
        .map((s) => s.path)
        .join(', ')}. Download them into the workspace before this step.`,
    )
  }

  const previous = await findPreviousRelease(client, { owner, repo, tag: inputs.tag })
  const commits = previous
    ? await readCommitRange(client, owner, repo, previous.tag, commit)
    : undefined
  if (commits && !commits.authorsComplete) {
    reporter.warning(
      `Only some of the ${commits.count} commits since ${previous?.tag} could be read, so the personal-data guard knows only their authors' names and e-mails. Check the change record and artifact names by hand.`,
    )
  }
  const record = buildChangeRecord(
    {
      input: changeRecordInput,
      run: context,
      tag: inputs.tag,
      commit,
      manifestDigest: built.digest,
      previous,
      commits,
      triggeredBy: process.env['GITHUB_TRIGGERING_ACTOR'] || process.env['GITHUB_ACTOR'],
      pseudonymizer,
      signing: {
        transparencyLog: Boolean(endpoints.rekorURL),
        ownerType: facts.ownerType ?? 'unknown',
      },
    },
    reporter,
  )
  // Nothing permanent may carry plain personal data: check before anything is signed or uploaded.
  assertNoPersonalData(record, subjectStrings(built, inputs), {
    authors: commits?.authors ?? [],
  })
  const serializedRecord = serializeChangeRecord(record)

  const { manifestPath, sha256sumsPath } = await writeManifestFiles(built, outDir)
  const changeRecordPath = join(outDir, CHANGE_RECORD_FILE)
  await writeFile(changeRecordPath, serializedRecord.bytes)
  core.setOutput('manifest-digest', built.digest)
  core.setOutput('manifest-path', manifestPath)
  core.setOutput('change-record-path', changeRecordPath)

  if (inputs.dryRun) {
    reporter.notice(
      `Dry run: ${built.subjects.length} subjects, manifest ${built.digest}; tag ${inputs.tag} is free. Nothing was signed or written to GitHub.`,
    )
    await writeJobSummary({ inputs, built, record, dryRun: true })
    return
  }

  // Signing happens before any write to the repository: a signing failure leaves it untouched.
  // One token for both signatures; it also says which (reusable) workflow is the builder.
  const identityToken = await requestIdentityToken()
  const getIdentityToken = async () => identityToken
  const provenance = buildProvenanceStatement({
    manifest: built,
    context: { ...context, sha: commit },
    tag: inputs.tag,
    annotations: changeRecordAnnotation(serializedRecord.sha256),
    workflow: workflowIdentityFromToken(identityToken),
  })
  const provenanceBundle = await signStatement(provenance, {
    endpoints,
    getIdentityToken,
    reporter,
  })
  const recordBundle = await signStatement(buildChangeRecordStatement(record, built.digest), {
    endpoints,
    getIdentityToken,
    reporter,
  })
  const provenanceBundlePath = join(outDir, PROVENANCE_BUNDLE_FILE)
  const changeRecordBundlePath = join(outDir, CHANGE_RECORD_BUNDLE_FILE)
  await writeBundle(provenanceBundle, provenanceBundlePath)
  await writeBundle(recordBundle, changeRecordBundlePath)
  core.setOutput('provenance-bundle-path', provenanceBundlePath)
  core.setOutput('change-record-bundle-path', changeRecordBundlePath)

  const ownFile = async (name: string, path: string): Promise<ReleaseAssetFile> => {
    const bytes = await readFile(path)
    return {
      name,
      path,
      sha256: sha256Hex(bytes),
      size: bytes.length,
      contentType: name === SHA256SUMS_FILE ? 'text/plain' : 'application/json',
    }
  }
  const assets: ReleaseAssetFile[] = [
    ...built.subjects.map((subject) => ({
      name: subject.name,
      path: subject.localPath as string,
      sha256: subject.digest.sha256,
      size: subject.size ?? 0,
      contentType: subject.mediaType,
    })),
    await ownFile(MANIFEST_FILE, manifestPath),
    await ownFile(SHA256SUMS_FILE, sha256sumsPath),
    await ownFile(PROVENANCE_BUNDLE_FILE, provenanceBundlePath),
    await ownFile(CHANGE_RECORD_FILE, changeRecordPath),
    await ownFile(CHANGE_RECORD_BUNDLE_FILE, changeRecordBundlePath),
  ]

  const recordSha256 = serializedRecord.sha256
  const body = [notes.trim(), renderChangeRecordMarkdown(record, { recordSha256 })]
    .filter(Boolean)
    .join('\n\n')
  const published = await publishRelease(
    client,
    {
      owner,
      repo,
      tag: inputs.tag,
      targetCommitish: commit,
      name: inputs.name || inputs.tag,
      body,
      prerelease: inputs.prerelease,
      makeLatest: inputs.makeLatest,
      assets,
      run,
      observed,
    },
    reporter,
  )
  core.setOutput('release-id', String(published.id))
  core.setOutput('release-url', published.url)

  if (inputs.pushToAttestations) {
    await storeAttestationAfterRelease(client, { owner, repo }, provenanceBundle, reporter)
  }

  reporter.notice(
    `Released ${inputs.tag}: manifest ${built.digest}, change record ${record.change?.id ?? '(none)'} sha256:${serializedRecord.sha256}`,
    { title: 'immutable-release' },
  )
  await writeJobSummary({
    inputs,
    built,
    record,
    recordSha256,
    published,
    provenanceBundle,
    dryRun: false,
  })
}
