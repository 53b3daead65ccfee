import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { MANIFEST_FILE, SHA256SUMS_FILE, type BuiltManifest } from './types.ts'

export {
  MANIFEST_FILE,
  MANIFEST_SCHEMA_VERSION,
  SHA256SUMS_FILE,
  RESERVED_ASSET_NAMES,
  DEFAULT_ARCHIVE_LIMITS,
} from './types.ts'
export type {
  ArchiveFlag,
  ArchiveLimits,
  ArchiveListing,
  ArchiveMember,
  ArchiveMemberType,
  BuiltManifest,
  Manifest,
  ManifestSource,
  ManifestSubject,
  Subject,
  SubjectDigest,
  SubjectSource,
} from './types.ts'
export { buildManifest, type ManifestOptions } from './build.ts'
export { parseManifest, serializeManifest, sha256sumsOf, MANIFEST_JSON_SCHEMA } from './document.ts'
export { parseSubjectPatterns } from './patterns.ts'
export { resolveSourceDateEpoch, type SourceDateEpochOptions } from './source-date-epoch.ts'
export { hashFile, type FileDigest } from './hash-file.ts'
export { hashFiles, type HashAlgorithm, type HashRequest, type HashOutcome } from './hash-pool.ts'
export { mediaTypeFor } from './media-type.ts'

/**
 * Writes `release-manifest.json` (the canonical bytes, exactly as signed) and `SHA256SUMS`
 * into `outDir`, creating it if needed.
 */
export async function writeManifestFiles(
  built: BuiltManifest,
  outDir: string,
): Promise<{ manifestPath: string; sha256sumsPath: string }> {
  await mkdir(outDir, { recursive: true })
  const manifestPath = path.join(outDir, MANIFEST_FILE)
  const sha256sumsPath = path.join(outDir, SHA256SUMS_FILE)
  await writeFile(manifestPath, built.bytes)
  await writeFile(sha256sumsPath, built.sha256sums, 'utf8')
  return { manifestPath, sha256sumsPath }
}
