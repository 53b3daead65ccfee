import { canonicalJson } from '../util/canonical-json.ts'
import { hashBytes } from '../util/digest.ts'
import { compareNames } from './order.ts'
import {
  MANIFEST_SCHEMA_VERSION,
  type Manifest,
  type ManifestSource,
  type ManifestSubject,
  type Subject,
} from './types.ts'

/** The manifest document for these subjects: sorted by name, without local paths. */
export function manifestOf(source: ManifestSource, subjects: readonly Subject[]): Manifest {
  const cleanSource: ManifestSource = {}
  if (source.commit) cleanSource.commit = source.commit
  if (source.repository) cleanSource.repository = source.repository
  if (source.tag) cleanSource.tag = source.tag
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    source: cleanSource,
    subjects: [...subjects].sort((a, b) => compareNames(a.name, b.name)).map(toManifestSubject),
  }
}

/** Keys inserted in UTF-16 order, as canonicalText writes them, so that it need not copy. */
function toManifestSubject(subject: Subject): ManifestSubject {
  const digest = subject.digest.sha512
    ? { sha256: subject.digest.sha256, sha512: subject.digest.sha512 }
    : { sha256: subject.digest.sha256 }
  const { archive, mediaType, name, path, size, source } = subject
  if (archive) {
    return size !== undefined
      ? { archive, digest, mediaType, name, path, size, source }
      : { archive, digest, mediaType, name, path, source }
  }
  return size !== undefined
    ? { digest, mediaType, name, path, size, source }
    : { digest, mediaType, name, path, source }
}

/** RFC 8785 bytes of a manifest and its content address `sha256:<hex>`. */
export function serializeManifest(manifest: Manifest): { bytes: Buffer; digest: string } {
  const bytes = Buffer.from(canonicalText(manifest), 'utf8')
  return { bytes, digest: `sha256:${hashBytes(bytes)}` }
}

/** ES2024's String.prototype.isWellFormed (Node 20+), beyond the configured lib. */
interface WellFormedCheck {
  isWellFormed(): boolean
}

/** A key that objects enumerate before the others, in numeric order, whatever the insertion. */
const ARRAY_INDEX_KEY = /^(?:0|[1-9]\d*)$/

/** Thrown by `canonicalForm` for data it cannot promise the canonical order of. */
class NotPlain extends Error {}

/**
 * RFC 8785 text of JSON data. For plain data (plain objects and arrays, well-formed strings,
 * finite numbers, booleans, null), which a manifest is, `JSON.stringify` writes it: RFC 8785
 * strings and numbers are JSON.stringify's, and objects enumerate string keys in insertion
 * order. An object whose keys are already in UTF-16 order (as the manifest builds its subjects)
 * is written as it is; only one in another order is copied, keys re-inserted in order. Anything
 * else (a key like "7", which objects list first; toJSON, class instances, lone surrogates,
 * NaN) goes to the general library. The same text either way (a property test compares them);
 * for 20,000 subjects, on a first call as the CLI makes it, 25-40 ms instead of 56-75 ms
 * (copying every object); the library took 54 ms.
 */
export function canonicalText(value: unknown): string {
  let form: unknown
  try {
    form = canonicalForm(value)
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error
    return canonicalJson(value).toString('utf8')
  }
  const text = JSON.stringify(form) as string | undefined
  if (text === undefined) throw new TypeError('value cannot be represented as JSON')
  return text
}

/**
 * Sorted key lists of the object shapes met out of order, by the keys in insertion order. A
 * manifest repeats a few shapes (an archive member) thousands of times. Compared key by key,
 * the most recent hit first; bounded, so data of many shapes cannot grow it.
 */
const KEY_ORDERS: { keys: readonly string[]; sorted: readonly string[] }[] = []
const KEY_ORDERS_MAX = 64

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function sortedKeys(keys: readonly string[]): readonly string[] {
  for (let i = 0; i < KEY_ORDERS.length; i++) {
    const known = KEY_ORDERS[i] as (typeof KEY_ORDERS)[number]
    if (sameKeys(known.keys, keys)) {
      if (i > 0) KEY_ORDERS.unshift(...KEY_ORDERS.splice(i, 1))
      return known.sorted
    }
  }
  const sorted = [...keys].sort()
  if (KEY_ORDERS.length >= KEY_ORDERS_MAX) KEY_ORDERS.pop()
  KEY_ORDERS.unshift({ keys, sorted })
  return sorted
}

const DIGIT_0 = 0x30
const DIGIT_9 = 0x39

/** NotPlain for a key whose place in the canonical order is not its UTF-16 order. */
function checkKey(key: string): void {
  const first = key.charCodeAt(0)
  if (
    (first >= DIGIT_0 && first <= DIGIT_9 && ARRAY_INDEX_KEY.test(key)) ||
    key === '__proto__' ||
    !(key as unknown as WellFormedCheck).isWellFormed()
  )
    throw new NotPlain()
}

/** `value` itself when JSON.stringify writes it canonically, else a copy that it does. */
function canonicalForm(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      if (!(value as unknown as WellFormedCheck).isWellFormed()) throw new NotPlain()
      return value
    case 'number':
      if (!Number.isFinite(value)) throw new NotPlain()
      return value
    case 'boolean':
      return value
    case 'object': {
      if (value === null) return null
      if (Array.isArray(value)) {
        let copy: unknown[] | undefined
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new NotPlain() // a hole: the library says what it means
          const item: unknown = value[i]
          const form = canonicalForm(item)
          if (form !== item && !copy) copy = value.slice(0, i)
          copy?.push(form)
        }
        return copy ?? value
      }
      const prototype: unknown = Object.getPrototypeOf(value)
      if (prototype !== Object.prototype && prototype !== null) throw new NotPlain()
      const record = value as Record<string, unknown>
      const keys = Object.keys(record)
      let inOrder = true
      // Each value read once: the copy, when there is one, takes these, not a second read.
      const forms = new Array<unknown>(keys.length)
      let changed = false
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string
        checkKey(key)
        if (i > 0 && !((keys[i - 1] as string) < key)) inOrder = false
        const item = record[key]
        const form = canonicalForm(item)
        forms[i] = form
        if (form !== item) changed = true
      }
      if (inOrder && !changed) return record
      const copy: Record<string, unknown> = {}
      if (inOrder) {
        for (let i = 0; i < keys.length; i++) copy[keys[i] as string] = forms[i]
        return copy
      }
      const formOf = new Map<string, unknown>()
      for (let i = 0; i < keys.length; i++) formOf.set(keys[i] as string, forms[i])
      for (const key of sortedKeys(keys)) copy[key] = formOf.get(key)
      return copy
    }
    default:
      throw new NotPlain()
  }
}

/**
 * `sha256sum -c` input for the subjects: `<hex>  <name>` lines sorted by name. It lists every
 * subject and nothing else: `release-manifest.json` is released beside it and is checked
 * through its own signature (its digest is the release's address), so SHA256SUMS stays the
 * plain "did my download arrive intact" tool people expect.
 */
export function sha256sumsOf(subjects: readonly Pick<Subject, 'name' | 'digest'>[]): string {
  return [...subjects]
    .sort((a, b) => compareNames(a.name, b.name))
    .map((subject) => `${subject.digest.sha256}  ${subject.name}\n`)
    .join('')
}
