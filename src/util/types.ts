// Words several capabilities share: the statement shape both attestations use, and the two
// option unions that travel from the action's inputs to the capability that acts on them.
import type { IN_TOTO_STATEMENT_V1 } from './release-files.ts'

/** An in-toto ResourceDescriptor as used for statement subjects. */
export interface InTotoSubject {
  name: string
  digest: { sha256: string }
  annotations?: Record<string, unknown>
}

/** An in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md). */
export interface InTotoStatement<Predicate = unknown> {
  _type: typeof IN_TOTO_STATEMENT_V1
  subject: InTotoSubject[]
  predicateType: string
  predicate: Predicate
}

/** Which Sigstore instance signs: chosen from the repository (`auto`), or named. */
export type SigstoreMode = 'auto' | 'public-good' | 'github' | 'custom'

/** GitHub's `make_latest` release setting, passed through as the API spells it. */
export type MakeLatest = 'true' | 'false' | 'legacy'

/** Every MakeLatest value, for validating input. */
export const MAKE_LATEST_VALUES: readonly MakeLatest[] = Object.freeze(['true', 'false', 'legacy'])
