// The names of the files the action adds to every release, and the statement type both of its
// attestations use: one list, so the manifest's reserved names, the signer, the change record
// and the verifier cannot drift apart.

/** The content-addressed manifest; a subject of both statements. */
export const MANIFEST_FILE = 'release-manifest.json'
/** The Sigstore bundle of the manifest's SLSA provenance. */
export const PROVENANCE_BUNDLE_FILE = 'release-manifest.sigstore.json'
/** The change record as RFC 8785 canonical JSON. */
export const CHANGE_RECORD_FILE = 'change-record.json'
/** The Sigstore bundle of the change record's statement. */
export const CHANGE_RECORD_BUNDLE_FILE = 'change-record.sigstore.json'
/** The artifacts' digests in `sha256sum -c` form. */
export const SHA256SUMS_FILE = 'SHA256SUMS'

/** Every file the action publishes itself; an artifact with one of these names would collide. */
export const RELEASE_METADATA_FILES: readonly string[] = Object.freeze([
  MANIFEST_FILE,
  PROVENANCE_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  CHANGE_RECORD_BUNDLE_FILE,
  SHA256SUMS_FILE,
])

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1'

// Withdrawals (src/withdrawal/): here rather than there because the change record's history
// reads them, and the withdrawal record uses the change record's rules; neither imports the other.

/** The withdrawal record, as RFC 8785 canonical JSON, on the release `withdrawn/<tag>`. */
export const WITHDRAWAL_FILE = 'withdrawal.json'
/** The Sigstore bundle of the withdrawal statement. */
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
