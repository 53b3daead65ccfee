// The digest vocabulary: what a SHA-256 or a commit id looks like, and how bytes are hashed.
// One definition, so the manifest, the signer, the change record, the release flow and the
// verifier accept exactly the same spellings.
import { createHash } from 'node:crypto'

/** A SHA-256 digest as 64 lower-case hex digits (the spelling every file the action writes uses). */
export const SHA256_HEX = /^[0-9a-f]{64}$/

/** A full 40-digit (SHA-1) git commit id; either case, as users and GitHub may spell it. */
export const COMMIT_SHA = /^[0-9a-f]{40}$/i

/**
 * A full git object id in lower case: 40 hex digits (SHA-1 repositories) or 64 (SHA-256 ones),
 * as git and GitHub write them.
 */
export const GIT_OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/

/** The lower-case hex SHA-256 of `data` (a string is hashed as its UTF-8 bytes). */
export function hashBytes(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Whether `value` is a SHA-256 digest spelled as 64 lower-case hex digits. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value)
}
