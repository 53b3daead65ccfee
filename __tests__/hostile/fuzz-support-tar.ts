import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { gzipSync } from 'node:zlib'

/**
 * Writes tar archives byte by byte, so that a test can say exactly what a hostile archive
 * holds: names no packer would write, GNU long-name and pax records, any type flag, sizes in
 * octal or base-256, and corrupt fields with a correct checksum.
 */

export interface RawMember {
  name: string
  /** The type flag character: '0' file, '1' hard link, '2' symlink, '3'/'4' devices, '5' dir, '6' fifo, … */
  typeflag: string
  linkname?: string
  data?: Buffer
  /** How a name too long for the 100-byte field is carried. */
  longName?: 'gnu' | 'pax'
  /** Replaces the 12-byte size field as written (garbage, base-256, no terminator). */
  sizeField?: Buffer
}

const BLOCK = 512

function octal(value: number, width: number): Buffer {
  return Buffer.from(value.toString(8).padStart(width - 1, '0') + '\0', 'ascii')
}

/** One 512-byte ustar header with a correct checksum. */
export function tarHeader(fields: {
  name: string
  typeflag: string
  size: number
  linkname?: string
  sizeField?: Buffer
}): Buffer {
  const header = Buffer.alloc(BLOCK)
  header.write(fields.name, 0, 100, 'utf8')
  octal(0o644, 8).copy(header, 100)
  octal(0, 8).copy(header, 108)
  octal(0, 8).copy(header, 116)
  ;(fields.sizeField ?? octal(fields.size, 12)).copy(header, 124, 0, 12)
  octal(0, 12).copy(header, 136)
  header.write(fields.typeflag.slice(0, 1) || '\0', 156, 1, 'latin1')
  header.write(fields.linkname ?? '', 157, 100, 'utf8')
  header.write('ustar\u000000', 257, 8, 'latin1')
  header.fill(0x20, 148, 156)
  let sum = 0
  for (const byte of header) sum += byte
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii')
  return header
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)])
}

function paxRecord(key: string, value: string): string {
  // The length counts its own digits.
  const body = ` ${key}=${value}\n`
  const base = Buffer.byteLength(body)
  let length = base + 1
  while (base + String(length).length !== length) length = base + String(length).length
  return `${length}${body}`
}

/** The blocks of one member: long-name records first, then its header and data. */
export function memberBlocks(member: RawMember): Buffer[] {
  const data = member.data ?? Buffer.alloc(0)
  const blocks: Buffer[] = []
  let name = member.name
  let linkname = member.linkname
  if (member.longName === 'gnu') {
    const longName = Buffer.from(member.name + '\0')
    blocks.push(tarHeader({ name: '././@LongLink', typeflag: 'L', size: longName.length }))
    blocks.push(padded(longName))
    // GNU tar writes the name cut to 100 bytes here; a cut ending in '/' would read as a folder.
    name = 'gnu-placeholder'
    if (linkname !== undefined && Buffer.byteLength(linkname) > 100) {
      const longLink = Buffer.from(linkname + '\0')
      blocks.push(tarHeader({ name: '././@LongLink', typeflag: 'K', size: longLink.length }))
      blocks.push(padded(longLink))
      linkname = linkname.slice(0, 100)
    }
  } else if (member.longName === 'pax') {
    const records = Buffer.from(
      paxRecord('path', member.name) +
        (linkname !== undefined ? paxRecord('linkpath', linkname) : ''),
    )
    blocks.push(tarHeader({ name: 'PaxHeader', typeflag: 'x', size: records.length }))
    blocks.push(padded(records))
    name = 'pax-placeholder'
    linkname = linkname === undefined ? undefined : 'pax-placeholder'
  }
  blocks.push(
    tarHeader({
      name,
      typeflag: member.typeflag,
      size: data.length,
      ...(linkname !== undefined ? { linkname } : {}),
      ...(member.sizeField ? { sizeField: member.sizeField } : {}),
    }),
  )
  if (data.length > 0) blocks.push(padded(data))
  return blocks
}

/** A whole archive, with the two zero blocks that end it. */
export function tarArchive(members: readonly RawMember[], { end = true } = {}): Buffer {
  return Buffer.concat([
    ...members.flatMap(memberBlocks),
    ...(end ? [Buffer.alloc(2 * BLOCK)] : []),
  ])
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data, { level: 1 })
}

/**
 * Writes a gzip bomb to `file` without ever holding it: a tar header declaring one file of
 * `bytes` zeros, then the zeros as repeated gzip members (gunzip reads concatenated members as
 * one stream). One compressed MiB of zeros is ~1 KiB, so 1 GiB costs ~1 MiB on disk.
 */
export async function writeGzipBomb(file: string, bytes: number): Promise<void> {
  const MiB = 1024 * 1024
  const out = createWriteStream(file)
  out.write(gzip(tarHeader({ name: 'zeros.bin', typeflag: '0', size: bytes })))
  const zeros = gzip(Buffer.alloc(MiB))
  for (let written = 0; written < bytes; written += MiB) {
    if (!out.write(zeros)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}
