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
