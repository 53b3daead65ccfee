import { createHmac } from 'node:crypto'
import { InputError } from '../util/errors.ts'

const INPUT = 'pseudonymization-key'
export const MIN_KEY_BYTES = 32
/** 128 bits: collisions stay negligible for any realistic number of people. */
const PSEUDONYM_HEX_LENGTH = 32
const KEY_ID_PATTERN = /^[0-9a-z-]{1,32}$/

/** Separates identifier spaces so one value never maps to the same pseudonym in two of them. */
export type PseudonymDomain = 'github-user' | 'email' | 'approver'

export interface PseudonymizerOptions {
  /**
   * Names the key period, e.g. `2025-h1`. Default: the first 8 hex digits of
   * HMAC-SHA256(key, "immutable-release key-id"), which identifies the key without revealing it.
   */
  keyId?: string
}

/**
 * Keyed pseudonyms (GDPR Art. 4(5)): `ps:<keyId>:<32 hex>`, the first 128 bits of
 * HMAC-SHA256(key, domain ":" normalised identifier). The same person maps to the same
 * pseudonym for one key and domain, so an auditor can follow someone across releases of one key
 * period; whoever holds the key can re-identify by recomputing, nobody else can. Pseudonymised
 * data is still personal data; see docs/gdpr.md.
 */
export class Pseudonymizer {
  readonly keyId: string
  // A private field: util.inspect, JSON.stringify and error reporters never see the key.
  readonly #key: Buffer

  private constructor(key: Buffer, keyId: string) {
    this.#key = key
    this.keyId = keyId
  }

  /**
   * The key is the UTF-8 bytes of the secret, without surrounding whitespace. Generate one with
   * `openssl rand -base64 48`.
   */
  static fromKey(secret: string, options: PseudonymizerOptions = {}): Pseudonymizer {
    const key = Buffer.from(secret.trim(), 'utf8')
    if (key.length < MIN_KEY_BYTES) {
      throw new InputError(
        INPUT,
        `the key is ${key.length} bytes; it must be at least ${MIN_KEY_BYTES} random bytes (generate one with: openssl rand -base64 48)`,
      )
    }
    if (new Set(key).size < 8) {
      throw new InputError(
        INPUT,
        'the key repeats a handful of characters; use random bytes (openssl rand -base64 48)',
      )
    }
    let keyId = options.keyId
    if (keyId === undefined) {
      keyId = createHmac('sha256', key).update('immutable-release key-id').digest('hex').slice(0, 8)
    } else if (!KEY_ID_PATTERN.test(keyId)) {
      throw new InputError(
        INPUT,
        'the key id must be 1 to 32 lower-case letters, digits or hyphens, e.g. 2025-h1',
      )
    }
    return new Pseudonymizer(key, keyId)
  }

  pseudonym(domain: PseudonymDomain, identifier: string): string {
    const normalised = normaliseIdentifier(domain, identifier)
    const mac = createHmac('sha256', this.#key).update(`${domain}:${normalised}`).digest('hex')
    return `ps:${this.keyId}:${mac.slice(0, PSEUDONYM_HEX_LENGTH)}`
  }

  /**
   * An approver as written in a change record: `@login` or `github:login` is a GitHub account
   * (the same pseudonym as that account triggering a run, so self-approval shows), an e-mail
   * address is an e-mail, anything else an opaque approver identifier.
   */
  approver(value: string): string {
    const trimmed = value.trim()
    const github = /^(?:@|github:)([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?)$/i.exec(
      trimmed,
    )
    if (github?.[1]) return this.pseudonym('github-user', github[1])
    if (/^[^\s@]+@[^\s@]+$/.test(trimmed)) return this.pseudonym('email', trimmed)
    return this.pseudonym('approver', trimmed)
  }

  toJSON(): { keyId: string } {
    return { keyId: this.keyId }
  }
}

function normaliseIdentifier(domain: PseudonymDomain, identifier: string): string {
  const text = identifier.normalize('NFKC').trim()
  switch (domain) {
    case 'github-user':
      // Logins are case-insensitive on GitHub.
      return text.replace(/^@/, '').toLowerCase()
    case 'email':
      return text.toLowerCase()
    case 'approver':
      return text.replace(/\s+/g, ' ').toLowerCase()
  }
}
