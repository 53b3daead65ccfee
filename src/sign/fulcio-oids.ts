/**
 * Fulcio certificate extensions for GitHub Actions identities
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md). From 1.8 on, values are
 * DER-encoded UTF8Strings; 1.1-1.6 are deprecated raw strings and are not used here.
 */
export const FULCIO_OID = {
  issuer: '1.3.6.1.4.1.57264.1.8',
  buildSignerURI: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryURI: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  sourceRepositoryIdentifier: '1.3.6.1.4.1.57264.1.15',
  sourceRepositoryOwnerURI: '1.3.6.1.4.1.57264.1.16',
  sourceRepositoryOwnerIdentifier: '1.3.6.1.4.1.57264.1.17',
  buildConfigURI: '1.3.6.1.4.1.57264.1.18',
  buildConfigDigest: '1.3.6.1.4.1.57264.1.19',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationURI: '1.3.6.1.4.1.57264.1.21',
  sourceRepositoryVisibilityAtSigning: '1.3.6.1.4.1.57264.1.22',
} as const

export type FulcioExtensionName = keyof typeof FULCIO_OID

const UTF8_STRING = 0x0c

export function derUtf8String(value: string): Buffer {
  const content = Buffer.from(value, 'utf8')
  const length = content.length
  let header: Buffer
  if (length < 0x80) header = Buffer.from([UTF8_STRING, length])
  else {
    const lengthBytes: number[] = []
    for (let n = length; n > 0; n = Math.floor(n / 256)) lengthBytes.unshift(n % 256)
    header = Buffer.from([UTF8_STRING, 0x80 | lengthBytes.length, ...lengthBytes])
  }
  return Buffer.concat([header, content])
}

/** The string inside a DER UTF8String, or undefined when `der` is not exactly one. */
export function parseDerUtf8String(der: Buffer): string | undefined {
  if (der.length < 2 || der[0] !== UTF8_STRING) return undefined
  const first = der[1] as number
  let offset = 2
  let length = first
  if (first & 0x80) {
    const count = first & 0x7f
    if (count === 0 || count > 4 || der.length < 2 + count) return undefined
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] as number)
    offset = 2 + count
  }
  if (offset + length !== der.length) return undefined
  return der.subarray(offset).toString('utf8')
}

export function oidArcs(oid: string): number[] {
  return oid.split('.').map(Number)
}
