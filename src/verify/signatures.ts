// Sigstore bundle verification as the checks read it: a verified statement, or the reasons
// it does not verify, spelled out for a reviewer.
import { GITHUB_ACTIONS_OIDC_ISSUER, verifyBundle } from '../sign/index.ts'
import type { VerifiedBundle } from '../sign/index.ts'
import { errorMessage } from '../util/errors.ts'
import { parseJson } from './files.ts'
import type { SignedBundle } from './types.ts'

/** Verifies the bundle `name` against the trusted root; a missing or failing one is a problem. */
export function verifySigned(
  bundleBytes: Buffer | undefined,
  name: string,
  trustedRoot: unknown,
): SignedBundle {
  if (!bundleBytes) return { problems: [`${name} is missing`] }
  try {
    const verified = verifyBundle(parseJson(bundleBytes, name), {
      trustedRoot,
      identity: { issuer: GITHUB_ACTIONS_OIDC_ISSUER },
    })
    return { verified, problems: [] }
  } catch (error) {
    return { problems: [`${name}: ${describeVerificationFailure(error)}`] }
  }
}

/**
 * The verifier's message with the causes under it and its code: @sigstore/verify wraps the
 * reason (say, a certificate expired at the timestamp's time) in "Failed to verify
 * certificate chain", which alone does not tell a reviewer what is wrong.
 */
function describeVerificationFailure(error: unknown): string {
  let text = errorMessage(error)
  let cause: unknown = (error as { cause?: unknown }).cause
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (!text.includes(cause.message)) text += `: ${cause.message}`
    cause = (cause as { cause?: unknown }).cause
  }
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? `${text} [${code}]` : text
}

/** What witnessed the signing time: transparency-log entries and signed timestamps. */
export function describeWitness(verified: VerifiedBundle): string {
  const parts = []
  if (verified.tlogEntries > 0) parts.push(`${verified.tlogEntries} transparency-log entry`)
  if (verified.rfc3161Timestamps > 0) parts.push(`${verified.rfc3161Timestamps} signed timestamp`)
  return parts.join(' and ')
}
