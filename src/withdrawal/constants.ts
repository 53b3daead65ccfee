/** Names shared by the withdraw action, `verify` and `audit`. */
export const WITHDRAWAL_PREDICATE_TYPE = 'https://immutable-release.dev/withdrawal/v1'
export const WITHDRAWAL_FILE = 'withdrawal.json'
export const WITHDRAWAL_BUNDLE_FILE = 'withdrawal.sigstore.json'
export const WITHDRAWAL_TAG_PREFIX = 'withdrawn/'

/** The tag of the release that carries the withdrawal of `tag`. */
export function withdrawalTagFor(tag: string): string {
  return `${WITHDRAWAL_TAG_PREFIX}${tag}`
}

/** The tag a withdrawal release withdraws, or undefined for any other tag. */
export function withdrawnTagOf(withdrawalTag: string): string | undefined {
  return withdrawalTag.startsWith(WITHDRAWAL_TAG_PREFIX)
    ? withdrawalTag.slice(WITHDRAWAL_TAG_PREFIX.length) || undefined
    : undefined
}
