import { bundleFromJSON } from '@sigstore/bundle'
import type { SerializedBundle } from '@sigstore/bundle'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify'
import type { ObjectIdentifierValuePair, VerificationPolicy } from '@sigstore/verify'
import { errorMessage } from '../util/errors.ts'
import { IN_TOTO_PAYLOAD_TYPE } from './constants.ts'
import { FULCIO_OID, derUtf8String, oidArcs, parseDerUtf8String } from './fulcio-oids.ts'
import type { FulcioExtensionName } from './fulcio-oids.ts'

/**
 * Who must have signed. A string SAN must match exactly; a RegExp is used as given.
 * Certificate extension values are compared exactly.
 */
export interface IdentityPolicy {
  subjectAlternativeName?: string | RegExp
  issuer?: string
  buildSignerURI?: string
  sourceRepositoryURI?: string
  sourceRepositoryRef?: string
  sourceRepositoryDigest?: string
}

export interface VerifyBundleOptions {
  /** protobuf-specs TrustedRoot JSON (the content of a `trusted_root.json`). */
  trustedRoot: unknown
  identity: IdentityPolicy
  /**
   * Demand a verified transparency-log entry. Without it, one trusted timestamp is enough
   * (a Rekor entry's integrated time or an RFC 3161 timestamp), which is what bundles from
   * GitHub's private instance carry. Every entry present is verified either way.
   */
  requireTlog?: boolean
}

/** The signing certificate's identity, as Fulcio recorded it. */
export type SignerExtensions = Partial<Record<FulcioExtensionName, string>>

export interface VerifiedSigner extends SignerExtensions {
  subjectAlternativeName?: string
  issuer?: string
}

export interface VerifiedBundle {
  signer: VerifiedSigner
  payloadType: string
  /** The verified DSSE payload, parsed. */
  statement: unknown
  tlogEntries: number
  rfc3161Timestamps: number
}

/** A bundle that does not verify; `code` is @sigstore/verify's (e.g. `TLOG_BODY_ERROR`). */
export class BundleVerificationError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BundleVerificationError'
    this.code = code
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function policyFor(identity: IdentityPolicy): VerificationPolicy {
  const policy: VerificationPolicy = {}
  if (identity.subjectAlternativeName !== undefined) {
    // @sigstore/verify treats a string as an unanchored pattern; a policy string means "exactly this".
    policy.subjectAlternativeName =
      typeof identity.subjectAlternativeName === 'string'
        ? new RegExp(`^${escapeRegExp(identity.subjectAlternativeName)}$`)
        : identity.subjectAlternativeName
  }
  if (identity.issuer !== undefined) policy.extensions = { issuer: identity.issuer }
  const oids: ObjectIdentifierValuePair[] = []
  const exact: [FulcioExtensionName, string | undefined][] = [
    ['buildSignerURI', identity.buildSignerURI],
    ['sourceRepositoryURI', identity.sourceRepositoryURI],
    ['sourceRepositoryRef', identity.sourceRepositoryRef],
    ['sourceRepositoryDigest', identity.sourceRepositoryDigest],
  ]
  for (const [name, value] of exact) {
    if (value !== undefined)
      oids.push({ oid: { id: oidArcs(FULCIO_OID[name]) }, value: derUtf8String(value) })
  }
  if (oids.length > 0) policy.oids = oids
  return policy
}

function signerDetails(
  identity:
    | {
        subjectAlternativeName?: string
        extensions?: { issuer?: string }
        oids?: ObjectIdentifierValuePair[]
      }
    | undefined,
): VerifiedSigner {
  const signer: VerifiedSigner = {}
  if (identity?.subjectAlternativeName)
    signer.subjectAlternativeName = identity.subjectAlternativeName
  if (identity?.extensions?.issuer) signer.issuer = identity.extensions.issuer
  for (const [name, oid] of Object.entries(FULCIO_OID) as [FulcioExtensionName, string][]) {
    const found = identity?.oids?.find((o) => o.oid?.id.join('.') === oid)
    const value = found ? parseDerUtf8String(Buffer.from(found.value)) : undefined
    if (value !== undefined) signer[name] = value
  }
  return signer
}

/**
 * Verifies a Sigstore bundle against a trusted root and an identity policy with
 * @sigstore/verify: certificate chain and embedded SCT, transparency-log inclusion and body,
 * RFC 3161 timestamps, the DSSE signature, then the signer's identity.
 */
export function verifyBundle(
  bundle: SerializedBundle | unknown,
  options: VerifyBundleOptions,
): VerifiedBundle {
  let parsed: ReturnType<typeof bundleFromJSON>
  let trustMaterial: ReturnType<typeof toTrustMaterial>
  try {
    parsed = bundleFromJSON(bundle)
  } catch (error) {
    throw new BundleVerificationError(
      'BUNDLE_FORMAT_ERROR',
      `not a valid Sigstore bundle: ${errorMessage(error)}`,
    )
  }
  try {
    trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(options.trustedRoot))
  } catch (error) {
    throw new BundleVerificationError(
      'TRUSTED_ROOT_ERROR',
      `the trusted root cannot be used: ${errorMessage(error)}`,
    )
  }
  if (parsed.content.$case !== 'dsseEnvelope') {
    throw new BundleVerificationError(
      'BUNDLE_FORMAT_ERROR',
      'the bundle holds a message signature, not a DSSE attestation',
    )
  }
  const envelope = parsed.content.dsseEnvelope
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new BundleVerificationError(
      'BUNDLE_FORMAT_ERROR',
      `the DSSE payload type is ${envelope.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}`,
    )
  }
  const verifier = new Verifier(trustMaterial, {
    ctlogThreshold: 1,
    tlogThreshold: options.requireTlog ? 1 : 0,
    timestampThreshold: 1,
  })
  let signer: ReturnType<Verifier['verify']>
  try {
    signer = verifier.verify(toSignedEntity(parsed), policyFor(options.identity))
  } catch (error) {
    const code =
      typeof (error as { code?: unknown }).code === 'string'
        ? (error as { code: string }).code
        : 'VERIFICATION_ERROR'
    throw new BundleVerificationError(code, `the bundle does not verify: ${errorMessage(error)}`, {
      cause: error,
    })
  }
  let statement: unknown
  try {
    statement = JSON.parse(envelope.payload.toString('utf8'))
  } catch {
    throw new BundleVerificationError('PAYLOAD_ERROR', 'the signed payload is not JSON')
  }
  return {
    signer: signerDetails(signer.identity),
    payloadType: envelope.payloadType,
    statement,
    tlogEntries: parsed.verificationMaterial.tlogEntries.length,
    rfc3161Timestamps:
      parsed.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0,
  }
}
