import { isSha256Hex } from '../util/digest.ts'
import { CHANGE_RECORD_FILE, IN_TOTO_STATEMENT_V1, MANIFEST_FILE } from '../util/release-files.ts'
import type { InTotoStatement } from '../util/types.ts'
import { CHANGE_RECORD_ANNOTATION_KEY, CHANGE_RECORD_PREDICATE_TYPE } from './constants.ts'
import type { ChangeRecord } from './types.ts'

/**
 * The statement signed for the record: its subject is the release manifest, so the record is
 * bound to exactly the artifacts the manifest addresses, and its predicate is the record.
 */
export function buildChangeRecordStatement(
  record: ChangeRecord,
  manifestDigest: string = record.release.manifest.digest.sha256,
): InTotoStatement<ChangeRecord> {
  const sha256 = manifestDigest.replace(/^sha256:/, '').toLowerCase()
  if (sha256 !== record.release.manifest.digest.sha256) {
    throw new Error('the manifest digest differs from the one the change record names')
  }
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: MANIFEST_FILE, digest: { sha256 } }],
    predicateType: CHANGE_RECORD_PREDICATE_TYPE,
    predicate: record,
  }
}

/** The annotation provenance subjects carry, pointing at change-record.json by digest. */
export function changeRecordAnnotation(sha256: string): Record<string, unknown> {
  if (!isSha256Hex(sha256)) throw new TypeError('sha256 must be 64 lower-case hex digits')
  return { [CHANGE_RECORD_ANNOTATION_KEY]: { name: CHANGE_RECORD_FILE, digest: { sha256 } } }
}
