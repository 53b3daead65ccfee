/**
 * Withdrawal of a published release: the signed record saying it must no longer be used, and
 * the check that such a record is genuine. See docs/incident-response.md.
 */
export {
  WITHDRAWAL_BUNDLE_FILE,
  WITHDRAWAL_FILE,
  WITHDRAWAL_PREDICATE_TYPE,
  WITHDRAWAL_TAG_PREFIX,
  withdrawalTagFor,
  withdrawnTagOf,
} from './constants.ts'
export { WITHDRAWAL_REASONS } from './types.ts'
export type {
  BreachNotification,
  ReplacementRelease,
  WithdrawalReason,
  WithdrawalRecord,
  WithdrawnRelease,
} from './types.ts'
export { checkWithdrawal, type WithdrawalCheck, type WithdrawalCheckRequest } from './verify.ts'
export { validateWithdrawalInput, validateWithdrawalRecord, formatViolations } from './schema.ts'
export type { Violation } from './schema.ts'
export {
  isoSeconds,
  parseDetectedAt,
  readWithdrawalRecordFile,
  resolveWithdrawalRequest,
} from './input.ts'
export type {
  BreachAssessment,
  WithdrawalInputs,
  WithdrawalRecordFile,
  WithdrawalRequest,
} from './input.ts'
export {
  NOTIFICATION_WINDOW_HOURS,
  buildWithdrawalRecord,
  buildWithdrawalStatement,
  guardWithdrawalRecord,
  notificationDeadline,
  serializeWithdrawalRecord,
} from './record.ts'
export {
  BANNER_MARKER,
  WITHDRAWN_TITLE_PREFIX,
  compareSemver,
  decideLatest,
  decideWithdrawalStart,
  isMarked,
  madeByThisAction,
  markdownText,
  markedNotes,
  parseSemver,
  releaseProblem,
  withdrawalBanner,
  withdrawnTags,
  withdrawnTitle,
} from './decisions.ts'
export type { LatestDecision, StartDecision } from './decisions.ts'
export { inspectRelease } from './inspect.ts'
export type { InspectedRelease } from './inspect.ts'
