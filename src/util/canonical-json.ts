import canonicalize from 'canonicalize'

/** RFC 8785 (JSON Canonicalization Scheme) bytes of a JSON value. */
export function canonicalJson(value: unknown): Buffer {
  const text = canonicalize(value)
  if (text === undefined) throw new TypeError('value cannot be represented as JSON')
  return Buffer.from(text, 'utf8')
}
