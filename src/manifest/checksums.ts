// The one reader of `sha256sum`/`sha512sum` output, for the checksums file a workflow hands the
// action (parseChecksums) and for the SHA256SUMS a verifier reads back (readChecksumLines).
import { InputError } from '../util/errors.ts'

export interface ChecksumEntry {
  /** The file name as listed, relative to the checksums file's folder. */
  name: string
  sha256?: string
  sha512?: string
  /** 1-based line of the first listing, for error messages. */
  line: number
}

/** One non-blank line, split into its digest and name but not yet judged. */
export interface ChecksumLine {
  /** 1-based line number. */
  line: number
  /** The digest as written: any length, either case. */
  hex: string
  name: string
}

/** A non-blank line that is not `<hex> <space or *><name>`. */
export interface MalformedChecksumLine {
  line: number
  /** `escaped`: sha256sum's `\`-prefixed form for a name holding a newline or backslash. */
  malformed: 'escaped' | 'format'
}

export interface ChecksumLineSyntax {
  /**
   * Whether a name may hold CR (beyond the one a CRLF line end leaves), U+2028 and U+2029.
   * The action's input reader allows them (and refuses CR later, with a message that says
   * so); the verifier's SHA256SUMS reader does not, and calls such a line malformed. The two
   * readers differ only here: a known inconsistency kept as is, for a later issue to settle.
   */
  nameMayHoldLineSeparators: boolean
}

// `s`: the name's `.` also matches CR, U+2028 and U+2029 (never LF: the text is split on it).
const LINE_ALLOWING_SEPARATORS = /^([0-9a-fA-F]+) [ *](.+)$/s
const LINE_WITHOUT_SEPARATORS = /^([0-9a-fA-F]+) [ *](.+)$/
const ALGORITHM_BY_HEX_LENGTH: Readonly<Record<number, 'sha256' | 'sha512'>> = {
  64: 'sha256',
  128: 'sha512',
}

/**
 * Splits `sha256sum`/`sha512sum` output into its non-blank lines: `<hex>  <name>` (text mode)
 * or `<hex> *<name>` (binary mode), LF or CRLF line ends. It never throws: each caller decides
 * what a malformed line, an unexpected digest length or a repeated name means to it.
 */
export function readChecksumLines(
  text: string,
  syntax: ChecksumLineSyntax,
): (ChecksumLine | MalformedChecksumLine)[] {
  const pattern = syntax.nameMayHoldLineSeparators
    ? LINE_ALLOWING_SEPARATORS
    : LINE_WITHOUT_SEPARATORS
  const read: (ChecksumLine | MalformedChecksumLine)[] = []
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (content.trim() === '') return
    if (content.startsWith('\\')) return read.push({ line, malformed: 'escaped' })
    const match = pattern.exec(content)
    if (!match) return read.push({ line, malformed: 'format' })
    const [, hex = '', name = ''] = match
    read.push({ line, hex, name })
  })
  return read
}

function refuse(line: number, why: string): InputError {
  return new InputError('subject-checksums', `line ${line} ${why}`)
}

function refuseMalformed(line: MalformedChecksumLine): InputError {
  return line.malformed === 'escaped'
    ? refuse(
        line.line,
        'lists an escaped file name (a name containing a newline or backslash); such names cannot be release assets, rename the file',
      )
    : refuse(
        line.line,
        `is not in sha256sum format '<hex digest>  <file name>' (or '<hex digest> *<file name>')`,
      )
}

/**
 * Parses the checksums file of the `subject-checksums` input. The algorithm follows from the
 * digest's length. A file listed twice (say by sha256sum and by sha512sum) gets both digests;
 * conflicting digests of one algorithm are an error, as is any line that is not sha256sum's.
 */
export function parseChecksums(text: string): ChecksumEntry[] {
  const byName = new Map<string, ChecksumEntry>()
  for (const listed of readChecksumLines(text, { nameMayHoldLineSeparators: true })) {
    if ('malformed' in listed) throw refuseMalformed(listed)
    const { line, hex, name } = listed
    const algorithm = ALGORITHM_BY_HEX_LENGTH[hex.length]
    if (!algorithm) {
      throw refuse(
        line,
        `has a ${hex.length}-character digest; expected 64 hex characters (SHA-256) or 128 (SHA-512)`,
      )
    }
    if (name.includes('\\') || name.includes('\r')) {
      throw refuse(
        line,
        'names a file with a backslash or carriage return; such names cannot be release assets, rename the file',
      )
    }
    const entry = byName.get(name) ?? { name, line }
    const digest = hex.toLowerCase()
    const existing = entry[algorithm]
    if (existing !== undefined && existing !== digest) {
      throw refuse(
        line,
        `lists '${name}' with a ${algorithm} digest that differs from line ${entry.line}`,
      )
    }
    entry[algorithm] = digest
    byName.set(name, entry)
  }
  return [...byName.values()]
}
