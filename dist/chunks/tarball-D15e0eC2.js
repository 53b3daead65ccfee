import { createHash, hash } from 'node:crypto';
import { createWriteStream, closeSync, readdirSync, readlinkSync, fstatSync, readSync, lstatSync, openSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { I as InputError } from './log-text-O5UIUIY4.js';
import { O as OPEN_READ_NO_FOLLOW } from './open-flags-BT7QmZNK.js';
import { i as isInside } from './path-BDJXcjM6.js';
import { ArchiveTally, ArchiveScanError, flagMember, archiveMember } from './archive-scan-Dys-Ua-D.js';
import { h as hardLinksLeaving } from './index-CczDmA2I.js';
import { D as DEFAULT_ARCHIVE_LIMITS, c as compareNames } from './media-type-Dr6LIKcO.js';
import './_commonjsHelpers-Bgu_3bK-.js';
import 'events';
import 'node:os';
import './concurrency-icQKjNbB.js';
import './read-user-file-BZ-0qY-O.js';
import 'fs';
import 'path';
import 'url';
import 'module';
import 'node:worker_threads';

const BLOCK_BYTES = 512;
const ZEROS = "0000000000000000000";
const SEVENS = "7777777777777777777";
const MODE_MASK = 4095;
const TYPEFLAG = {
  file: 48,
  // '0'
  symlink: 50,
  // '2'
  directory: 53,
  // '5'
  "pax-header": 120
  // 'x'
};
const PAX_NAME = "PaxHeader";
function paddingOf(size) {
  const over = size % BLOCK_BYTES;
  return over === 0 ? 0 : BLOCK_BYTES - over;
}
class TarHeaderEncoder {
  #template;
  /** The checksum of the template alone, its checksum field (148–155) counted as spaces. */
  #templateSum;
  constructor(mtimeSeconds) {
    const template = Buffer.alloc(BLOCK_BYTES);
    template.write(encodeOct(0, 6), 108, "latin1");
    template.write(encodeOct(0, 6), 116, "latin1");
    template.write(encodeOct(new Date(mtimeSeconds * 1e3).getTime() / 1e3 | 0, 11), 136);
    template.write("ustar\0", 257, "latin1");
    template.write("00", 263, "latin1");
    template.write(encodeOct(0, 6), 329, "latin1");
    template.write(encodeOct(0, 6), 337, "latin1");
    this.#template = template;
    this.#templateSum = checksum(template);
  }
  /**
   * Bytes of the header (one ustar block, or a PAX header, its records and the ustar block
   * after them) that `pack()` writes before this entry's data.
   */
  encode(fields) {
    const plain = Buffer.allocUnsafe(BLOCK_BYTES);
    if (this.#encodeUstar(plain, 0, fields)) return plain;
    return this.#encodePax(fields);
  }
  /**
   * Writes the entry's single ustar block at `buf[at]` when its names fit one and returns
   * true; false (nothing written) when the entry needs the PAX header `encode` returns.
   */
  encodeUstarInto(buf, at, fields) {
    return this.#encodeUstar(buf, at, fields);
  }
  /** pack.js `_encodePax`: a PAX header carrying the names, then a ustar block named PaxHeader. */
  #encodePax(fields) {
    const records = Buffer.from(paxRecords(fields), "utf8");
    const linkname = fields.linkname ? PAX_NAME : void 0;
    const out = Buffer.alloc(2 * BLOCK_BYTES + records.length + paddingOf(records.length));
    const pax = { name: PAX_NAME, type: "file", mode: fields.mode, size: 0 };
    if (linkname) pax.linkname = linkname;
    this.#encodeUstar(out, 0, { ...pax, size: records.length }, "pax-header");
    records.copy(out, BLOCK_BYTES);
    const last = out.length - BLOCK_BYTES;
    this.#encodeUstar(out, last, { ...pax, size: fields.size, type: fields.type });
    return out;
  }
  /** headers.js `encode`: false where a name does not fit a ustar header (PAX is needed). */
  #encodeUstar(buf, at, fields, typeOverride) {
    let name = fields.name;
    let prefix = "";
    if (Buffer.byteLength(name) !== name.length) return false;
    while (name.length > 100) {
      const i = name.indexOf("/");
      if (i === -1) return false;
      prefix += prefix ? "/" + name.slice(0, i) : name.slice(0, i);
      name = name.slice(i + 1);
    }
    if (name.length > 100 || prefix.length > 155) return false;
    const linkname = fields.linkname;
    if (linkname && Buffer.byteLength(linkname) > 100) return false;
    this.#template.copy(buf, at);
    let sum = this.#templateSum;
    sum += writeAscii(buf, at, name);
    sum += writeAscii(buf, at + 100, encodeOct(fields.mode & MODE_MASK, 6));
    sum += encodeSize(fields.size, buf, at + 124);
    const typeflag = TYPEFLAG[typeOverride ?? fields.type];
    buf[at + 156] = typeflag;
    sum += typeflag;
    if (linkname) {
      const bytes = buf.write(linkname, at + 157, 100, "utf8");
      for (let i = at + 157; i < at + 157 + bytes; i++) sum += buf[i];
    }
    if (prefix) sum += writeAscii(buf, at + 345, prefix);
    writeAscii(buf, at + 148, encodeOct(sum, 6));
    return true;
  }
}
function paxRecords(fields) {
  let result = record(" path=" + fields.name + "\n");
  if (fields.linkname) result += record(" linkpath=" + fields.linkname + "\n");
  return result;
}
function record(text) {
  const length = Buffer.byteLength(text);
  let digits = Math.floor(Math.log(length) / Math.log(10)) + 1;
  if (length + digits >= Math.pow(10, digits)) digits++;
  return String(length + digits) + text;
}
function checksum(block) {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += block[i];
  for (let i = 156; i < BLOCK_BYTES; i++) sum += block[i];
  return sum;
}
function writeAscii(buf, at, text) {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    buf[at + i] = code;
    sum += code;
  }
  return sum;
}
function encodeOct(value, digits) {
  const octal = value.toString(8);
  if (octal.length > digits) return SEVENS.slice(0, digits) + " ";
  return ZEROS.slice(0, digits - octal.length) + octal + " ";
}
function encodeSize(size, buf, at) {
  if (size.toString(8).length <= 11) return writeAscii(buf, at, encodeOct(size, 11));
  buf[at] = 128;
  let sum = 128;
  let rest = size;
  for (let i = 11; i > 0; i--) {
    const byte = rest & 255;
    buf[at + i] = byte;
    sum += byte;
    rest = Math.floor(rest / 256);
  }
  return sum;
}

const WHOLE_READ_BYTES = 1024 * 1024;
const GZIP_INPUT_BYTES = 1024 * 1024;
const GZIP_QUEUE_BYTES = 4 * 1024 * 1024;
const GZIP_OS_UNIX = 3;
const END_OF_ARCHIVE_BYTES = 2 * BLOCK_BYTES;
async function createReproducibleTarball(options) {
  const entries = await collectTree(options);
  const encoder = new TarHeaderEncoder(options.sourceDateEpoch);
  const limits = new ScanLimits(
    options.limits ?? DEFAULT_ARCHIVE_LIMITS,
    options.displayPath,
    options.archiveName ?? path.basename(options.outFile)
  );
  const gzip = createGzip();
  const output = new ArchiveOutput();
  const written = pipeline(gzip, output, createWriteStream(options.outFile));
  written.catch(() => {
  });
  const feed = new GzipFeed(gzip, written);
  const listing = { flags: [], members: [] };
  const linked = [];
  try {
    for (const entry of entries) {
      if (entry.type === "file") {
        const { fd, fields } = openFile(entry, linked);
        try {
          const member = addMember(listing, fields);
          member.sha256 = fields.size > WHOLE_READ_BYTES ? await packLargeContents(fd, entry, fields, encoder, limits, feed) : packSmallContents(fd, entry, fields, encoder, limits, feed);
        } finally {
          closeSync(fd);
        }
      } else {
        packOtherEntry(entry, listing, encoder, limits, feed);
      }
      if (feed.full) await feed.flush();
    }
    refuseLinksFromOutside(options, linked);
    feed.zeros(END_OF_ARCHIVE_BYTES);
    limits.data(END_OF_ARCHIVE_BYTES);
    feed.end();
    await written;
  } catch (error) {
    gzip.destroy(error);
    await written.catch(() => {
    });
    throw error;
  }
  return { size: output.bytes, digests: { sha256: output.digest() }, listing };
}
function addMember(listing, fields) {
  const member = archiveMember(fields.name, fields.type, fields.size, fields.linkname || void 0);
  listing.members.push(member);
  const flag = flagMember(member);
  if (flag) listing.flags.push({ path: member.path, reason: flag });
  return member;
}
function writeHeader(fields, encoder, limits, feed, dataBytes) {
  feed.reserve(BLOCK_BYTES + dataBytes);
  let headerBytes = BLOCK_BYTES;
  if (!encoder.encodeUstarInto(feed.buffer, feed.offset, fields)) {
    const pax = encoder.encode(fields);
    headerBytes = pax.length;
    feed.reserve(headerBytes + dataBytes);
    pax.copy(feed.buffer, feed.offset);
  }
  limits.member(headerBytes, fields.size);
  feed.advance(headerBytes);
  return feed.offset;
}
function packOtherEntry(entry, listing, encoder, limits, feed) {
  const fields = {
    name: entry.name,
    type: entry.type,
    mode: entry.type === "directory" ? 493 : 511,
    size: 0
  };
  if (entry.linkTarget !== void 0) fields.linkname = entry.linkTarget;
  addMember(listing, fields);
  writeHeader(fields, encoder, limits, feed, 0);
}
function openFile(entry, linked) {
  const fd = openListed(entry);
  let info;
  try {
    info = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    unreadable(entry, error);
  }
  if (!info.isFile()) {
    closeSync(fd);
    throw changed(entry);
  }
  if (info.nlink > 1) {
    linked.push({ name: entry.name, dev: info.dev, ino: info.ino, nlink: info.nlink });
  }
  const mode = info.mode & 73 ? 493 : 420;
  return { fd, fields: { name: entry.name, type: "file", mode, size: info.size } };
}
function packSmallContents(fd, entry, fields, encoder, limits, feed) {
  const size = fields.size;
  const padding = paddingOf(size);
  const at = writeHeader(fields, encoder, limits, feed, size + padding);
  readFully(fd, entry, feed.buffer.subarray(at, at + size));
  const sha256 = hash("sha256", feed.buffer.subarray(at, at + size));
  feed.buffer.fill(0, at + size, at + size + padding);
  feed.advance(size + padding);
  limits.data(size + padding);
  return sha256;
}
async function packLargeContents(fd, entry, fields, encoder, limits, feed) {
  const size = fields.size;
  writeHeader(fields, encoder, limits, feed, 0);
  const digest = createHash("sha256");
  let done = 0;
  while (done < size) {
    const chunk = Buffer.allocUnsafe(Math.min(WHOLE_READ_BYTES, size - done));
    readFully(fd, entry, chunk);
    digest.update(chunk);
    done += chunk.length;
    await feed.writeLarge(chunk);
  }
  let grew;
  try {
    grew = readSync(fd, Buffer.allocUnsafe(1), 0, 1, null) > 0;
  } catch (error) {
    unreadable(entry, error);
  }
  if (grew) throw changed(entry);
  const padding = paddingOf(size);
  feed.zeros(padding);
  limits.data(size + padding);
  return digest.digest("hex");
}
class ScanLimits {
  #tally;
  #where;
  constructor(limits, displayPath, label) {
    this.#tally = new ArchiveTally(limits, label);
    this.#where = displayPath;
  }
  /** One member whose header (PAX records included) takes `headerBytes`. */
  member(headerBytes, size) {
    this.#refusing(() => {
      this.#tally.stream(headerBytes);
      this.#tally.entry();
      this.#tally.declare(size);
    });
  }
  /** Bytes of tar stream: headers, contents, padding, the end-of-archive blocks. */
  data(bytes) {
    this.#refusing(() => this.#tally.stream(bytes));
  }
  /** A limit crossed refuses the directory, in the words `measure` gives a scanned archive. */
  #refusing(count) {
    try {
      count();
    } catch (error) {
      if (!(error instanceof ArchiveScanError)) throw error;
      throw new InputError("subject-path", `'${this.#where}': ${error.message}`, { cause: error });
    }
  }
}
class GzipFeed {
  #gzip;
  #failed;
  #buffer = Buffer.allocUnsafe(2 * GZIP_INPUT_BYTES);
  #filled = 0;
  /** Bytes handed to zlib and not yet compressed. */
  #queued = 0;
  #wakeUp;
  /** Batch buffers zlib has finished compressing, to be filled again. */
  #spare = [];
  constructor(gzip, written) {
    this.#gzip = gzip;
    this.#failed = written;
  }
  /** The batch buffer; valid until the next `reserve`. */
  get buffer() {
    return this.#buffer;
  }
  /** Where the next bytes go in `buffer`. */
  get offset() {
    return this.#filled;
  }
  get full() {
    return this.#filled >= GZIP_INPUT_BYTES;
  }
  /** Makes room for `bytes` contiguous bytes at `offset`. */
  reserve(bytes) {
    if (this.#filled + bytes <= this.#buffer.length) return;
    this.#send();
    if (bytes > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(bytes);
  }
  /** Takes `bytes` written at `offset` into the stream. */
  advance(bytes) {
    this.#filled += bytes;
  }
  zeros(bytes) {
    this.reserve(bytes);
    this.#buffer.fill(0, this.#filled, this.#filled + bytes);
    this.#filled += bytes;
  }
  /**
   * Hands the batch to zlib and lets the event loop turn, longer if too much is queued.
   * zlib starts its next queued piece from the event loop: packing synchronously from one
   * batch to the next would leave its thread idle.
   */
  async flush() {
    this.#send();
    await this.#room();
  }
  /** A large file's chunk, after what is batched before it. */
  async writeLarge(chunk) {
    this.#send();
    this.#write(chunk);
    await this.#room();
  }
  end() {
    this.#send();
    this.#gzip.end();
  }
  #send() {
    if (this.#filled === 0) return;
    const batch = this.#buffer;
    this.#write(batch.subarray(0, this.#filled), batch);
    this.#buffer = this.#spare.pop() ?? Buffer.allocUnsafe(2 * GZIP_INPUT_BYTES);
    this.#filled = 0;
  }
  #write(piece, batch) {
    this.#queued += piece.length;
    this.#gzip.write(piece, (error) => {
      if (batch && !error && batch.length === 2 * GZIP_INPUT_BYTES) this.#spare.push(batch);
      this.#queued -= piece.length;
      const wakeUp = this.#wakeUp;
      if (wakeUp && this.#queued <= GZIP_QUEUE_BYTES) {
        this.#wakeUp = void 0;
        wakeUp();
      }
    });
  }
  async #room() {
    if (this.#queued <= GZIP_QUEUE_BYTES) {
      await new Promise((resolve) => setImmediate(resolve));
      return;
    }
    const compressed = new Promise((resolve) => this.#wakeUp = resolve);
    await Promise.race([compressed, this.#failed]);
  }
}
function openListed(entry) {
  try {
    return openSync(entry.absolutePath, OPEN_READ_NO_FOLLOW);
  } catch (error) {
    if (error.code === "ELOOP") throw changed(entry);
    unreadable(entry, error);
  }
}
function readFully(fd, entry, into) {
  let filled = 0;
  try {
    while (filled < into.length) {
      const read = readSync(fd, into, filled, into.length - filled, null);
      if (read === 0) throw changed(entry);
      filled += read;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    unreadable(entry, error);
  }
}
function unreadable(entry, error) {
  throw new InputError(
    "subject-path",
    `cannot read ${entry.absolutePath} while packing its directory: ${error.message}`,
    { cause: error }
  );
}
function changed(entry) {
  return new InputError(
    "subject-path",
    `${entry.absolutePath} changed (its size, or it was replaced) while its directory was being packed; release from a tree nothing is writing to`
  );
}
async function collectTree(options) {
  const root = path.resolve(options.directory);
  const realRoot = await realpath(root);
  const rootName = path.basename(root);
  const entries = [{ name: `${rootName}/`, absolutePath: root, type: "directory" }];
  const pending = [{ absolutePath: root, name: `${rootName}/` }];
  while (pending.length > 0) {
    const directory = pending.pop();
    const base = directory.absolutePath.endsWith(path.sep) ? directory.absolutePath : directory.absolutePath + path.sep;
    for (const dirent of readdirSync(directory.absolutePath, { withFileTypes: true })) {
      const absolutePath = base + dirent.name;
      const name = directory.name + dirent.name;
      const type = typeOf(dirent, absolutePath);
      if (type === "directory") {
        entries.push({ name: `${name}/`, absolutePath, type });
        pending.push({ absolutePath, name: `${name}/` });
      } else if (type === "file") {
        entries.push({ name, absolutePath, type });
      } else if (type === "symlink") {
        const linkTarget = readlinkSync(absolutePath);
        await checkLinkStaysInside(options, root, realRoot, absolutePath, linkTarget);
        entries.push({ name, absolutePath, type, linkTarget });
      } else {
        throw new InputError(
          "subject-path",
          `directory '${options.displayPath}' contains ${name.slice(rootName.length + 1)}, which is neither a file, a directory nor a symbolic link; remove it before releasing the directory`
        );
      }
    }
  }
  entries.sort((a, b) => compareNames(a.name, b.name));
  return entries;
}
function typeOf(dirent, absolutePath) {
  if (dirent.isFile()) return "file";
  if (dirent.isDirectory()) return "directory";
  if (dirent.isSymbolicLink()) return "symlink";
  const known = dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice();
  if (known) return void 0;
  const info = lstatSync(absolutePath);
  if (info.isFile()) return "file";
  if (info.isDirectory()) return "directory";
  if (info.isSymbolicLink()) return "symlink";
  return void 0;
}
function refuseLinksFromOutside(options, linked) {
  if (linked.length === 0) return;
  const inside = /* @__PURE__ */ new Map();
  for (const entry of linked) {
    const key = `${entry.dev}:${entry.ino}`;
    inside.set(key, (inside.get(key) ?? 0) + 1);
  }
  const leftOver = linked.filter(
    (entry) => (inside.get(`${entry.dev}:${entry.ino}`) ?? 0) < entry.nlink
  );
  if (leftOver.length === 0) return;
  const outside = options.confinedTo ? hardLinksLeaving(options.confinedTo, leftOver) : leftOver;
  const first = outside[0];
  if (!first) return;
  const where = options.confinedTo ? `the workspace (${options.confinedTo})` : "the directory";
  throw new InputError(
    "subject-path",
    `directory '${options.displayPath}' contains ${first.name.slice(first.name.indexOf("/") + 1)}, a hard link with ${first.nlink} names, some outside ${where}; the archive could carry a file from elsewhere, so copy the file instead of linking it`
  );
}
async function checkLinkStaysInside(options, root, realRoot, link, target) {
  const where = `directory '${options.displayPath}' contains a symbolic link ${path.relative(root, link)} -> ${target}`;
  if (path.isAbsolute(target)) {
    throw new InputError(
      "subject-path",
      `${where} with an absolute target; use a relative link that stays inside the directory`
    );
  }
  const resolved = path.resolve(path.dirname(link), target);
  let real;
  try {
    real = await realpath(link);
  } catch {
  }
  if (!isInside(root, resolved) || real !== void 0 && !isInside(realRoot, real)) {
    throw new InputError(
      "subject-path",
      `${where} that points outside the directory; the archive would not be self-contained`
    );
  }
}
class ArchiveOutput extends Transform {
  #hash = createHash("sha256");
  #offset = 0;
  /** Bytes passed on so far: the archive file's size once the stream has ended. */
  get bytes() {
    return this.#offset;
  }
  digest() {
    return this.#hash.digest("hex");
  }
  _transform(chunk, _encoding, callback) {
    const osByte = 9 - this.#offset;
    if (osByte >= 0 && osByte < chunk.length) chunk[osByte] = GZIP_OS_UNIX;
    this.#offset += chunk.length;
    this.#hash.update(chunk);
    callback(null, chunk);
  }
}

export { createReproducibleTarball };
