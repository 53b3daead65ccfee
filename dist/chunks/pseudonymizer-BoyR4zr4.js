import { createHmac } from 'node:crypto';
import { I as InputError } from './log-text-O5UIUIY4.js';

const INPUT = "pseudonymization-key";
const MIN_KEY_BYTES = 32;
const PSEUDONYM_HEX_LENGTH = 32;
const KEY_ID_PATTERN = /^[0-9a-z-]{1,32}$/;
const DEFAULT_KEY_ID = "k1";
const DOMAIN_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._:/-]{0,99}$/;
const MAC_LABEL = "immutable-release pseudonym v2";
class Pseudonymizer {
  keyId;
  domain;
  // A private field: util.inspect, JSON.stringify and error reporters never see the key.
  #key;
  constructor(key, keyId, domain) {
    this.#key = key;
    this.keyId = keyId;
    this.domain = domain;
  }
  /**
   * The key is the UTF-8 bytes of the secret, without surrounding whitespace. Generate one with
   * `openssl rand -base64 48`.
   */
  static fromKey(secret, options = {}) {
    const key = Buffer.from(secret.trim(), "utf8");
    if (key.length < MIN_KEY_BYTES) {
      throw new InputError(
        INPUT,
        `the key is ${key.length} bytes; it must be at least ${MIN_KEY_BYTES} random bytes (generate one with: openssl rand -base64 48)`
      );
    }
    if (new Set(key).size < 8) {
      throw new InputError(
        INPUT,
        "the key repeats a handful of characters; use random bytes (openssl rand -base64 48)"
      );
    }
    const keyId = options.keyId ?? DEFAULT_KEY_ID;
    if (!KEY_ID_PATTERN.test(keyId)) {
      throw new InputError(
        "pseudonymization-key-id",
        "the key id must be 1 to 32 lower-case letters, digits or hyphens, e.g. 2025-h1"
      );
    }
    const domain = options.domain ?? "unscoped";
    if (!DOMAIN_PATTERN.test(domain)) {
      throw new InputError(
        "pseudonymization-domain",
        "the domain must be 1 to 100 letters, digits or . _ : / -, starting with a letter or digit (e.g. the repository id 123456, or example-org)"
      );
    }
    return new Pseudonymizer(key, keyId, domain);
  }
  pseudonym(type, identifier) {
    const normalised = normaliseIdentifier(type, identifier);
    const mac = createHmac("sha256", this.#key).update([MAC_LABEL, this.domain, this.keyId, type, normalised].join("\0")).digest("hex");
    return `ps:${this.keyId}:${mac.slice(0, PSEUDONYM_HEX_LENGTH)}`;
  }
  /**
   * An approver as written in a change record: `@login` or `github:login` is a GitHub account
   * (the same pseudonym the `pseudonym` command gives for that login), an e-mail
   * address is an e-mail, anything else an opaque approver identifier.
   */
  approver(value) {
    const trimmed = value.trim();
    const github = /^(?:@|github:)([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?)$/i.exec(
      trimmed
    );
    if (github?.[1]) return this.pseudonym("github-user", github[1]);
    if (/^[^\s@]+@[^\s@]+$/.test(trimmed)) return this.pseudonym("email", trimmed);
    return this.pseudonym("approver", trimmed);
  }
  toJSON() {
    return { keyId: this.keyId, domain: this.domain };
  }
}
function normaliseIdentifier(type, identifier) {
  const text = identifier.normalize("NFKC").trim();
  switch (type) {
    case "github-user":
      return text.replace(/^@/, "").toLowerCase();
    case "email":
      return text.toLowerCase();
    case "approver":
      return text.replace(/\s+/g, " ").toLowerCase();
  }
}
function pseudonymizerForAction(settings) {
  if (!settings.key) return void 0;
  const domain = settings.domain || settings.repositoryId;
  if (!domain) {
    throw new InputError(
      "pseudonymization-domain",
      "the runner did not say the repository id (GITHUB_REPOSITORY_ID); set pseudonymization-domain to a name for the set of repositories whose pseudonyms may be linked, e.g. example-org"
    );
  }
  return Pseudonymizer.fromKey(settings.key, {
    keyId: settings.keyId || DEFAULT_KEY_ID,
    domain
  });
}

export { Pseudonymizer as P, pseudonymizerForAction as p };
