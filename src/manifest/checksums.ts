import { InputError } from '../util/errors.ts'

export interface ChecksumEntry {
  /** The file name as listed, relative to the checksums file's folder. */
  name: string
  sha256?: string
  sha512?: string
  /** 1-based line of the first listing, for error messages. */
  line: number
}

// `s`: a name may hold any character but LF, including CR, U+2028 and U+2029 (the checks below
// refuse CR and backslash with a message that says so).
const LINE = /^([0-9a-fA-F]+) ([ *])(.+)$/s
const ALGORITHM_BY_HEX_LENGTH: Readonly<Record<number, 'sha256' | 'sha512'>> = {
  64: 'sha256',
  128: 'sha512',
}

/**
 * Parses `sha256sum`/`sha512sum` output: `<hex>  <name>` (text mode) or `<hex> *<name>`
 * (binary mode), LF or CRLF line ends. The algorithm follows from the digest's length. A file
 * listed twice (say by sha256sum and by sha512sum) gets both digests; conflicting digests of
 * one algorithm are an error.
 */
export function parseChecksums(text: string): ChecksumEntry[] {
  const input = 'subject-checksums'
  const byName = new Map<string, ChecksumEntry>()
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  lines.forEach((raw, index) => {
    const lineNumber = index + 1
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.trim() === '') return
    if (line.startsWith('\\')) {
      throw new InputError(
        input,
        `line ${lineNumber} lists an escaped file name (a name containing a newline or backslash); such names cannot be release assets, rename the file`,
      )
    }
    const match = LINE.exec(line)
    if (!match) {
      throw new InputError(
        input,
        `line ${lineNumber} is not in sha256sum format '<hex digest>  <file name>' (or '<hex digest> *<file name>')`,
      )
    }
    const [, hex = '', , name = ''] = match
    const algorithm = ALGORITHM_BY_HEX_LENGTH[hex.length]
    if (!algorithm) {
      throw new InputError(
        input,
        `line ${lineNumber} has a ${hex.length}-character digest; expected 64 hex characters (SHA-256) or 128 (SHA-512)`,
      )
    }
    if (name.includes('\\') || name.includes('\r')) {
      throw new InputError(
        input,
        `line ${lineNumber} names a file with a backslash or carriage return; such names cannot be release assets, rename the file`,
      )
    }
    const entry = byName.get(name) ?? { name, line: lineNumber }
    const digest = hex.toLowerCase()
    const existing = entry[algorithm]
    if (existing !== undefined && existing !== digest) {
      throw new InputError(
        input,
        `line ${lineNumber} lists '${name}' with a ${algorithm} digest that differs from line ${entry.line}`,
      )
    }
    entry[algorithm] = digest
    byName.set(name, entry)
  })
  return [...byName.values()]
}
