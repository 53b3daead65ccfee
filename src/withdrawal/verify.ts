/**
 * Is a withdrawal genuine? One function for `verify`, the verify action and `audit`: given the
 * bytes of `withdrawal.json` and `withdrawal.sigstore.json`, it says whether they are a signed
 * withdrawal of exactly this release by this repository, and if so hands back the record.
 */
import { GITHUB_ACTIONS_OIDC_ISSUER, verifyBundle } from '../sign/index.ts'
import type { VerifiedBundle } from '../sign/index.ts'
import { canonicalJson } from '../util/canonical-json.ts'
import { hashBytes } from '../util/digest.ts'
import { errorMessage } from '../util/errors.ts'
import { workflowPattern } from '../util/workflow-pattern.ts'
import { MANIFEST_FILE } from '../util/release-files.ts'
import { WITHDRAWAL_BUNDLE_FILE, WITHDRAWAL_FILE, WITHDRAWAL_PREDICATE_TYPE } from './constants.ts'
import { validateWithdrawalRecord } from './schema.ts'
import type { WithdrawalRecord } from './types.ts'

export interface WithdrawalCheckRequest {
  /** The bytes of withdrawal.json (for a bundle from the attestations API: its predicate's RFC 8785 bytes). */
  recordBytes: Buffer
  /** The bytes of withdrawal.sigstore.json. */
  bundleBytes: Buffer
  /** `OWNER/REPO` of the release (and so of the workflow that must have withdrawn it). */
  repository: string
  /** The tag of the release the withdrawal must name. */
  tag: string
  /** The release's manifest digest, `sha256:<hex>` or bare hex. */
  manifestDigest: string
  /** protobuf-specs TrustedRoot JSON. */
  trustedRoot: unknown
  /** `--withdrawal-signer-workflow`: glob for the workflow allowed to withdraw; default any of the repository's. */
  signerWorkflow?: string
  /** `https://github.com` (default) or a GitHub Enterprise Server URL. */
  serverUrl?: string
}

export type WithdrawalCheck =
  /** `digest` is `sha256:<hex>` of withdrawal.json; `signer` the workflow that signed it. */
  | { status: 'verified'; record: WithdrawalRecord; digest: string; signer: string }
  /** Why this is no withdrawal of the release: every reason, joined with `; `. */
  | { status: 'invalid'; problem: string }

/**
 * Checks a withdrawal of one release. Verified means all of: the bundle verifies against the
 * trusted root (@sigstore/verify, through src/sign); it was signed by GitHub Actions in the
 * same repository (and by `signerWorkflow`, when given); its statement has the withdrawal
 * predicate type and a subject with the manifest digest; withdrawal.json is byte for byte the
 * RFC 8785 form of the signed predicate; the record passes the schema and names this
 * repository, tag and manifest digest. Never throws for bad input: that is `invalid`.
 */
export function checkWithdrawal(request: WithdrawalCheckRequest): WithdrawalCheck {
  const manifestHex = request.manifestDigest.replace(/^sha256:/, '').toLowerCase()
  let verified: VerifiedBundle
  try {
    verified = verifyBundle(JSON.parse(request.bundleBytes.toString('utf8')), {
      trustedRoot: request.trustedRoot,
      identity: { issuer: GITHUB_ACTIONS_OIDC_ISSUER },
    })
  } catch (error) {
    return invalid([`${WITHDRAWAL_BUNDLE_FILE}: ${errorMessage(error)}`])
  }
  const problems = [
    ...signerProblems(verified, request),
    ...statementProblems(verified.statement, request.recordBytes, manifestHex),
  ]
  let record: unknown
  try {
    record = JSON.parse(request.recordBytes.toString('utf8'))
  } catch (error) {
    problems.push(`${WITHDRAWAL_FILE} is not JSON: ${errorMessage(error)}`)
  }
  if (record !== undefined) problems.push(...recordProblems(record, request, manifestHex))
  if (problems.length > 0) return invalid(problems)
  return {
    status: 'verified',
    record: record as WithdrawalRecord,
    digest: `sha256:${hashBytes(request.recordBytes)}`,
    signer: verified.signer.buildSignerURI ?? verified.signer.subjectAlternativeName ?? '',
  }
}

function invalid(problems: string[]): WithdrawalCheck {
  return { status: 'invalid', problem: problems.join('; ') }
}

/** Same repository (owner and name are case-insensitive on GitHub), and the workflow if asked. */
function signerProblems(verified: VerifiedBundle, request: WithdrawalCheckRequest): string[] {
  const serverUrl = (request.serverUrl ?? 'https://github.com').replace(/\/+$/, '')
  const expected = `${serverUrl}/${request.repository}`
  const signer = verified.signer
  const problems: string[] = []
  if (signer.sourceRepositoryURI?.toLowerCase() !== expected.toLowerCase()) {
    problems.push(
      `signed from ${signer.sourceRepositoryURI ?? '(unknown repository)'}, not ${expected}`,
    )
  }
  if (request.signerWorkflow) {
    const workflow = signer.buildSignerURI ?? signer.subjectAlternativeName ?? ''
    if (!workflowPattern(request.signerWorkflow).test(workflow)) {
      problems.push(
        `signed by ${workflow || '(no workflow)'}, which does not match --withdrawal-signer-workflow ${request.signerWorkflow}`,
      )
    }
  }
  return problems
}

function field(value: unknown, ...path: string[]): unknown {
  let at = value
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

/** The signed statement is a withdrawal of this manifest, over exactly these record bytes. */
function statementProblems(statement: unknown, recordBytes: Buffer, manifestHex: string): string[] {
  const problems: string[] = []
  const predicateType = field(statement, 'predicateType')
  if (predicateType !== WITHDRAWAL_PREDICATE_TYPE) {
    problems.push(
      `the statement's predicate type is ${JSON.stringify(predicateType)}, not a withdrawal`,
    )
  }
  const subjects = field(statement, 'subject')
  const names = Array.isArray(subjects) ? subjects : []
  if (!names.some((s) => field(s, 'digest', 'sha256') === manifestHex)) {
    problems.push(`no subject of the statement is this ${MANIFEST_FILE} (sha256:${manifestHex})`)
  }
  const predicate = field(statement, 'predicate')
  if (predicate === undefined) problems.push('the statement has no predicate')
  else if (!canonicalJson(predicate).equals(recordBytes)) {
    problems.push(`${WITHDRAWAL_FILE} is not the record that was signed`)
  }
  return problems
}

/** Schema, then the fields that tie the record to this release (read defensively). */
function recordProblems(
  record: unknown,
  request: WithdrawalCheckRequest,
  manifestHex: string,
): string[] {
  const problems: string[] = []
  for (const v of validateWithdrawalRecord(record)) {
    problems.push(`schema: ${v.path || '/'} ${v.message}`)
  }
  const repository = field(record, 'repository')
  if (
    typeof repository !== 'string' ||
    repository.toLowerCase() !== request.repository.toLowerCase()
  ) {
    problems.push(`the record is for repository ${JSON.stringify(repository)}`)
  }
  const tag = field(record, 'withdrawn', 'tag')
  if (tag !== request.tag) problems.push(`the record withdraws tag ${JSON.stringify(tag)}`)
  if (field(record, 'withdrawn', 'manifestDigest', 'sha256') !== manifestHex) {
    problems.push('the record withdraws another manifest digest')
  }
  return problems
}
