// The decisions of `immutable-release verify`, on data already read from disk: each function
// returns one check's verdict with every reason it failed, so a report lists all problems.
import type { Manifest } from '../manifest/index.ts'
import { MANIFEST_FILE } from '../manifest/index.ts'
import type { VerifiedBundle } from '../sign/index.ts'
import {
  GITHUB_ACTIONS_OIDC_ISSUER,
  IN_TOTO_STATEMENT_V1,
  SLSA_PROVENANCE_V1,
} from '../sign/index.ts'

export type CheckId =
  | 'assets'
  | 'provenance-signature'
  | 'signer-identity'
  | 'provenance-subjects'
  | 'change-record'
  | 'sha256sums'

export interface CheckResult {
  id: CheckId
  title: string
  ok: boolean
  /** Why it failed, one line each; or, when it passed, what was established. */
  details: string[]
}

export function check(
  id: CheckId,
  title: string,
  problems: string[],
  passed: string[],
): CheckResult {
  return { id, title, ok: problems.length === 0, details: problems.length > 0 ? problems : passed }
}

/** 1. Every file is in the manifest with its digest, and every subject is present. */
export function checkAssets(
  manifest: Manifest,
  files: ReadonlyMap<string, string>,
  ownFiles: readonly string[],
): CheckResult {
  const problems: string[] = []
  const expected = new Map(manifest.subjects.map((s) => [s.name, s.digest.sha256]))
  for (const [name, sha256] of files) {
    if (ownFiles.includes(name)) continue
    const want = expected.get(name)
    if (want === undefined) problems.push(`extra file not in the manifest: ${name}`)
    else if (want !== sha256) {
      problems.push(`${name}: sha256 ${sha256} differs from the manifest's ${want}`)
    }
  }
  for (const name of expected.keys()) {
    if (!files.has(name)) problems.push(`missing: ${name} is in the manifest but not in the folder`)
  }
  return check('assets', 'Assets match the manifest', problems, [
    `${expected.size} artifact(s) present with the manifest's sha256`,
  ])
}

export interface IdentityExpectation {
  /** `https://github.com/OWNER/REPO`. */
  repositoryURI: string
  /** Glob (`*` any run of characters) matched against the build signer workflow. */
  signerWorkflow?: string
}

/** Turns `owner/repo/.github/workflows/*.yml` into an anchored RegExp; `*` matches anything. */
export function workflowPattern(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^(?:https://[^/]+/)?${escaped}(?:@.*)?$`)
}

/** 3a. The certificate says GitHub Actions, this repository, and (if asked) this workflow. */
export function checkSignerIdentity(
  verified: VerifiedBundle,
  expectation: IdentityExpectation,
  what: string,
): string[] {
  const problems: string[] = []
  const signer = verified.signer
  if (signer.issuer !== GITHUB_ACTIONS_OIDC_ISSUER) {
    problems.push(`${what}: issuer is ${signer.issuer ?? '(none)'}, not GitHub Actions`)
  }
  // GitHub owner and repository names are case-insensitive.
  if (signer.sourceRepositoryURI?.toLowerCase() !== expectation.repositoryURI.toLowerCase()) {
    problems.push(
      `${what}: signed from ${signer.sourceRepositoryURI ?? '(unknown repository)'}, expected ${expectation.repositoryURI}`,
    )
  }
  if (expectation.signerWorkflow) {
    const workflow = signer.buildSignerURI ?? signer.subjectAlternativeName ?? ''
    if (!workflowPattern(expectation.signerWorkflow).test(workflow)) {
      problems.push(
        `${what}: build signer ${workflow || '(none)'} does not match --signer-workflow ${expectation.signerWorkflow}`,
      )
    }
  }
  return problems
}

interface StatementShape {
  _type?: string
  subject?: { name?: string; digest?: { sha256?: string }; annotations?: Record<string, unknown> }[]
  predicateType?: string
  predicate?: {
    buildDefinition?: {
      internalParameters?: { release?: { tag?: string } }
      resolvedDependencies?: { digest?: { gitCommit?: string } }[]
    }
  }
}

/** 3b. The provenance's tag and commit are the manifest's (and the one asked for). */
export function checkProvenanceSource(
  statement: unknown,
  manifest: Manifest,
  expectedTag: string | undefined,
): string[] {
  const problems: string[] = []
  const predicate = (statement as StatementShape).predicate
  const tag = predicate?.buildDefinition?.internalParameters?.release?.tag
  const commit = predicate?.buildDefinition?.resolvedDependencies?.[0]?.digest?.gitCommit
  if (tag !== manifest.source.tag) {
    problems.push(
      `provenance tag ${tag ?? '(none)'} differs from the manifest's ${manifest.source.tag ?? '(none)'}`,
    )
  }
  if (expectedTag !== undefined && tag !== expectedTag) {
    problems.push(`provenance tag ${tag ?? '(none)'} is not the requested --tag ${expectedTag}`)
  }
  if (commit !== manifest.source.commit) {
    problems.push(
      `provenance commit ${commit ?? '(none)'} differs from the manifest's ${manifest.source.commit ?? '(none)'}`,
    )
  }
  return problems
}

/** 4. The manifest is a subject, and the artifact subjects are exactly the manifest's. */
export function checkProvenanceSubjects(
  statement: unknown,
  manifest: Manifest,
  manifestSha256: string,
): CheckResult {
  const problems: string[] = []
  const shape = statement as StatementShape
  // Another statement of the same signer (the change record's, say) must not pass for provenance.
  if (shape._type !== IN_TOTO_STATEMENT_V1 || shape.predicateType !== SLSA_PROVENANCE_V1) {
    problems.push(
      `the signed statement is a ${shape.predicateType ?? '(no predicate type)'} statement, not ${SLSA_PROVENANCE_V1} provenance`,
    )
  }
  const subjects = shape.subject ?? []
  const byName = new Map<string, string | undefined>()
  for (const s of subjects) {
    if (typeof s.name !== 'string') {
      problems.push('a statement subject has no name')
      continue
    }
    if (byName.has(s.name)) problems.push(`the statement names ${s.name} twice`)
    byName.set(s.name, s.digest?.sha256)
  }
  const manifestSubject = byName.get(MANIFEST_FILE)
  if (manifestSubject === undefined)
    problems.push(`${MANIFEST_FILE} is not a subject of the statement`)
  else if (manifestSubject !== manifestSha256) {
    problems.push(
      `the statement signs ${MANIFEST_FILE} sha256 ${manifestSubject}, but the manifest in the folder is ${manifestSha256}`,
    )
  }
  byName.delete(MANIFEST_FILE)
  for (const s of manifest.subjects) {
    const signed = byName.get(s.name)
    if (signed === undefined)
      problems.push(`manifest subject ${s.name} is not in the signed statement`)
    else if (signed !== s.digest.sha256) {
      problems.push(
        `${s.name}: signed sha256 ${signed} differs from the manifest's ${s.digest.sha256}`,
      )
    }
    byName.delete(s.name)
  }
  for (const name of byName.keys())
    problems.push(`the statement signs ${name}, which the manifest does not list`)
  return check('provenance-subjects', 'Signed subjects match the manifest', problems, [
    `${MANIFEST_FILE} and ${manifest.subjects.length} artifact(s) signed`,
  ])
}

/** 6. SHA256SUMS lists exactly the manifest's subjects with their digests. */
export function checkSha256Sums(manifest: Manifest, text: string | undefined): CheckResult {
  const problems: string[] = []
  if (text === undefined) {
    return check('sha256sums', 'SHA256SUMS agrees with the manifest', ['SHA256SUMS is missing'], [])
  }
  const listed = new Map<string, string>()
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.replace(/\r$/, ''))
    if (!match) problems.push(`SHA256SUMS line ${index + 1} is malformed`)
    else listed.set(match[2] as string, match[1] as string)
  })
  for (const s of manifest.subjects) {
    const sum = listed.get(s.name)
    if (sum === undefined) problems.push(`SHA256SUMS does not list ${s.name}`)
    else if (sum !== s.digest.sha256)
      problems.push(`SHA256SUMS gives ${s.name} sha256 ${sum}, the manifest ${s.digest.sha256}`)
    listed.delete(s.name)
  }
  for (const name of listed.keys())
    problems.push(`SHA256SUMS lists ${name}, which the manifest does not`)
  return check('sha256sums', 'SHA256SUMS agrees with the manifest', problems, [
    `${manifest.subjects.length} line(s) agree`,
  ])
}
