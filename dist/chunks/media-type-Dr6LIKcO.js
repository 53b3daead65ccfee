import { realpath } from 'node:fs/promises';
import { I as InputError } from './log-text-O5UIUIY4.js';
import { r as readRegularFile, h as hashBytes, c as canonicalJson } from './read-user-file-BZ-0qY-O.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { O as OPEN_READ_NO_FOLLOW } from './open-flags-BT7QmZNK.js';

const MANIFEST_SCHEMA_VERSION = "https://immutable-release.dev/manifest/v1";
const DEFAULT_ARCHIVE_LIMITS = Object.freeze({
  maxEntries: 1e5,
  maxTotalBytes: 16 * 1024 ** 3,
  maxCompressionRatio: 200,
  ratioCheckAfterBytes: 64 * 1024 ** 2
});

const MAX_CHECKSUMS_FILE_BYTES = 256 * 1024 ** 2;
async function readChecksumsText(absolutePath) {
  const bytes = await readRegularFile(await realpath(absolutePath), {
    input: "subject-checksums",
    maxBytes: MAX_CHECKSUMS_FILE_BYTES
  });
  return bytes.toString("utf8");
}
const CHECKSUM_LINE = /^([0-9a-fA-F]+) [ *](.+)$/s;
const ALGORITHM_BY_HEX_LENGTH = {
  64: "sha256",
  128: "sha512"
};
function readChecksumLines(text) {
  const read = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const content = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (content.trim() === "") return;
    if (content.startsWith("\\")) return read.push({ line, malformed: "escaped" });
    const match = CHECKSUM_LINE.exec(content);
    if (!match) return read.push({ line, malformed: "format" });
    const [, hex = "", name = ""] = match;
    read.push({ line, hex, name });
  });
  return read;
}
function refuse(line, why) {
  return new InputError("subject-checksums", `line ${line} ${why}`);
}
function refuseMalformed(line) {
  return line.malformed === "escaped" ? refuse(
    line.line,
    "lists an escaped file name (a name containing a newline or backslash); such names cannot be release assets, rename the file"
  ) : refuse(
    line.line,
    `is not in sha256sum format '<hex digest>  <file name>' (or '<hex digest> *<file name>')`
  );
}
function parseChecksums(text) {
  const byName = /* @__PURE__ */ new Map();
  for (const listed of readChecksumLines(text)) {
    if ("malformed" in listed) throw refuseMalformed(listed);
    const { line, hex, name } = listed;
    const algorithm = ALGORITHM_BY_HEX_LENGTH[hex.length];
    if (!algorithm) {
      throw refuse(
        line,
        `has a ${hex.length}-character digest; expected 64 hex characters (SHA-256) or 128 (SHA-512)`
      );
    }
    if (name.includes("\\") || name.includes("\r")) {
      throw refuse(
        line,
        "names a file with a backslash or carriage return; such names cannot be release assets, rename the file"
      );
    }
    const entry = byName.get(name) ?? { name, line };
    const digest = hex.toLowerCase();
    const existing = entry[algorithm];
    if (existing !== void 0 && existing !== digest) {
      throw refuse(
        line,
        `lists '${name}' with a ${algorithm} digest that differs from line ${entry.line}`
      );
    }
    entry[algorithm] = digest;
    byName.set(name, entry);
  }
  return [...byName.values()];
}

function compareNames(a, b) {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 55296 && x <= 57343;
    const ySurrogate = y >= 55296 && y <= 57343;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function manifestOf(source, subjects) {
  const cleanSource = {};
  if (source.commit) cleanSource.commit = source.commit;
  if (source.repository) cleanSource.repository = source.repository;
  if (source.tag) cleanSource.tag = source.tag;
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    source: cleanSource,
    subjects: [...subjects].sort((a, b) => compareNames(a.name, b.name)).map(toManifestSubject)
  };
}
function toManifestSubject(subject) {
  const digest = subject.digest.sha512 ? { sha256: subject.digest.sha256, sha512: subject.digest.sha512 } : { sha256: subject.digest.sha256 };
  const { archive, mediaType, name, path, size, source } = subject;
  if (archive) {
    return size !== void 0 ? { archive, digest, mediaType, name, path, size, source } : { archive, digest, mediaType, name, path, source };
  }
  return size !== void 0 ? { digest, mediaType, name, path, size, source } : { digest, mediaType, name, path, source };
}
function serializeManifest(manifest) {
  const bytes = Buffer.from(canonicalText(manifest), "utf8");
  return { bytes, digest: `sha256:${hashBytes(bytes)}` };
}
const ARRAY_INDEX_KEY = /^(?:0|[1-9]\d*)$/;
class NotPlain extends Error {
}
function canonicalText(value) {
  let form;
  try {
    form = canonicalForm(value);
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
    return canonicalJson(value).toString("utf8");
  }
  const text = JSON.stringify(form);
  if (text === void 0) throw new TypeError("value cannot be represented as JSON");
  return text;
}
const KEY_ORDERS = [];
const KEY_ORDERS_MAX = 64;
function sameKeys(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function sortedKeys(keys) {
  for (let i = 0; i < KEY_ORDERS.length; i++) {
    const known = KEY_ORDERS[i];
    if (sameKeys(known.keys, keys)) {
      if (i > 0) KEY_ORDERS.unshift(...KEY_ORDERS.splice(i, 1));
      return known.sorted;
    }
  }
  const sorted = [...keys].sort();
  if (KEY_ORDERS.length >= KEY_ORDERS_MAX) KEY_ORDERS.pop();
  KEY_ORDERS.unshift({ keys, sorted });
  return sorted;
}
const DIGIT_0 = 48;
const DIGIT_9 = 57;
function checkKey(key) {
  const first = key.charCodeAt(0);
  if (first >= DIGIT_0 && first <= DIGIT_9 && ARRAY_INDEX_KEY.test(key) || key === "__proto__" || !key.isWellFormed())
    throw new NotPlain();
}
function canonicalForm(value) {
  switch (typeof value) {
    case "string":
      if (!value.isWellFormed()) throw new NotPlain();
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new NotPlain();
      return value;
    case "boolean":
      return value;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        let copy2;
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new NotPlain();
          const item = value[i];
          const form = canonicalForm(item);
          if (form !== item && !copy2) copy2 = value.slice(0, i);
          copy2?.push(form);
        }
        return copy2 ?? value;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw new NotPlain();
      const record = value;
      const keys = Object.keys(record);
      let inOrder = true;
      const forms = new Array(keys.length);
      let changed = false;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        checkKey(key);
        if (i > 0 && !(keys[i - 1] < key)) inOrder = false;
        const item = record[key];
        const form = canonicalForm(item);
        forms[i] = form;
        if (form !== item) changed = true;
      }
      if (inOrder && !changed) return record;
      const copy = {};
      if (inOrder) {
        for (let i = 0; i < keys.length; i++) copy[keys[i]] = forms[i];
        return copy;
      }
      const formOf = /* @__PURE__ */ new Map();
      for (let i = 0; i < keys.length; i++) formOf.set(keys[i], forms[i]);
      for (const key of sortedKeys(keys)) copy[key] = formOf.get(key);
      return copy;
    }
    default:
      throw new NotPlain();
  }
}
function sha256sumsOf(subjects) {
  return [...subjects].sort((a, b) => compareNames(a.name, b.name)).map((subject) => `${subject.digest.sha256}  ${subject.name}
`).join("");
}

const DEFAULT_READ_SIZE = 4 * 1024 * 1024;
const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_FILES = 256;
const HASHER_SOURCE = `
'use strict'
const buffers = [Buffer.allocUnsafe(readSize), Buffer.allocUnsafe(readSize)]
const OPEN_FLAGS = ${OPEN_READ_NO_FOLLOW}
const failed = (code, message) => ({ size: 0, digests: {}, error: { code, message } })
const failure = (error) => failed(String(error.code || 'EIO'), String(error.message))
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))
function outcome(info, size, digests) {
  if (info.nlink > 1) return { size, digests, links: { dev: info.dev, ino: info.ino, nlink: info.nlink } }
  return { size, digests }
}
function digestsOf(file, hashes) {
  const digests = {}
  file.algorithms.forEach((algorithm, i) => { digests[algorithm] = hashes[i].digest('hex') })
  return digests
}
function hashSmall(fd, info, file) {
  const buffer = buffers[0]
  const first = fs.readSync(fd, buffer, 0, readSize, null)
  if (first === info.size && first < readSize && file.algorithms.length === 1) {
    const chunk = buffer.subarray(0, first)
    return outcome(info, first, { [file.algorithms[0]]: crypto.hash(file.algorithms[0], chunk, 'hex') })
  }
  const hashes = file.algorithms.map((algorithm) => crypto.createHash(algorithm))
  let size = 0
  for (let read = first; read > 0; ) {
    const chunk = read === readSize ? buffer : buffer.subarray(0, read)
    for (const hash of hashes) hash.update(chunk)
    size += read
    if (info.size > 0 && size === info.size) break
    read = fs.readSync(fd, buffer, 0, readSize, null)
  }
  return outcome(info, size, digestsOf(file, hashes))
}
function readInto(fd, buffer, position) {
  return new Promise((resolve, reject) => {
    fs.read(fd, buffer, 0, readSize, position, (error, read) => (error ? reject(error) : resolve(read)))
  })
}
async function hashOverlapped(fd, info, file) {
  const hashes = file.algorithms.map((algorithm) => crypto.createHash(algorithm))
  let size = 0
  let turn = 0
  let next = readInto(fd, buffers[0], 0)
  for (;;) {
    const read = await next
    if (read === 0) break
    const buffer = buffers[turn]
    size += read
    turn ^= 1
    next = readInto(fd, buffers[turn], size)
    const chunk = read === readSize ? buffer : buffer.subarray(0, read)
    for (const hash of hashes) hash.update(chunk)
  }
  return outcome(info, size, digestsOf(file, hashes))
}
async function hashInTurns(fd, info, file) {
  const hashes = file.algorithms.map((algorithm) => crypto.createHash(algorithm))
  const buffer = buffers[0]
  let size = 0
  for (;;) {
    const read = fs.readSync(fd, buffer, 0, readSize, null)
    if (read === 0) break
    const chunk = read === readSize ? buffer : buffer.subarray(0, read)
    for (const hash of hashes) hash.update(chunk)
    size += read
    await nextTurn()
  }
  return outcome(info, size, digestsOf(file, hashes))
}
/** The outcome, or a promise of it for a large file. */
function hashOne(file, overlap) {
  let fd
  let closes = true
  try {
    fd = fs.openSync(file.path, OPEN_FLAGS)
    const info = fs.fstatSync(fd)
    if (!info.isFile()) return failed('ENOTFILE', 'not a regular file')
    if (file.identity && (file.identity.dev !== info.dev || file.identity.ino !== info.ino))
      return failed('ECHANGED', 'replaced by another file after it was listed')
    if (info.size <= 2 * readSize) return hashSmall(fd, info, file)
    closes = false
    const opened = fd
    const hashing = overlap ? hashOverlapped(opened, info, file) : hashInTurns(opened, info, file)
    return hashing.catch(failure).finally(() => fs.closeSync(opened))
  } catch (error) {
    return failure(error)
  } finally {
    if (fd !== undefined && closes) fs.closeSync(fd)
  }
}
async function hashBatch(files, overlap) {
  const outcomes = []
  for (const file of files) {
    const result = hashOne(file, overlap)
    outcomes.push(result instanceof Promise ? await result : result)
  }
  return outcomes
}
return { hashBatch }
`;
const WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads')
const hasher = (function (fs, crypto, readSize) {${HASHER_SOURCE}})(
  process.getBuiltinModule('node:fs'),
  process.getBuiltinModule('node:crypto'),
  workerData.readSize,
)
// One batch after another. The pool queues a second batch here, and a large file's turns (or
// read-ahead) would otherwise let it start in between: two batches interleaved on the same two
// buffers, which is safe today only because read-ahead runs when there is a single batch.
let previous = Promise.resolve()
parentPort.on('message', (batch) => {
  previous = previous.then(async () => {
    parentPort.postMessage({ id: batch.id, outcomes: await hasher.hashBatch(batch.files, batch.overlap) })
  })
})
`;
function mainThreadHasher(readSize) {
  const make = new Function("fs", "crypto", "readSize", HASHER_SOURCE);
  return make(fs, crypto, readSize);
}
const WORKER_QUEUE = 2;
class HashPool {
  #concurrency;
  #readSize;
  #hashOnThisThread;
  #workers = [];
  /** Workers whose thread is up: only they are handed batches, this thread takes the rest. */
  #online = /* @__PURE__ */ new WeakSet();
  #local;
  #busy = false;
  #closed = false;
  constructor(options = {}) {
    this.#concurrency = Math.max(1, options.concurrency ?? availableParallelism());
    this.#readSize = options.readSize ?? DEFAULT_READ_SIZE;
    this.#hashOnThisThread = options.hashOnThisThread ?? true;
  }
  /** Starts the worker threads, before the caller knows what there is to hash. */
  warm() {
    this.#spawnUpTo(this.#workerCount());
    return this;
  }
  /**
   * Resolves with one outcome per request, in request order; unreadable files are reported in
   * their outcome rather than failing the others.
   */
  async hash(requests) {
    if (this.#busy) throw new Error("HashPool.hash is already running");
    const outcomes = new Array(requests.length);
    const batches = planBatches(requests, this.#concurrency);
    if (batches.length === 0) return outcomes;
    this.#busy = true;
    const overlap = batches.length === 1;
    const workers = this.#spawnUpTo(
      this.#hashOnThisThread ? Math.min(this.#workerCount(), batches.length - 1) : this.#workerCount()
    );
    const wire = (batch) => batch.indexes.map((i) => requests[i]);
    const store = (batch, results) => {
      batch.indexes.forEach((requestIndex, k) => {
        outcomes[requestIndex] = results[k];
      });
    };
    const detach = [];
    try {
      await new Promise((resolve, reject) => {
        let nextBatch = 0;
        let pending = batches.length;
        let failed = false;
        const settle = (batch, results) => {
          store(batch, results);
          if (--pending === 0) resolve();
        };
        const fail = (error) => {
          failed = true;
          reject(error);
        };
        const inFlight = /* @__PURE__ */ new Map();
        const feed = (worker) => {
          for (; ; ) {
            const batch = batches[nextBatch];
            const held = inFlight.get(worker) ?? 0;
            if (!batch || !this.#online.has(worker)) return;
            if (held >= WORKER_QUEUE || held > 0 && batch.alone) return;
            nextBatch++;
            inFlight.set(worker, held + 1);
            worker.postMessage({ id: batch.id, files: wire(batch), overlap });
          }
        };
        for (const worker of workers) {
          const onMessage = (reply) => {
            inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
            settle(batches[reply.id], reply.outcomes);
            feed(worker);
          };
          const onExit = (code) => {
            this.#forget(worker);
            fail(new Error(`hash worker exited with code ${code} before finishing`));
          };
          const onOnline = () => feed(worker);
          worker.on("message", onMessage);
          worker.on("error", fail);
          worker.on("exit", onExit);
          worker.on("online", onOnline);
          detach.push(() => {
            worker.off("message", onMessage);
            worker.off("error", fail);
            worker.off("exit", onExit);
            worker.off("online", onOnline);
          });
          feed(worker);
        }
        if (!this.#hashOnThisThread) return;
        const local = this.#local ??= mainThreadHasher(this.#readSize);
        const hashHere = async () => {
          for (let batch = batches[nextBatch]; batch && !failed; batch = batches[nextBatch]) {
            if (this.#closed) throw new Error("HashPool was closed before the files were hashed");
            nextBatch++;
            settle(batch, await local.hashBatch(wire(batch), overlap));
            await new Promise((next) => setImmediate(next));
          }
        };
        hashHere().catch(fail);
      });
    } finally {
      for (const off of detach) off();
      this.#busy = false;
    }
    return outcomes;
  }
  /**
   * Stops the workers; resolves once their threads have exited. They are unreferenced first,
   * so a caller that does not wait (the manifest build) is not kept alive by them.
   */
  async close() {
    this.#closed = true;
    const workers = this.#workers.splice(0);
    for (const worker of workers) worker.unref();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  /** This thread is one of the hashers unless told otherwise. */
  #workerCount() {
    return this.#hashOnThisThread ? this.#concurrency - 1 : this.#concurrency;
  }
  #spawnUpTo(count) {
    while (this.#workers.length < count) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { readSize: this.#readSize },
        // Not piped into this process's streams when it starts, as a worker's output is by
        // default: that creates process.stdout and process.stderr, which for a pipe loads net
        // and makes the pipe non-blocking (~5 ms of a CLI run). A hasher writes nothing; what
        // it might (a warning) is passed on when it comes.
        stdout: true,
        stderr: true
      });
      worker.stdout.on("data", (chunk) => process.stdout.write(chunk));
      worker.stderr.on("data", (chunk) => process.stderr.write(chunk));
      worker.on("error", () => {
      });
      worker.on("exit", () => this.#forget(worker));
      worker.once("online", () => this.#online.add(worker));
      this.#workers.push(worker);
    }
    return this.#workers.slice(0, count);
  }
  #forget(worker) {
    const index = this.#workers.indexOf(worker);
    if (index >= 0) this.#workers.splice(index, 1);
  }
}
async function hashFiles(requests, options = {}) {
  const pool = new HashPool(options);
  try {
    return await pool.hash(requests);
  } finally {
    await pool.close();
  }
}
function planBatches(requests, workers) {
  const sizeOf = (i) => requests[i]?.size ?? BATCH_BYTES - 1;
  const order = requests.map((_, i) => i);
  if (requests.some((request) => request.size !== void 0))
    order.sort((a, b) => sizeOf(b) - sizeOf(a));
  const maxFiles = Math.max(1, Math.min(BATCH_FILES, Math.ceil(requests.length / (workers * 8))));
  const batches = [];
  let current;
  let currentBytes = 0;
  for (const index of order) {
    const size = requests[index]?.size;
    if (size !== void 0 && size >= BATCH_BYTES) {
      batches.push({ id: batches.length, indexes: [index], alone: true });
      continue;
    }
    const bytes = size ?? 0;
    if (!current || currentBytes + bytes > BATCH_BYTES || current.indexes.length >= maxFiles) {
      current = { id: batches.length, indexes: [], alone: false };
      currentBytes = 0;
      batches.push(current);
    }
    current.indexes.push(index);
    currentBytes += bytes;
  }
  for (const batch of batches) batch.alone = batch.indexes.length === 1;
  return batches;
}

const MEDIA_TYPES = [
  [".spdx.json", "application/spdx+json"],
  [".cdx.json", "application/vnd.cyclonedx+json"],
  [".cdx.xml", "application/vnd.cyclonedx+xml"],
  [".intoto.jsonl", "application/vnd.in-toto+jsonl"],
  [".sigstore.json", "application/vnd.dev.sigstore.bundle.v0.3+json"],
  [".sigstore", "application/vnd.dev.sigstore.bundle.v0.3+json"],
  [".tar.gz", "application/gzip"],
  [".tgz", "application/gzip"],
  [".gz", "application/gzip"],
  [".tar.xz", "application/x-xz"],
  [".txz", "application/x-xz"],
  [".xz", "application/x-xz"],
  [".tar.bz2", "application/x-bzip2"],
  [".bz2", "application/x-bzip2"],
  [".tar.zst", "application/zstd"],
  [".zst", "application/zstd"],
  [".tar", "application/x-tar"],
  [".zip", "application/zip"],
  [".7z", "application/x-7z-compressed"],
  [".json", "application/json"],
  [".jsonl", "application/jsonl"],
  [".yaml", "application/yaml"],
  [".yml", "application/yaml"],
  [".xml", "application/xml"],
  [".txt", "text/plain"],
  [".md", "text/markdown"],
  [".html", "text/html"],
  [".deb", "application/vnd.debian.binary-package"],
  [".rpm", "application/x-rpm"],
  [".apk", "application/vnd.android.package-archive"],
  [".exe", "application/vnd.microsoft.portable-executable"],
  [".msi", "application/x-msi"],
  [".dmg", "application/x-apple-diskimage"],
  [".pkg", "application/octet-stream"],
  [".appimage", "application/vnd.appimage"],
  [".whl", "application/zip"],
  [".jar", "application/java-archive"],
  [".war", "application/java-archive"],
  [".nupkg", "application/zip"],
  [".gem", "application/x-tar"],
  [".crate", "application/gzip"],
  [".wasm", "application/wasm"],
  [".sig", "application/pgp-signature"],
  [".asc", "application/pgp-signature"],
  [".pem", "application/x-pem-file"],
  [".crt", "application/x-x509-ca-cert"],
  [".sbom", "application/json"]
];
const DEFAULT_MEDIA_TYPE = "application/octet-stream";
const BY_LAST_EXTENSION = (() => {
  const map = /* @__PURE__ */ new Map();
  for (const entry of MEDIA_TYPES) {
    const extension = entry[0].slice(entry[0].lastIndexOf("."));
    const list = map.get(extension);
    if (list) list.push(entry);
    else map.set(extension, [entry]);
  }
  return map;
})();
function mediaTypeFor(name) {
  const dot = name.lastIndexOf(".");
  if (dot < 0) return DEFAULT_MEDIA_TYPE;
  const candidates = BY_LAST_EXTENSION.get(name.slice(dot).toLowerCase());
  if (!candidates) return DEFAULT_MEDIA_TYPE;
  const lower = name.toLowerCase();
  for (const [ending, mediaType] of candidates) {
    if (lower.endsWith(ending) && lower.length > ending.length) return mediaType;
  }
  return DEFAULT_MEDIA_TYPE;
}
function tarKind(name) {
  const lower = name.toLowerCase();
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".tar")) return "tar";
  return void 0;
}

export { DEFAULT_ARCHIVE_LIMITS as D, HashPool as H, MANIFEST_SCHEMA_VERSION as M, sha256sumsOf as a, mediaTypeFor as b, compareNames as c, readChecksumLines as d, DEFAULT_READ_SIZE as e, hashFiles as h, manifestOf as m, parseChecksums as p, readChecksumsText as r, serializeManifest as s, tarKind as t };
