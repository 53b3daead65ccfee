// Reads a release folder once into the VerifyContext every check looks at.
import { join } from 'node:path'
import { CHANGE_RECORD_BUNDLE_FILE, CHANGE_RECORD_FILE } from '../change-record/index.ts'
import {
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  SHA256SUMS_FILE,
  parseManifest,
} from '../manifest/index.ts'
import type { Manifest } from '../manifest/index.ts'
import { PROVENANCE_BUNDLE_FILE } from '../sign/index.ts'
import { hashBytes } from '../util/digest.ts'
import { errorMessage } from '../util/errors.ts'
import { UnreadableFileError, readOptionalRegularFile } from '../util/read-user-file.ts'
import { hashFolder, parseJson } from './files.ts'
import { verifySigned } from './signatures.ts'
import type {
  ChangeRecordFile,
  IdentityExpectation,
  VerifyContext,
  VerifyReleaseOptions,
} from './types.ts'

/** Verify reads a change record of at most this many bytes (the action writes a page or two). */
export const MAX_CHANGE_RECORD_FILE_BYTES = 1024 * 1024

/** The folder's manifest and the sha256 of its bytes, or why there is none to check against. */
export type ManifestInFolder = { manifest: Manifest; sha256: string } | { problem: string }

/** The largest each file of a release may be; a larger one is refused unread. */
const READ_LIMITS: Readonly<Record<string, number>> = {
  [MANIFEST_FILE]: MAX_MANIFEST_BYTES,
  // One line per subject, each far shorter than the subject's manifest entry.
  [SHA256SUMS_FILE]: MAX_MANIFEST_BYTES,
  // The statement lists every subject again with its annotation, then base64 adds a third.
  [PROVENANCE_BUNDLE_FILE]: 2 * MAX_MANIFEST_BYTES,
  [CHANGE_RECORD_FILE]: MAX_CHANGE_RECORD_FILE_BYTES,
  // The record again, base64, plus a certificate and log entries.
  [CHANGE_RECORD_BUNDLE_FILE]: 4 * MAX_CHANGE_RECORD_FILE_BYTES,
}

/** A release file's bytes; nothing when it is missing; why, when it is no file to read. */
export type ReleaseFile = { bytes?: Buffer; problem?: undefined } | { problem: string }

/**
 * Reads one file of the folder without following a link or opening a FIFO or device (any of
 * those blocks or reads what the release did not hold), and within its size limit.
 */
export async function readReleaseFile(dir: string, name: string): Promise<ReleaseFile> {
  const limit = READ_LIMITS[name] ?? MAX_CHANGE_RECORD_FILE_BYTES
  try {
    return {
      bytes: await readOptionalRegularFile(join(dir, name), { input: name, maxBytes: limit }),
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) return { problem: `${name} ${error.reason}` }
    return { problem: `${name} cannot be read: ${errorMessage(error)}` }
  }
}

export async function readManifestFile(dir: string): Promise<ManifestInFolder> {
  const file = await readReleaseFile(dir, MANIFEST_FILE)
  if (file.problem !== undefined) return { problem: file.problem }
  const { bytes } = file
  if (!bytes) return { problem: `${MANIFEST_FILE} is missing` }
  try {
    return { manifest: parseManifest(bytes), sha256: hashBytes(bytes) }
  } catch (error) {
    return { problem: `${MANIFEST_FILE}: ${errorMessage(error)}` }
  }
}

/** Whom the signatures must name: this repository on this server, and the workflow if asked. */
export function identityExpectation(options: VerifyReleaseOptions): IdentityExpectation {
  const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '')
  return {
    repositoryURI: `${serverUrl}/${options.repo}`,
    signerWorkflow: options.signerWorkflow,
  }
}

function readChangeRecord(bytes: Buffer): ChangeRecordFile {
  const sha256 = hashBytes(bytes)
  try {
    return { sha256, record: parseJson(bytes, CHANGE_RECORD_FILE) }
  } catch (error) {
    return { sha256, parseError: errorMessage(error) }
  }
}

/** The record as found: parsed, or why not; a record too large to read is hashed by the folder listing. */
function changeRecordFile(
  file: ReleaseFile,
  files: ReadonlyMap<string, string>,
): ChangeRecordFile | undefined {
  if (file.problem !== undefined) {
    return { sha256: files.get(CHANGE_RECORD_FILE) ?? '(not read)', parseError: file.problem }
  }
  return file.bytes ? readChangeRecord(file.bytes) : undefined
}

/**
 * Hashes the folder, verifies the provenance bundle (three checks read it) and reads the
 * change record, its bundle and SHA256SUMS, in that order. A file that is no regular file, or
 * too large, is not read: why is kept in `unreadable` for its check to report.
 */
export async function buildVerifyContext(
  options: VerifyReleaseOptions,
  found: { manifest: Manifest; sha256: string },
): Promise<VerifyContext> {
  const { files, otherEntries } = await hashFolder(options.dir)
  const unreadable = new Map<string, string>()
  const read = async (name: string): Promise<ReleaseFile> => {
    const file = await readReleaseFile(options.dir, name)
    if (file.problem !== undefined) unreadable.set(name, file.problem)
    return file
  }
  const provenanceFile = await read(PROVENANCE_BUNDLE_FILE)
  const provenance =
    provenanceFile.problem === undefined
      ? verifySigned(provenanceFile.bytes, PROVENANCE_BUNDLE_FILE, options.trustedRoot)
      : { problems: [provenanceFile.problem] }
  const recordFile = await read(CHANGE_RECORD_FILE)
  const bundleFile = await read(CHANGE_RECORD_BUNDLE_FILE)
  const sumsFile = await read(SHA256SUMS_FILE)
  return {
    repo: options.repo,
    requestedTag: options.tag,
    trustedRoot: options.trustedRoot,
    expectation: identityExpectation(options),
    manifest: found.manifest,
    manifestSha256: found.sha256,
    files,
    otherEntries,
    unreadable,
    provenance,
    changeRecord: changeRecordFile(recordFile, files),
    changeRecordBundle: bundleFile.problem === undefined ? bundleFile.bytes : undefined,
    sha256sums: sumsFile.problem === undefined ? sumsFile.bytes?.toString('utf8') : undefined,
    tagLookup: options.tagLookup,
  }
}
