import { createHmac } from 'node:crypto'
import { InputError } from '../util/errors.ts'

const INPUT = 'pseudonymization-key'
export const MIN_KEY_BYTES = 32
/** 128 bits: collisions stay negligible for any realistic number of people. */
const PSEUDONYM_HEX_LENGTH = 32
const KEY_ID_PATTERN = /^[0-9a-z-]{1,32}$/

/** Separates identifier spaces so one value never maps to the same pseudonym in two of them. */
export type PseudonymDomain = 'github-user' | 'email' | 'approver'

/** The key period when none is named. */
export const DEFAULT_KEY_ID = 'k1'
/** What a pseudonymisation domain may be: a repository id, or an organisation's own name. */
const DOMAIN_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._:/-]{0,99}$/
/** Versions the MAC input below; a new layout needs a new label. */
const MAC_LABEL = 'immutable-release pseudonym v2'

export interface PseudonymizerOptions {
  /**
   * Names the key period, e.g. `2025-h1` (default `k1`). It is part of the MAC: the same key
   * under another id gives other pseudonyms, so a new period starts a new set of pseudonyms.
   */
  keyId?: string
  /**
   * Who may link pseudonyms to one another: the repository's numeric id by default (one person
   * gets unrelated pseudonyms in two repositories), or a name an organisation chooses to share
   * one domain across its repositories. Part of the MAC.
   */
  domain?: string
}

/**
 * Keyed pseudonyms (GDPR Art. 4(5)): `ps:<keyId>:<32 hex>`, the first 128 bits of
 * HMAC-SHA256(key, label NUL domain NUL keyId NUL identifier type NUL normalised identifier).
 * The same person maps to the same pseudonym for one key, key id and domain, so an auditor can
 * follow someone across the releases of one repository and key period; whoever holds the key
 * can re-identify by recomputing (the `pseudonym` command), nobody else can. Pseudonymised data
 * is still personal data; see docs/gdpr.md.
 */
export class Pseudonymizer {
  readonly keyId: string
  readonly domain: string
  // A private field: util.inspect, JSON.stringify and error reporters never see the key.
  readonly #key: Buffer

  private constructor(key: Buffer, keyId: string, domain: string) {
    this.#key = key
    this.keyId = keyId
    this.domain = domain
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
    const keyId = options.keyId ?? DEFAULT_KEY_ID
    if (!KEY_ID_PATTERN.test(keyId)) {
      throw new InputError(
        'pseudonymization-key-id',
        'the key id must be 1 to 32 lower-case letters, digits or hyphens, e.g. 2025-h1',
      )
    }
    // Without a domain (a library caller that names none) pseudonyms are bound to this word.
    const domain = options.domain ?? 'unscoped'
    if (!DOMAIN_PATTERN.test(domain)) {
      throw new InputError(
        'pseudonymization-domain',
        'the domain must be 1 to 100 letters, digits or . _ : / -, starting with a letter or digit (e.g. the repository id 123456, or example-org)',
      )
    }
    return new Pseudonymizer(key, keyId, domain)
  }

  pseudonym(type: PseudonymDomain, identifier: string): string {
    const normalised = normaliseIdentifier(type, identifier)
    const mac = createHmac('sha256', this.#key)
      .update([MAC_LABEL, this.domain, this.keyId, type, normalised].join('\u0000'))
      .digest('hex')
    return `ps:${this.keyId}:${mac.slice(0, PSEUDONYM_HEX_LENGTH)}`
  }

  /**
   * An approver as written in a change record: `@login` or `github:login` is a GitHub account
   * (the same pseudonym the `pseudonym` command gives for that login), an e-mail
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

  toJSON(): { keyId: string; domain: string } {
    return { keyId: this.keyId, domain: this.domain }
  }
}

function normaliseIdentifier(type: PseudonymDomain, identifier: string): string {
  const text = identifier.normalize('NFKC').trim()
  switch (type) {
    case 'github-user':
      // Logins are case-insensitive on GitHub.
      return text.replace(/^@/, '').toLowerCase()
    case 'email':
      return text.toLowerCase()
    case 'approver':
      return text.replace(/\s+/g, ' ').toLowerCase()
  }
}

export interface ActionPseudonymizerSettings {
  /** The `pseudonymization-key` input; empty for none. */
  key: string
  /** The `pseudonymization-key-id` input; empty for the default. */
  keyId: string
  /** The `pseudonymization-domain` input; empty for the repository's numeric id. */
  domain: string
  /** GITHUB_REPOSITORY_ID. */
  repositoryId: string | undefined
}

/**
 * The action's pseudonymizer, or none without a key. The domain is the repository's numeric id
 * (which survives a rename) unless the workflow names one.
 */
export function pseudonymizerForAction(
  settings: ActionPseudonymizerSettings,
): Pseudonymizer | undefined {
  if (!settings.key) return undefined
  const domain = settings.domain || settings.repositoryId
  if (!domain) {
    throw new InputError(
      'pseudonymization-domain',
      'the runner did not say the repository id (GITHUB_REPOSITORY_ID); set pseudonymization-domain to a name for the set of repositories whose pseudonyms may be linked, e.g. example-org',
    )
  }
  return Pseudonymizer.fromKey(settings.key, {
    keyId: settings.keyId || DEFAULT_KEY_ID,
    domain,
  })
}
