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
  RELEASE_MANIFEST_FILE,
} from './constants.ts'
export {
  loadChangeRecordInput,
  parseChangeRecordText,
  MAX_ALIAS_COUNT,
  MAX_CHANGE_RECORD_BYTES,
} from './input.ts'
export {
  validateChangeRecordInput,
  validateChangeRecord,
  formatViolations,
  type Violation,
} from './schema.ts'
export { Pseudonymizer, type PseudonymDomain, type PseudonymizerOptions } from './pseudonymizer.ts'
export {
  buildChangeRecord,
  serializeChangeRecord,
  assessIdentityExposure,
  type BuildChangeRecordParams,
  type OwnerType,
  type SigningExposure,
} from './record.ts'
export {
  buildChangeRecordStatement,
  changeRecordAnnotation,
  type InTotoStatement,
} from './statement.ts'
export { renderChangeRecordMarkdown, escapeMarkdown, type RenderOptions } from './markdown.ts'
export {
  scanForPersonalData,
  assertNoPersonalData,
  stringFields,
  recordFieldsToScan,
  allowedContactsOf,
  PersonalDataError,
  type CommitAuthor,
  type Finding,
  type PersonalDataKind,
  type ScannedField,
  type ScanOptions,
} from './personal-data-guard.ts'
export {
  findPreviousRelease,
  commitRange,
  type CommitRange,
  type PreviousRelease,
  type RepositoryRef,
} from './github-history.ts'
export type {
  ChangeRecord,
  ChangeRecordInput,
  ChangeRequest,
  PersonalDataChange,
  ChainLink,
  DigestSet,
  IdentifierPolicy,
} from './types.ts'
