import {
  CHANGE_RECORD_ANNOTATION_KEY,
  CHANGE_RECORD_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  CHANGE_RECORD_PREDICATE_TYPE,
  validateChangeRecord,
} from '../../change-record/index.ts'
import { MANIFEST_FILE } from '../../manifest/index.ts'
import type { VerifiedBundle } from '../../sign/index.ts'
import { canonicalJson } from '../../util/canonical-json.ts'
import { errorMessage } from '../../util/errors.ts'
import { describeWitness, verifySigned } from '../signatures.ts'
import type { ChangeRecordFile, Check, VerifyContext } from '../types.ts'
import { checkSignerIdentity } from './identity.ts'
import { isObject, listAt, shown, stringAt, valueAt } from './statement-shape.ts'
import { verdict } from './verdict.ts'

/** The change-record digests the provenance's subjects annotate; `(none)` for a bare subject. */
function annotatedDigests(statement: unknown): Set<string> {
  const digests = new Set<string>()
  for (const subject of listAt(statement, 'subject') ?? []) {
    const link = valueAt(subject, 'annotations', CHANGE_RECORD_ANNOTATION_KEY)
    digests.add(stringAt(link, 'digest', 'sha256') ?? '(none)')
  }
  return digests
}

/** The record's claims about the release, read field by field: an unsigned file can hold anything. */
function releaseProblems(record: unknown, ctx: VerifyContext): string[] {
  const release = valueAt(record, 'release')
  if (release === undefined) return []
  const problems: string[] = []
  const tag = valueAt(release, 'tag')
  if (tag !== ctx.manifest.source.tag) problems.push(`the record is for tag ${shown(tag)}`)
  if (stringAt(release, 'manifest', 'digest', 'sha256') !== ctx.manifestSha256) {
    problems.push('the record names another manifest digest')
  }
  const repository = valueAt(release, 'repository')
  if (typeof repository !== 'string' || repository.toLowerCase() !== ctx.repo.toLowerCase()) {
    problems.push(`the record is for repository ${shown(repository)}`)
  }
  return problems
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
  if (file.parseError !== undefined) problems.push(file.parseError)
  else {
    try {
      for (const v of validateChangeRecord(file.record))
        problems.push(`schema: ${v.path || '/'} ${v.message}`)
    } catch (error) {
      problems.push(errorMessage(error))
    }
  }
  problems.push(...releaseProblems(file.record, ctx))
  return problems
}

/** The signed statement: this repository's workflow, about this manifest, over this record. */
function signedStatementProblems(
  verified: VerifiedBundle,
  record: unknown,
  ctx: VerifyContext,
): string[] {
  const problems = checkSignerIdentity(verified, ctx.expectation, CHANGE_RECORD_BUNDLE_FILE)
  const { statement } = verified
  const predicateType = valueAt(statement, 'predicateType')
  if (predicateType !== CHANGE_RECORD_PREDICATE_TYPE) {
    problems.push(`the record's statement has predicate type ${shown(predicateType)}`)
  }
  const subjects = listAt(statement, 'subject')
  if (
    subjects?.length !== 1 ||
    stringAt(subjects[0], 'name') !== MANIFEST_FILE ||
    stringAt(subjects[0], 'digest', 'sha256') !== ctx.manifestSha256
  ) {
    problems.push(`the record's statement is not about this ${MANIFEST_FILE}`)
  }
  const predicate = valueAt(statement, 'predicate')
  if (predicate === undefined) problems.push("the record's statement has no predicate (no record)")
  if (record !== undefined && !sameJson(predicate, record)) {
    problems.push(`${CHANGE_RECORD_FILE} differs from the record that was signed`)
  }
  return problems
}

/** RFC 8785 equality; a value JSON cannot hold (a missing predicate) equals nothing. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false
  return canonicalJson(a).equals(canonicalJson(b))
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
    const unread = ctx.unreadable.get(CHANGE_RECORD_BUNDLE_FILE)
    const signed = unread
      ? { problems: [unread] }
      : verifySigned(ctx.changeRecordBundle, CHANGE_RECORD_BUNDLE_FILE, ctx.trustedRoot)
    problems.push(...signed.problems)
    if (signed.verified) {
      problems.push(...signedStatementProblems(signed.verified, file.record, ctx))
      passed.push(`signed (${describeWitness(signed.verified)}), sha256:${file.sha256}`)
    }
    const chain = valueAt(file.record, 'chain')
    if (isObject(chain)) {
      passed.push(
        isObject(chain['previous'])
          ? `previous release: ${shown(valueAt(chain, 'previous', 'tag'))}`
          : 'first release in the chain (no previous release)',
      )
    }
    return verdict(changeRecordCheck, problems, passed)
  },
}
