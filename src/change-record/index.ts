/**
 * The GDPR change record: what changed, why, who approved it (as pseudonyms) and what it did to
 * personal data, bound to the release manifest and chained to the previous release. See
 * docs/gdpr.md.
 */
export {
  CHANGE_RECORD_ANNOTATION_KEY,
  CHANGE_RECORD_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  CHANGE_RECORD_PREDICATE_TYPE,
} from './constants.ts'
export { loadChangeRecordInput } from './input.ts'
export { validateChangeRecord } from './schema.ts'
export { Pseudonymizer, pseudonymizerForAction } from './pseudonymizer.ts'
export { buildChangeRecord, serializeChangeRecord } from './record.ts'
export { buildChangeRecordStatement, changeRecordAnnotation } from './statement.ts'
export { renderChangeRecordMarkdown } from './markdown.ts'
export {
  assertNoPersonalData,
  describeFindings,
  knownPeople,
  scanForPersonalData,
} from './personal-data-guard.ts'
export { guardedSubjectFields } from './guarded-fields.ts'
export { findPreviousRelease, commitRange } from './github-history.ts'
export {
  applyChangeRecordPolicy,
  checkChangeRecordPolicy,
  describePolicyFindings,
  type PolicyMode,
} from './policy.ts'
export type {
  Approval,
  ChangeRecord,
  ChangeRecordInput,
  DigestSet,
  PolicyFinding,
} from './types.ts'
