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

/**
 * A tag that was pushed (and that the release adopted) rather than created by the action, as
 * the provenance and the change record state it. The tagger's name and e-mail are personal
 * data and are never carried; the date says when the tag object was made.
 */
export interface PushedTag {
  /** `tag` for an annotated (or signed) tag object, `commit` for a lightweight tag. */
  objectType: 'tag' | 'commit'
  /** The object the tag ref points at: the tag object's SHA, or the commit's. */
  objectSha: string
  /** The tag object's tagger date (ISO 8601); annotated tags only. */
  taggerDate?: string
}
