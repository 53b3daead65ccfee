import { isIPv6 } from 'node:net'
import { InputError } from '../util/errors.ts'
import type { ChangeRecord, ChangeRecordInput } from './types.ts'

/**
 * Keeps personal data out of everything that is signed or published. Signatures, certificates
 * and release assets are public and permanent, and the GDPR right to erasure cannot reach them,
 * so the guard fails closed: a false alarm costs a renamed file or a reworded sentence, a miss
 * costs a permanent disclosure. Where a pattern is ambiguous the choice is documented next to
 * it and in docs/gdpr.md.
 */

export type PersonalDataKind =
  | 'email'
  | 'phone'
  | 'ipv4'
  | 'ipv6'
  | 'author-name'
  | 'author-login'
  | 'author-email'
  | 'mention'
  | 'actor-login'
  | 'approver-id'

/** A string that will enter a signed payload or a release asset, and where it sits. */
export interface ScannedField {
  /** JSON Pointer into the record, or a description such as `subject:dist/app.tgz`. */
  path: string
  value: string
  /** The action input the value came from, named in the error (default `change-record`). */
  input?: string
}

export interface Finding {
  path: string
  kind: PersonalDataKind
  /** The datum with most characters masked: enough to find it, not enough to disclose it. */
  masked: string
  input?: string
}

export interface CommitAuthor {
  name?: string
  email?: string
}

/**
 * A person the run knows by an identifier that must not appear in plain text: the account that
 * triggered the run (GITHUB_ACTOR, GITHUB_TRIGGERING_ACTOR) or an approver as the change-record
 * file names them (`@login`, `github:login`, an e-mail address, an employee number ...).
 */
export interface KnownPerson {
  kind: 'actor-login' | 'approver-id'
  identifier: string
}

/** Work counted by the scan, so a test can show that it grows linearly with the input. */
export interface ScanStats {
  steps: number
}

export interface ScanOptions {
  /** Authors (and co-authors) of the commits in the release's range. */
  authors?: readonly CommitAuthor[]
  /** The triggering actor and the approvers: searched for like commit authors. */
  people?: readonly KnownPerson[]
  /** When given, the IPv6 scan and the overlap check add the characters they visit. */
  stats?: ScanStats
  /** Functional mailboxes the change record lists in `personalData.roleContacts`. */
  allowedContacts?: readonly string[]
  /**
   * Names the release publishes in any case, such as the repository owner and name: an author
   * whose name or login equals one of them is not searched for (it would flag every path).
   */
  publicNames?: readonly string[]
}

const KIND_LABEL: Record<PersonalDataKind, string> = {
  email: 'e-mail address',
  phone: 'phone number',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  'author-name': "a commit author's name",
  'author-login': "a commit author's GitHub login",
  'author-email': "a commit author's e-mail address",
  mention: "an @mention of a person's GitHub account",
  'actor-login': 'the GitHub login of the account that triggered the run',
  'approver-id':
    "an approver's identifier (it belongs only in change.approvals, where it is pseudonymised)",
}

// Addresses that name a service, not a person.
const SERVICE_ADDRESSES = new Set(['git@github.com', 'noreply@github.com'])
const BOT_NOREPLY = /^(?:\d+\+)?[a-z0-9-]+\[bot\]@users\.noreply\.github\.com$/i
const NOREPLY_LOGIN = /^(?:\d+\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)@users\.noreply\.github\.com$/i
// Author names too generic to search for without flagging ordinary words.
const GENERIC_AUTHOR_NAMES = new Set(['github', 'git', 'root', 'admin', 'ci', 'bot', 'unknown'])

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}(?![\p{L}\p{N}-])/gu

// Not glued to a word, a version (`1.0.0+2025...`) or a path; not the start of a time or date.
const BEFORE = String.raw`(?<![\p{L}\p{N}_.+\-/])`
const AFTER = String.raw`(?![\p{L}\p{N}_]|[.\-/:]\p{N})`
const DATE_SHAPED = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$/

interface PhonePattern {
  pattern: RegExp
  minDigits: number
  maxDigits: number
}

const PHONE_PATTERNS: PhonePattern[] = [
  // E.164 and international notation: +44 20 7946 0958, +1-202-555-0143, +49 (0)30 1234567.
  {
    // A + after a digit is semver build metadata (1.0.0+20250603), not a number.
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}+])\+\p{N}[\p{N}\s().\-/]{5,30}\p{N}${AFTER}`,
      'gu',
    ),
    minDigits: 8,
    maxDigits: 15, // E.164's maximum
  },
  // National numbers with a trunk prefix, grouped: 020 7946 0958, (030) 1234567, 06 12 34 56 78.
  // The first group must be 0 + digit, so versions (0.12.3) and ISO dates never match; ungrouped
  // digit runs (0123456789) are ids as often as numbers and are left alone.
  {
    pattern: new RegExp(
      String.raw`${BEFORE}\(?0\p{N}{1,5}\)?(?:[\s.\-/]{1,2}\p{N}{2,8}){1,5}${AFTER}`,
      'gu',
    ),
    minDigits: 9,
    maxDigits: 13,
  },
  // North American: (202) 555-0143, 202-555-0143, 202 555 0143 (not dotted: that is a version).
  {
    pattern: new RegExp(
      String.raw`${BEFORE}(?:\(\p{N}{3}\)\s?|\p{N}{3}[\s\-])\p{N}{3}[\s\-]\p{N}{4}${AFTER}`,
      'gu',
    ),
    minDigits: 10,
    maxDigits: 10,
  },
]

/**
 * The phone number a candidate holds. A greedy match can run into digits that follow the number
 * ("+1 202 555 0143 2025-01-01"); then the longest prefix of whole digit groups that fits is
 * taken, so trailing text cannot hide a number.
 */
function phoneIn(candidate: string, { minDigits, maxDigits }: PhonePattern): string | undefined {
  if (DATE_SHAPED.test(candidate)) return undefined
  let text = candidate
  let digits = text.replace(/\D/g, '').length
  while (digits > maxDigits) {
    const cut = text.search(/[\s().\-/]+\p{N}*$/u)
    if (cut <= 0) return undefined
    text = text.slice(0, cut)
    digits = text.replace(/\D/g, '').length
  }
  return digits >= minDigits ? text : undefined
}

/**
 * A dotted quad is an IPv4 address unless a `v` marks it as a version (`v1.2.3.4`): four-part
 * versions are rarer than addresses in the places scanned, and the fix for a false alarm is one
 * letter. Three-part versions (1.2.3) never match; neither do five parts (1.2.3.4.5).
 */
const IPV4 = /(?<![\p{N}.vV])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\.?\p{N})/gu

/**
 * `@login`: a GitHub account, and in release notes a notification to it. Scoped packages and
 * teams (`@sigstore/sign`, `@org/team`) are followed by a slash and are not people.
 */
const MENTION = /(?<=^|[\s(,;:"'])@([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})(?![\p{L}\p{N}_/@-])/gu

/**
 * The longest text an IPv6 address can be written as (`ffff:...:ffff:255.255.255.255`), with a
 * stray colon on either side: a longer run of hex digits, colons and dots is no address.
 */
const MAX_IPV6_TEXT = 47

export function scanForPersonalData(
  fields: readonly ScannedField[],
  options: ScanOptions = {},
): Finding[] {
  const matchers = authorMatchers(
    options.authors ?? [],
    options.people ?? [],
    options.publicNames ?? [],
  )
  const allowed = new Set((options.allowedContacts ?? []).map((c) => c.trim().toLowerCase()))
  const stats = options.stats ?? { steps: 0 }
  const findings: Finding[] = []
  const seen = new Set<string>()
  for (const field of fields) {
    const { read, closed } = scanViews(field.value)
    const report = findingReporter(field, read.length, seen, findings, stats)
    findEmailAddresses(read, matchers, allowed, report)
    findNamesAndMentions(read, matchers, report)
    findPhoneNumbers(read, report)
    findIpAddresses(read, report, stats)
    if (closed !== read) {
      const reportClosed = findingReporter(field, closed.length, seen, findings, stats)
      findEmailAddresses(closed, matchers, allowed, reportClosed)
    }
  }
  return findings
}

/**
 * The text the guard reads for one value: as a reader would see it once compatibility forms are
 * folded (NFKC: a fullwidth `＠` is `@`, fullwidth digits are digits), invisible format
 * characters (`\p{Cf}`: zero-width spaces, soft hyphens) are removed and percent-encoding (`%40`)
 * is decoded; and, for e-mail addresses, that text with the spaces around an `@` closed, as YAML
 * folding leaves them in an address broken across lines (`jane.doe@ example.com`).
 */
export function scanViews(raw: string): { read: string; closed: string } {
  const decoded = percentDecode(stripFormatCharacters(raw.normalize('NFKC'))).normalize('NFKC')
  const read = stripFormatCharacters(decoded)
  // Linear: the space run before an `@` is matched from its first character only.
  const closed = read.replace(/(?<!\s)\s+(?=@)/gu, '').replace(/@\s+/gu, '@')
  return { read, closed }
}

function stripFormatCharacters(text: string): string {
  return text.replace(/\p{Cf}/gu, '')
}

/** `%40` is `@`; bytes that are no UTF-8 are read as Latin-1, so nothing hides behind them. */
function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (encoded) => {
    try {
      return decodeURIComponent(encoded)
    } catch {
      return Buffer.from(encoded.replace(/%/g, ''), 'hex').toString('latin1')
    }
  })
}

/** Records one datum found at `start` (`length` characters) of a field's value. */
type ReportFinding = (kind: PersonalDataKind, masked: string, start: number, length: number) => void

/**
 * One datum is reported once: a name inside an e-mail address, or a number one pattern
 * already reported, is not reported again; nor is the same masked datum twice for one path.
 * The characters already reported are marked in a bitmap, so checking a finding costs its
 * length, and all findings together cost at most the text's length per finder.
 */
function findingReporter(
  field: ScannedField,
  textLength: number,
  seen: Set<string>,
  findings: Finding[],
  stats: ScanStats,
): ReportFinding {
  let claimed: Uint8Array | undefined
  return (kind, masked, start, length) => {
    claimed ??= new Uint8Array(textLength)
    const end = Math.min(start + length, textLength)
    for (let i = start; i < end; i++) {
      stats.steps++
      if (claimed[i]) return
    }
    claimed.fill(1, start, end)
    stats.steps += end - start
    const key = `${field.path}\u0000${kind}\u0000${masked}`
    if (seen.has(key)) return
    seen.add(key)
    findings.push({
      path: field.path,
      kind,
      masked,
      ...(field.input ? { input: field.input } : {}),
    })
  }
}

/** Commit authors' addresses anywhere in the text, then any other address not allowed. */
function findEmailAddresses(
  value: string,
  matchers: AuthorMatchers,
  allowed: ReadonlySet<string>,
  report: ReportFinding,
): void {
  const lower = value.toLowerCase()
  for (const [email, kind] of matchers.emails) {
    for (let at = lower.indexOf(email); at >= 0; at = lower.indexOf(email, at + 1)) {
      report(kind, maskEmail(email), at, email.length)
    }
  }
  for (const match of value.matchAll(EMAIL)) {
    const address = match[0].toLowerCase()
    const known = matchers.emails.get(address)
    if (known) {
      report(known, maskEmail(address), match.index, match[0].length)
    } else if (
      !allowed.has(address) &&
      !SERVICE_ADDRESSES.has(address) &&
      !BOT_NOREPLY.test(address)
    ) {
      report('email', maskEmail(match[0]), match.index, match[0].length)
    }
  }
}

function findNamesAndMentions(
  value: string,
  matchers: AuthorMatchers,
  report: ReportFinding,
): void {
  for (const { pattern, kind } of matchers.names) {
    for (const match of value.matchAll(pattern)) {
      report(kind, maskWords(match[0]), match.index, match[0].length)
    }
  }
  for (const match of value.matchAll(MENTION)) {
    report('mention', `@${[...(match[1] ?? '')][0] ?? ''}***`, match.index, match[0].length)
  }
}

function findPhoneNumbers(value: string, report: ReportFinding): void {
  for (const phone of PHONE_PATTERNS) {
    for (const match of value.matchAll(phone.pattern)) {
      const number = phoneIn(match[0], phone)
      if (number) report('phone', maskPhone(number), match.index, number.length)
    }
  }
}

function findIpAddresses(value: string, report: ReportFinding, stats: ScanStats): void {
  for (const match of value.matchAll(IPV4)) {
    const octets = match.slice(1, 5).map((o) => o ?? '')
    // Zero-padded octets (192.168.001.010) are the same address to every tool that reads it.
    if (octets.some((o) => Number(o) > 255)) continue
    const [first] = octets.map(Number)
    // The unspecified address, loopback and netmasks say nothing about anyone.
    if (octets.every((o) => Number(o) === 0) || first === 127 || first === 255) continue
    report('ipv4', `${first}.***.***.***`, match.index, match[0].length)
  }
  forEachIpv6Run(value, stats, (start, end) => {
    // Dots around a run belong to the sentence or the file name (`fe80::1.`), not the address.
    let from = start
    let to = end
    while (from < to && value[from] === '.') from++
    while (to > from && value[to - 1] === '.') to--
    if (to - from > MAX_IPV6_TEXT) return
    const candidate = value.slice(from, to)
    for (const address of [candidate, candidate.replace(/^:(?!:)/, '').replace(/(?<!:):$/, '')]) {
      stats.steps += address.length
      if (!isIPv6(address)) continue
      if (address === '::' || address === '::1') break
      report('ipv6', `${address.split(':')[0] || ':'}:***`, start, end - start)
      break
    }
  })
}

const COLON = 0x3a

function isIpv6Character(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x46) || // A-F
    (code >= 0x61 && code <= 0x66) || // a-f
    code === COLON ||
    code === 0x2e // .
  )
}

/**
 * Calls `visit` with every maximal run of hex digits, colons and dots that holds two colons or
 * more: one pass over the text. (A regular expression for the same runs backtracked over every
 * start of a long run of hex digits: 64 KB took 8.8 s.)
 */
function forEachIpv6Run(
  value: string,
  stats: ScanStats,
  visit: (start: number, end: number) => void,
): void {
  let i = 0
  while (i < value.length) {
    stats.steps++
    if (!isIpv6Character(value.charCodeAt(i))) {
      i++
      continue
    }
    const start = i
    let colons = 0
    while (i < value.length && isIpv6Character(value.charCodeAt(i))) {
      if (value.charCodeAt(i) === COLON) colons++
      stats.steps++
      i++
    }
    if (colons >= 2) visit(start, i)
  }
}

/**
 * Personal data was found where it would become public and permanent. Names every field and
 * the kind of datum, with the value masked, so the message itself discloses nothing.
 */
export class PersonalDataError extends InputError {
  readonly findings: readonly Finding[]

  constructor(findings: readonly Finding[]) {
    const inputs = [...new Set(findings.map((f) => f.input ?? 'change-record'))]
    const list = describeFindings(findings)
    super(
      inputs.join(', '),
      `personal data would enter the signed, public release record, which cannot be erased: ${list}. ` +
        'Remove it or replace it with a role, a ticket reference or a pseudonym; list functional mailboxes under personalData.roleContacts; write a four-part version with a leading v (v1.2.3.4).',
    )
    this.name = 'PersonalDataError'
    this.findings = findings
  }
}

/**
 * Throws a PersonalDataError listing every finding. Either a list of fields, or a change record
 * plus the other strings that will be published with it (manifest subject names and paths,
 * archive member paths): the record form scans the record's own text (recordFieldsToScan),
 * allows its roleContacts, and does not search for the repository owner's and name's words.
 */
export function assertNoPersonalData(fields: readonly ScannedField[], options?: ScanOptions): void
export function assertNoPersonalData(
  record: ChangeRecord,
  otherFields: readonly ScannedField[],
  options?: ScanOptions,
): void
export function assertNoPersonalData(
  first: readonly ScannedField[] | ChangeRecord,
  second?: readonly ScannedField[] | ScanOptions,
  third?: ScanOptions,
): void {
  let fields: readonly ScannedField[]
  let options: ScanOptions
  if (Array.isArray(first)) {
    fields = first
    options = (second as ScanOptions | undefined) ?? {}
  } else {
    const record = first as ChangeRecord
    const given = third ?? {}
    fields = [
      ...recordFieldsToScan(record),
      ...((second as readonly ScannedField[] | undefined) ?? []).map((f) => ({
        ...f,
        input: f.input ?? 'subject-path',
      })),
    ]
    options = {
      ...given,
      allowedContacts: [...(given.allowedContacts ?? []), ...allowedContactsOf(record)],
      publicNames: [...(given.publicNames ?? []), ...record.release.repository.split('/')],
    }
  }
  const findings = scanForPersonalData(fields, options)
  if (findings.length > 0) throw new PersonalDataError(findings)
}

/**
 * The people the run knows who must not be named in plain text: the triggering account
 * (GITHUB_TRIGGERING_ACTOR, GITHUB_ACTOR) and every approver the change-record file lists.
 */
export function knownPeople(
  actors: readonly (string | undefined)[],
  input?: ChangeRecordInput,
): KnownPerson[] {
  const people: KnownPerson[] = []
  for (const actor of new Set(actors)) {
    if (actor?.trim()) people.push({ kind: 'actor-login', identifier: actor })
  }
  for (const approval of input?.change.approvals ?? []) {
    if (approval.approver?.trim()) {
      people.push({ kind: 'approver-id', identifier: approval.approver })
    }
  }
  return people
}

/** One line per finding, values masked: for warnings about text that is not refused. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.path}: ${KIND_LABEL[f.kind]} (${f.masked})`).join('; ')
}

/**
 * The strings of a record the guard must see: everything a person wrote, and the tags. The
 * repository, workflow and run URL are left out: the signing certificate publishes them in any
 * case (see assessIdentityExposure), and pseudonyms are keyed hashes.
 */
export function recordFieldsToScan(record: ChangeRecord): ScannedField[] {
  const input = 'change-record'
  return [
    { path: '/release/tag', value: record.release.tag, input: 'tag' },
    ...(record.chain.previous
      ? [{ path: '/chain/previous/tag', value: record.chain.previous.tag, input }]
      : []),
    ...(record.change ? stringFields(record.change, '/change', input) : []),
    ...stringFields(record.personalData, '/personalData', input),
  ]
}

/** The functional mailboxes a record allows (personalData.roleContacts). */
export function allowedContactsOf(record: ChangeRecord | ChangeRecordInput): string[] {
  const personalData = record.personalData
  return 'roleContacts' in personalData && personalData.roleContacts
    ? personalData.roleContacts.map((c) => c.email)
    : []
}

/**
 * Every string in a JSON value, object keys included, with its JSON Pointer. Feed the record
 * (or any JSON that will be signed) to the guard through this.
 */
export function stringFields(value: unknown, prefix = '', input?: string): ScannedField[] {
  const fields: ScannedField[] = []
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      fields.push({ path: path || '/', value: node, ...(input ? { input } : {}) })
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}/${i}`))
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        const pointer = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
        // The path names the object, not the key: the key may be the very datum found.
        fields.push({
          path: `${path || '/'} (name of a field)`,
          value: key,
          ...(input ? { input } : {}),
        })
        walk(item, pointer)
      }
    }
  }
  walk(value, prefix)
  return fields
}

interface AuthorMatchers {
  /** Known people's e-mail addresses (lower case), with the kind each is reported as. */
  emails: Map<string, PersonalDataKind>
  names: { pattern: RegExp; kind: PersonalDataKind }[]
}

/** `@login` or `github:login` names a GitHub account; the login is what text would show. */
const GITHUB_ACCOUNT = /^(?:@|github:)([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?)$/i

function authorMatchers(
  authors: readonly CommitAuthor[],
  people: readonly KnownPerson[],
  publicNames: readonly string[],
): AuthorMatchers {
  const exempt = new Set(publicNames.map((n) => n.normalize('NFC').trim().toLowerCase()))
  const emails = new Map<string, PersonalDataKind>()
  const names = new Map<string, PersonalDataKind>()
  const addEmail = (email: string, kind: PersonalDataKind, loginKind: PersonalDataKind): void => {
    if (!email.includes('@') || SERVICE_ADDRESSES.has(email) || BOT_NOREPLY.test(email)) return
    if (!emails.has(email)) emails.set(email, kind)
    const login = NOREPLY_LOGIN.exec(email)?.[1]
    if (login && !names.has(login)) names.set(login, loginKind)
  }
  for (const author of authors) {
    const email = author.email?.trim().toLowerCase()
    if (email) addEmail(email, 'author-email', 'author-login')
    const name = author.name?.normalize('NFC').trim().replace(/\s+/g, ' ')
    if (name && !/\[bot\]$/i.test(name)) names.set(name.toLowerCase(), 'author-name')
  }
  for (const person of people) {
    const identifier = person.identifier.normalize('NFKC').trim()
    const login = GITHUB_ACCOUNT.exec(identifier)?.[1] ?? identifier
    if (/\[bot\]$/i.test(login)) continue // an app, not a person
    if (/^[^\s@]+@[^\s@]+$/.test(login)) {
      addEmail(login.toLowerCase(), person.kind, person.kind)
      continue
    }
    const name = login.replace(/\s+/g, ' ').toLowerCase()
    if (name && !names.has(name)) names.set(name, person.kind)
  }
  const matchers: AuthorMatchers['names'] = []
  for (const [name, kind] of names) {
    if ([...name.matchAll(/[\p{L}\p{N}]/gu)].length < 3) continue
    if (GENERIC_AUTHOR_NAMES.has(name) || exempt.has(name)) continue
    // "Jane Doe" also matches jane.doe, jane_doe and jane-doe, as in a file name; an approver
    // written alice.approver also matches "alice approver".
    const body = name
      .split(/[\s._-]+/)
      .filter((word) => word !== '')
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join(String.raw`[\s._-]+`)
    matchers.push({
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'giu'),
      kind,
    })
  }
  return { emails, names: matchers }
}

function maskEmail(address: string): string {
  const at = address.lastIndexOf('@')
  const local = address.slice(0, at)
  const domain = address.slice(at + 1)
  const tld = domain.slice(domain.lastIndexOf('.') + 1)
  return `${[...local][0] ?? ''}***@${[...domain][0] ?? ''}***.${tld}`
}

function maskPhone(text: string): string {
  const compact = text.replace(/[^\d+]/g, '')
  return `${compact.slice(0, 2)}***${compact.slice(-2)}`
}

function maskWords(text: string): string {
  return text
    .split(/[\s._-]+/)
    .map((word) => `${[...word][0] ?? ''}***`)
    .join(' ')
}
