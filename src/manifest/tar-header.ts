/**
 * Tar headers exactly as tar-stream 3's `pack()` encodes them (headers.js `encode` and
 * `encodePax`, pack.js `_encodePax`), for the fields a reproducible tarball sets: owner 0:0
 * without names, one mtime, no devices. The packer writes headers straight into its output
 * buffer instead of going through `pack()`'s stream per entry, which cost more than the
 * compression; tar-stream does not export its header module, so its logic is restated here.
 * Any byte that differs from tar-stream's changes every published tarball's digest: the
 * differential test in `__tests__/manifest/tarball-differential.test.ts` compares the two.
 */

export type TarEntryType = 'file' | 'directory' | 'symlink'

export interface TarHeaderFields {
  name: string
  type: TarEntryType
  mode: number
  size: number
  linkname?: string
}

export const BLOCK_BYTES = 512

const ZEROS = '0000000000000000000'
const SEVENS = '7777777777777777777'
const MODE_MASK = 0o7777
const TYPEFLAG: Readonly<Record<TarEntryType | 'pax-header', number>> = {
  file: 0x30, // '0'
  symlink: 0x32, // '2'
  directory: 0x35, // '5'
  'pax-header': 0x78, // 'x'
}
const PAX_NAME = 'PaxHeader'

/** Bytes of zero padding after `size` bytes of data, up to the next 512-byte block. */
export function paddingOf(size: number): number {
  const over = size % BLOCK_BYTES
  return over === 0 ? 0 : BLOCK_BYTES - over
}

/**
 * Encodes headers for archives whose every entry carries `mtimeSeconds`: the fields that
 * are the same in every header (owner, mtime, magic, devices) are written once into a
 * template that each header starts from.
 */
export class TarHeaderEncoder {
  readonly #template: Buffer
  /** The checksum of the template alone, its checksum field (148–155) counted as spaces. */
  readonly #templateSum: number

  constructor(mtimeSeconds: number) {
    const template = Buffer.alloc(BLOCK_BYTES)
    template.write(encodeOct(0, 6), 108, 'latin1') // uid
    template.write(encodeOct(0, 6), 116, 'latin1') // gid
    // As tar-stream computes it from its Date: `(getTime() / 1000) | 0`, wrapping included.
    template.write(encodeOct((new Date(mtimeSeconds * 1000).getTime() / 1000) | 0, 11), 136)
    template.write('ustar\0', 257, 'latin1')
    template.write('00', 263, 'latin1')
    template.write(encodeOct(0, 6), 329, 'latin1') // devmajor
    template.write(encodeOct(0, 6), 337, 'latin1') // devminor
    this.#template = template
    this.#templateSum = checksum(template)
  }

  /**
   * Bytes of the header (one ustar block, or a PAX header, its records and the ustar block
   * after them) that `pack()` writes before this entry's data.
   */
  encode(fields: TarHeaderFields): Buffer {
    const plain = Buffer.allocUnsafe(BLOCK_BYTES)
    if (this.#encodeUstar(plain, 0, fields)) return plain
    return this.#encodePax(fields)
  }

  /**
   * Writes the entry's single ustar block at `buf[at]` when its names fit one and returns
   * true; false (nothing written) when the entry needs the PAX header `encode` returns.
   */
  encodeUstarInto(buf: Buffer, at: number, fields: TarHeaderFields): boolean {
    return this.#encodeUstar(buf, at, fields)
  }

  /** pack.js `_encodePax`: a PAX header carrying the names, then a ustar block named PaxHeader. */
  #encodePax(fields: TarHeaderFields): Buffer {
    const records = Buffer.from(paxRecords(fields), 'utf8')
    const linkname = fields.linkname ? PAX_NAME : undefined
    const out = Buffer.alloc(2 * BLOCK_BYTES + records.length + paddingOf(records.length))
    const pax: TarHeaderFields = { name: PAX_NAME, type: 'file', mode: fields.mode, size: 0 }
    if (linkname) pax.linkname = linkname
    this.#encodeUstar(out, 0, { ...pax, size: records.length }, 'pax-header')
    records.copy(out, BLOCK_BYTES)
    const last = out.length - BLOCK_BYTES
    this.#encodeUstar(out, last, { ...pax, size: fields.size, type: fields.type })
    return out
  }

  /** headers.js `encode`: false where a name does not fit a ustar header (PAX is needed). */
  #encodeUstar(
    buf: Buffer,
    at: number,
    fields: TarHeaderFields,
    typeOverride?: 'pax-header',
  ): boolean {
    let name = fields.name
    let prefix = ''
    // Any non-ASCII name goes to PAX, whatever its length.
    if (Buffer.byteLength(name) !== name.length) return false
    while (name.length > 100) {
      const i = name.indexOf('/')
      if (i === -1) return false
      prefix += prefix ? '/' + name.slice(0, i) : name.slice(0, i)
      name = name.slice(i + 1)
    }
    if (name.length > 100 || prefix.length > 155) return false
    const linkname = fields.linkname
    if (linkname && Buffer.byteLength(linkname) > 100) return false

    // Every field written below lands on zeros of the template, so the checksum is the
    // template's sum plus the bytes written: one pass over the names, not over 512 bytes.
    this.#template.copy(buf, at)
    let sum = this.#templateSum
    sum += writeAscii(buf, at, name)
    sum += writeAscii(buf, at + 100, encodeOct(fields.mode & MODE_MASK, 6))
    sum += encodeSize(fields.size, buf, at + 124)
    const typeflag = TYPEFLAG[typeOverride ?? fields.type]
    buf[at + 156] = typeflag
    sum += typeflag
    // Unlike the name, a link target of up to 100 bytes stays in the header as UTF-8.
    if (linkname) {
      const bytes = buf.write(linkname, at + 157, 100, 'utf8')
      for (let i = at + 157; i < at + 157 + bytes; i++) sum += buf[i] as number
    }
    if (prefix) sum += writeAscii(buf, at + 345, prefix)
    writeAscii(buf, at + 148, encodeOct(sum, 6))
    return true
  }
}

function paxRecords(fields: TarHeaderFields): string {
  let result = record(' path=' + fields.name + '\n')
  if (fields.linkname) result += record(' linkpath=' + fields.linkname + '\n')
  return result
}

/** A PAX record: its decimal length (counting the digits themselves), then the text. */
function record(text: string): string {
  const length = Buffer.byteLength(text)
  // tar-stream's arithmetic, floating point included, so lengths near powers of ten agree.
  let digits = Math.floor(Math.log(length) / Math.log(10)) + 1
  if (length + digits >= Math.pow(10, digits)) digits++
  return String(length + digits) + text
}

/** A header block's sum with the checksum field (148–155) counted as spaces. */
function checksum(block: Buffer): number {
  let sum = 8 * 32
  for (let i = 0; i < 148; i++) sum += block[i] as number
  for (let i = 156; i < BLOCK_BYTES; i++) sum += block[i] as number
  return sum
}

/**
 * Writes a string known to be ASCII (checked names, octal fields) and returns the sum of its
 * bytes; cheaper than a `Buffer.write` call per field for strings this short.
 */
function writeAscii(buf: Buffer, at: number, text: string): number {
  let sum = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    buf[at + i] = code
    sum += code
  }
  return sum
}

function encodeOct(value: number, digits: number): string {
  const octal = value.toString(8)
  if (octal.length > digits) return SEVENS.slice(0, digits) + ' '
  return ZEROS.slice(0, digits - octal.length) + octal + ' '
}

/**
 * Octal while it fits 11 digits, base-256 (GNU) beyond: files of 8 GiB and more. Returns the
 * sum of the bytes written.
 */
function encodeSize(size: number, buf: Buffer, at: number): number {
  if (size.toString(8).length <= 11) return writeAscii(buf, at, encodeOct(size, 11))
  buf[at] = 0x80
  let sum = 0x80
  let rest = size
  for (let i = 11; i > 0; i--) {
    const byte = rest & 0xff
    buf[at + i] = byte
    sum += byte
    rest = Math.floor(rest / 0x100)
  }
  return sum
}
