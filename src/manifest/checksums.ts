// The one reader of `sha256sum`/`sha512sum` output, for the checksums file a workflow hands the
// action (parseChecksums) and for the SHA256SUMS a verifier reads back (readChecksumLines).
import { realpath } from 'node:fs/promises'
import { InputError } from '../util/errors.ts'
import { readRegularFile } from '../util/read-user-file.ts'

/**
 * The largest checksums file read: sha512sum lines for the manifest's million subjects, with
 * names of a hundred characters, stay below it.
 */
export const MAX_CHECKSUMS_FILE_BYTES = 256 * 1024 ** 2

/**
 * The text of the `subject-checksums` file at `absolutePath`, already confined to the
 * workspace. A link is resolved here, on purpose; the read opens the file it leads to without
 * following another link or blocking, and checks the descriptor, so a FIFO, a device or an
 * oversized file put there since it was examined is refused, not read.
 */
export async function readChecksumsText(absolutePath: string): Promise<string> {
  const bytes = await readRegularFile(await realpath(absolutePath), {
    input: 'subject-checksums',
    maxBytes: MAX_CHECKSUMS_FILE_BYTES,
  })
  return bytes.toString('utf8')
}

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

/**
 * `<hex> <space or *><name>`. `s`: a name's `.` matches CR, U+2028 and U+2029 too (never LF: the
 * text is split on it). sha256sum escapes only LF and backslash, so every other character is
 * part of the name, for the action's reader and the verifier's alike: a name that releases is
 * a name that verifies (issue 18, finding 8: the verifier's reader once stopped at U+2028).
 */
const CHECKSUM_LINE = /^([0-9a-fA-F]+) [ *](.+)$/s
const ALGORITHM_BY_HEX_LENGTH: Readonly<Record<number, 'sha256' | 'sha512'>> = {
  64: 'sha256',
  128: 'sha512',
}

/**
 * Splits `sha256sum`/`sha512sum` output into its non-blank lines: `<hex>  <name>` (text mode)
 * or `<hex> *<name>` (binary mode), LF or CRLF line ends. It never throws: each caller decides
 * what a malformed line, an unexpected digest length or a repeated name means to it.
 */
export function readChecksumLines(text: string): (ChecksumLine | MalformedChecksumLine)[] {
  const read: (ChecksumLine | MalformedChecksumLine)[] = []
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (content.trim() === '') return
    if (content.startsWith('\\')) return read.push({ line, malformed: 'escaped' })
    const match = CHECKSUM_LINE.exec(content)
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
  for (const listed of readChecksumLines(text)) {
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
