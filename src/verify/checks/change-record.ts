import {
  CHANGE_RECORD_ANNOTATION_KEY,
  CHANGE_RECORD_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  CHANGE_RECORD_PREDICATE_TYPE,
  validateChangeRecord,
} from '../../change-record/index.ts'
import type { ChangeRecord } from '../../change-record/index.ts'
import { MANIFEST_FILE } from '../../manifest/index.ts'
import type { VerifiedBundle } from '../../sign/index.ts'
import { canonicalJson } from '../../util/canonical-json.ts'
import { errorMessage } from '../../util/errors.ts'
import { describeWitness, verifySigned } from '../signatures.ts'
import type { ChangeRecordFile, Check, VerifyContext } from '../types.ts'
import { checkSignerIdentity } from './identity.ts'
import { verdict } from './verdict.ts'

/** The change-record digests the provenance's subjects annotate; `(none)` for a bare subject. */
function annotatedDigests(statement: unknown): Set<string> {
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

/** The record in the folder: linked from the provenance, valid, and about this release. */
function recordProblems(file: ChangeRecordFile, ctx: VerifyContext): string[] {
  const problems: string[] = []
  const provenance = ctx.provenance.verified?.statement
  if (provenance !== undefined) {
    const linked = annotatedDigests(provenance)
    if (linked.size !== 1 || !linked.has(file.sha256)) {
      problems.push(
        `${CHANGE_RECORD_FILE} sha256 ${file.sha256} is not the digest the provenance annotates (${[...linked].join(', ')})`,
      )
    }
  }
  const { record } = file
  if (file.parseError !== undefined) problems.push(file.parseError)
  else {
    try {
      for (const v of validateChangeRecord(record))
        problems.push(`schema: ${v.path || '/'} ${v.message}`)
    } catch (error) {
      problems.push(errorMessage(error))
    }
  }
  if (record?.release) {
    if (record.release.tag !== ctx.manifest.source.tag)
      problems.push(`the record is for tag ${record.release.tag}`)
    if (record.release.manifest?.digest?.sha256 !== ctx.manifestSha256) {
      problems.push('the record names another manifest digest')
    }
    if (record.release.repository?.toLowerCase() !== ctx.repo.toLowerCase()) {
      problems.push(`the record is for repository ${record.release.repository}`)
    }
  }
  return problems
}

/** The signed statement: this repository's workflow, about this manifest, over this record. */
function signedStatementProblems(
  verified: VerifiedBundle,
  record: ChangeRecord | undefined,
  ctx: VerifyContext,
): string[] {
  const problems = checkSignerIdentity(verified, ctx.expectation, CHANGE_RECORD_BUNDLE_FILE)
  const statement = verified.statement as {
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
    subject.digest?.sha256 !== ctx.manifestSha256
  ) {
    problems.push(`the record's statement is not about this ${MANIFEST_FILE}`)
  }
  if (record && !canonicalJson(statement.predicate).equals(canonicalJson(record))) {
    problems.push(`${CHANGE_RECORD_FILE} differs from the record that was signed`)
  }
  return problems
}

/** 5. The change record is signed, linked from the provenance, valid and about this release. */
export const changeRecordCheck: Check = {
  id: 'change-record',
  title: 'Change record is signed, linked and valid',
  run(ctx) {
    const file = ctx.changeRecord
    if (!file) return verdict(changeRecordCheck, [`${CHANGE_RECORD_FILE} is missing`], [])
    const problems = recordProblems(file, ctx)
    const passed: string[] = []
    const signed = verifySigned(ctx.changeRecordBundle, CHANGE_RECORD_BUNDLE_FILE, ctx.trustedRoot)
    problems.push(...signed.problems)
    if (signed.verified) {
      problems.push(...signedStatementProblems(signed.verified, file.record, ctx))
      passed.push(`signed (${describeWitness(signed.verified)}), sha256:${file.sha256}`)
    }
    const chain = file.record?.chain
    if (chain) {
      passed.push(
        chain.previous
          ? `previous release: ${chain.previous.tag}`
          : 'first release in the chain (no previous release)',
      )
    }
    return verdict(changeRecordCheck, problems, passed)
  },
}
