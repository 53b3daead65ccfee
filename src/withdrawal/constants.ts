/** Names shared by the withdraw action, `verify` and `audit`. */
export const WITHDRAWAL_PREDICATE_TYPE = 'https://immutable-release.dev/withdrawal/v1'
export {
  WITHDRAWAL_BUNDLE_FILE,
  WITHDRAWAL_FILE,
  WITHDRAWAL_TAG_PREFIX,
  withdrawalTagFor,
  withdrawnTagOf,
} from '../util/release-files.ts'
