// Reads a release folder once into the VerifyContext every check looks at.
import { join } from 'node:path'
import { CHANGE_RECORD_BUNDLE_FILE, CHANGE_RECORD_FILE } from '../change-record/index.ts'
import type { ChangeRecord } from '../change-record/index.ts'
import { MANIFEST_FILE, SHA256SUMS_FILE, parseManifest } from '../manifest/index.ts'
import type { Manifest } from '../manifest/index.ts'
import { PROVENANCE_BUNDLE_FILE } from '../sign/index.ts'
import { hashBytes } from '../util/digest.ts'
import { errorMessage } from '../util/errors.ts'
import { hashFolder, parseJson, readOptional } from './files.ts'
import { verifySigned } from './signatures.ts'
import type {
  ChangeRecordFile,
  IdentityExpectation,
  VerifyContext,
  VerifyReleaseOptions,
} from './types.ts'

/** The folder's manifest and the sha256 of its bytes, or why there is none to check against. */
export type ManifestInFolder = { manifest: Manifest; sha256: string } | { problem: string }

export async function readManifestFile(dir: string): Promise<ManifestInFolder> {
  const bytes = await readOptional(join(dir, MANIFEST_FILE))
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
    return { sha256, record: parseJson(bytes, CHANGE_RECORD_FILE) as ChangeRecord }
  } catch (error) {
    return { sha256, parseError: errorMessage(error) }
  }
}

/**
 * Hashes the folder, verifies the provenance bundle (three checks read it) and reads the
 * change record, its bundle and SHA256SUMS, in that order. A file that cannot be read for
 * another reason than being missing fails the whole verification.
 */
export async function buildVerifyContext(
  options: VerifyReleaseOptions,
  found: { manifest: Manifest; sha256: string },
): Promise<VerifyContext> {
  const read = (name: string) => readOptional(join(options.dir, name))
  const files = await hashFolder(options.dir)
  const provenanceBytes = await read(PROVENANCE_BUNDLE_FILE)
  const provenance = verifySigned(provenanceBytes, PROVENANCE_BUNDLE_FILE, options.trustedRoot)
  const recordBytes = await read(CHANGE_RECORD_FILE)
  const changeRecordBundle = await read(CHANGE_RECORD_BUNDLE_FILE)
  const sha256sums = (await read(SHA256SUMS_FILE))?.toString('utf8')
  return {
    repo: options.repo,
    requestedTag: options.tag,
    trustedRoot: options.trustedRoot,
    expectation: identityExpectation(options),
    manifest: found.manifest,
    manifestSha256: found.sha256,
    files,
    provenance,
    changeRecord: recordBytes ? readChangeRecord(recordBytes) : undefined,
    changeRecordBundle,
    sha256sums,
  }
}
