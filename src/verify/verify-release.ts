import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CHANGE_RECORD_ANNOTATION_KEY,
  CHANGE_RECORD_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  CHANGE_RECORD_PREDICATE_TYPE,
  validateChangeRecord,
} from '../change-record/index.ts'
import type { ChangeRecord } from '../change-record/index.ts'
import { MANIFEST_FILE, SHA256SUMS_FILE, hashFiles, parseManifest } from '../manifest/index.ts'
import type { Manifest } from '../manifest/index.ts'
import { GITHUB_ACTIONS_OIDC_ISSUER, PROVENANCE_BUNDLE_FILE, verifyBundle } from '../sign/index.ts'
import type { VerifiedBundle } from '../sign/index.ts'
import { canonicalJson, sha256Hex } from '../util/canonical-json.ts'
import { RELEASE_METADATA_FILES } from '../util/release-files.ts'
import { InputError, errorMessage } from '../util/errors.ts'
import {
  check,
  checkAssets,
  checkProvenanceSource,
  checkProvenanceSubjects,
  checkSha256Sums,
  checkSignerIdentity,
} from './checks.ts'
import type { CheckResult, IdentityExpectation } from './checks.ts'

export interface VerifyReleaseOptions {
  dir: string
  /** `OWNER/REPO` the release must come from. */
  repo: string
  tag?: string
  signerWorkflow?: string
  /** protobuf-specs TrustedRoot JSON. */
  trustedRoot: unknown
  /** `https://github.com` or a GitHub Enterprise Server URL. */
  serverUrl?: string
}

export interface ChangeRecordSummary {
  changeId?: string
  title?: string
  reason?: string
  personalDataImpact?: string
  approvals: { role?: string; decision?: string; approver?: string }[]
  dpiaReference?: string
  previousRelease?: string
  digest: string
}

export interface VerificationReport {
  verified: boolean
  repository: string
  tag?: string
  manifestDigest?: string
  checks: CheckResult[]
  changeRecord?: ChangeRecordSummary
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function parseJson(bytes: Buffer, name: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    throw new Error(`${name} is not JSON: ${errorMessage(error)}`, { cause: error })
  }
}

/**
 * sha256 of every regular file in the folder (not recursive: release assets are flat), hashed
 * in parallel by the manifest's worker pool, as the release was.
 */
async function hashFolder(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
  const outcomes = await hashFiles(
    names.map((name) => ({ path: join(dir, name), algorithms: ['sha256'] as const })),
  )
  const files = new Map<string, string>()
  names.forEach((name, i) => {
    const outcome = outcomes[i]
    if (outcome?.error || !outcome?.digests.sha256) {
      throw new Error(`cannot read ${name}: ${outcome?.error?.message ?? 'no digest'}`)
    }
    files.set(name, outcome.digests.sha256)
  })
  return files
}

function verifySigned(
  bundleBytes: Buffer | undefined,
  name: string,
  trustedRoot: unknown,
): { verified?: VerifiedBundle; problems: string[] } {
  if (!bundleBytes) return { problems: [`${name} is missing`] }
  try {
    const verified = verifyBundle(parseJson(bundleBytes, name), {
      trustedRoot,
      identity: { issuer: GITHUB_ACTIONS_OIDC_ISSUER },
    })
    return { verified, problems: [] }
  } catch (error) {
    return { problems: [`${name}: ${describeVerificationFailure(error)}`] }
  }
}

/**
 * The verifier's message with the causes under it and its code: @sigstore/verify wraps the
 * reason (say, a certificate expired at the timestamp's time) in "Failed to verify
 * certificate chain", which alone does not tell a reviewer what is wrong.
 */
function describeVerificationFailure(error: unknown): string {
  let text = errorMessage(error)
  let cause: unknown = (error as { cause?: unknown }).cause
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (!text.includes(cause.message)) text += `: ${cause.message}`
    cause = (cause as { cause?: unknown }).cause
  }
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? `${text} [${code}]` : text
}

function describeWitness(verified: VerifiedBundle): string {
  const parts = []
  if (verified.tlogEntries > 0) parts.push(`${verified.tlogEntries} transparency-log entry`)
  if (verified.rfc3161Timestamps > 0) parts.push(`${verified.rfc3161Timestamps} signed timestamp`)
  return parts.join(' and ')
}

function annotationDigest(statement: unknown): Set<string> {
  const digests = new Set<string>()
  const subjects =
    (statement as { subject?: { annotations?: Record<string, unknown> }[] }).subject ?? []
  for (const subject of subjects) {
    const link = subject.annotations?.[CHANGE_RECORD_ANNOTATION_KEY] as
      { digest?: { sha256?: string } } | undefined
    digests.add(link?.digest?.sha256 ?? '(none)')
  }
  return digests
}

function summarise(record: ChangeRecord, digest: string): ChangeRecordSummary {
  const personal = record.personalData as { impact?: string; dpia?: { reference?: string } }
  return {
    changeId: record.change?.id,
    title: record.change?.title,
    reason: record.change?.reason,
    personalDataImpact: personal.impact,
    approvals: (record.change?.approvals ?? []).map((a) => ({
      role: a.role,
      decision: a.decision,
      approver: a.approver,
    })),
    dpiaReference: personal.dpia?.reference,
    previousRelease: record.chain.previous
      ? `${record.chain.previous.tag} (manifest sha256:${record.chain.previous.manifestDigest.sha256})`
      : undefined,
    digest: `sha256:${digest}`,
  }
}

function checkChangeRecord(
  recordBytes: Buffer | undefined,
  bundleBytes: Buffer | undefined,
  provenance: unknown,
  manifest: Manifest,
  manifestSha256: string,
  options: VerifyReleaseOptions,
  expectation: IdentityExpectation,
): { result: CheckResult; summary?: ChangeRecordSummary } {
  const title = 'Change record is signed, linked and valid'
  if (!recordBytes)
    return { result: check('change-record', title, [`${CHANGE_RECORD_FILE} is missing`], []) }
  const problems: string[] = []
  const passed: string[] = []
  const digest = sha256Hex(recordBytes)
  if (provenance !== undefined) {
    const linked = annotationDigest(provenance)
    if (linked.size !== 1 || !linked.has(digest)) {
      problems.push(
        `${CHANGE_RECORD_FILE} sha256 ${digest} is not the digest the provenance annotates (${[...linked].join(', ')})`,
      )
    }
  }
  let record: ChangeRecord | undefined
  try {
    record = parseJson(recordBytes, CHANGE_RECORD_FILE) as ChangeRecord
    for (const v of validateChangeRecord(record))
      problems.push(`schema: ${v.path || '/'} ${v.message}`)
  } catch (error) {
    problems.push(errorMessage(error))
  }
  if (record?.release) {
    if (record.release.tag !== manifest.source.tag)
      problems.push(`the record is for tag ${record.release.tag}`)
    if (record.release.manifest?.digest?.sha256 !== manifestSha256) {
      problems.push('the record names another manifest digest')
    }
    if (record.release.repository?.toLowerCase() !== options.repo.toLowerCase()) {
      problems.push(`the record is for repository ${record.release.repository}`)
    }
  }

  const signed = verifySigned(bundleBytes, CHANGE_RECORD_BUNDLE_FILE, options.trustedRoot)
  problems.push(...signed.problems)
  if (signed.verified) {
    problems.push(...checkSignerIdentity(signed.verified, expectation, CHANGE_RECORD_BUNDLE_FILE))
    const statement = signed.verified.statement as {
      subject?: { name?: string; digest?: { sha256?: string } }[]
      predicateType?: string
      predicate?: unknown
    }
    if (statement.predicateType !== CHANGE_RECORD_PREDICATE_TYPE) {
      problems.push(`the record's statement has predicate type ${statement.predicateType}`)
    }
    const subject = statement.subject?.[0]
    if (
      statement.subject?.length !== 1 ||
      subject?.name !== MANIFEST_FILE ||
      subject.digest?.sha256 !== manifestSha256
    ) {
      problems.push(`the record's statement is not about this ${MANIFEST_FILE}`)
    }
    if (record && !canonicalJson(statement.predicate).equals(canonicalJson(record))) {
      problems.push(`${CHANGE_RECORD_FILE} differs from the record that was signed`)
    }
    passed.push(`signed (${describeWitness(signed.verified)}), sha256:${digest}`)
  }
  if (record?.chain) {
    passed.push(
      record.chain.previous
        ? `previous release: ${record.chain.previous.tag}`
        : 'first release in the chain (no previous release)',
    )
  }
  return {
    result: check('change-record', title, problems, passed),
    summary: record?.chain ? summarise(record, digest) : undefined,
  }
}

/**
 * Verifies a folder of downloaded release assets, offline, and reports every check. It never
 * stops at the first failure: a reviewer sees all that is wrong.
 */
export async function verifyReleaseDirectory(
  options: VerifyReleaseOptions,
): Promise<VerificationReport> {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(options.repo)) {
    throw new InputError('--repo', `expected OWNER/REPO, got '${options.repo}'.`)
  }
  const dirStat = await stat(options.dir).catch(() => undefined)
  if (!dirStat?.isDirectory()) throw new InputError('dir', `'${options.dir}' is not a folder.`)

  const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '')
  const expectation: IdentityExpectation = {
    repositoryURI: `${serverUrl}/${options.repo}`,
    signerWorkflow: options.signerWorkflow,
  }
  const read = (name: string) => readOptional(join(options.dir, name))
  const manifestBytes = await read(MANIFEST_FILE)
  const report: VerificationReport = {
    verified: false,
    repository: options.repo,
    tag: options.tag,
    checks: [],
  }
  if (!manifestBytes) {
    report.checks.push(
      check('assets', 'Assets match the manifest', [`${MANIFEST_FILE} is missing`], []),
    )
    return report
  }
  let manifest: Manifest
  try {
    manifest = parseManifest(manifestBytes)
  } catch (error) {
    report.checks.push(
      check(
        'assets',
        'Assets match the manifest',
        [`${MANIFEST_FILE}: ${errorMessage(error)}`],
        [],
      ),
    )
    return report
  }
  const manifestSha256 = sha256Hex(manifestBytes)
  report.manifestDigest = `sha256:${manifestSha256}`
  report.tag = options.tag ?? manifest.source.tag

  report.checks.push(checkAssets(manifest, await hashFolder(options.dir), RELEASE_METADATA_FILES))

  const provenance = verifySigned(
    await read(PROVENANCE_BUNDLE_FILE),
    PROVENANCE_BUNDLE_FILE,
    options.trustedRoot,
  )
  report.checks.push(
    check(
      'provenance-signature',
      'Provenance signature verifies',
      provenance.problems,
      provenance.verified
        ? [`signature, certificate chain, SCT and ${describeWitness(provenance.verified)} verified`]
        : [],
    ),
  )
  const statement = provenance.verified?.statement
  if (provenance.verified && statement !== undefined) {
    report.checks.push(
      check(
        'signer-identity',
        'Signer is the expected workflow',
        [
          ...checkSignerIdentity(provenance.verified, expectation, PROVENANCE_BUNDLE_FILE),
          ...checkProvenanceSource(statement, manifest, options.tag),
        ],
        [
          `${provenance.verified.signer.buildSignerURI ?? provenance.verified.signer.subjectAlternativeName}`,
          `tag ${manifest.source.tag}, commit ${manifest.source.commit}`,
        ],
      ),
    )
    report.checks.push(checkProvenanceSubjects(statement, manifest, manifestSha256))
  } else {
    report.checks.push(
      check(
        'signer-identity',
        'Signer is the expected workflow',
        ['no verified signature to read the signer from'],
        [],
      ),
      check(
        'provenance-subjects',
        'Signed subjects match the manifest',
        ['no verified statement'],
        [],
      ),
    )
  }

  const changeRecord = checkChangeRecord(
    await read(CHANGE_RECORD_FILE),
    await read(CHANGE_RECORD_BUNDLE_FILE),
    statement,
    manifest,
    manifestSha256,
    options,
    expectation,
  )
  report.checks.push(changeRecord.result)
  report.changeRecord = changeRecord.summary

  report.checks.push(checkSha256Sums(manifest, (await read(SHA256SUMS_FILE))?.toString('utf8')))
  report.verified = report.checks.every((c) => c.ok)
  return report
}
