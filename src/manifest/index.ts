import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { MANIFEST_FILE, SHA256SUMS_FILE, type BuiltManifest } from './types.ts'

export { MANIFEST_FILE, SHA256SUMS_FILE } from './types.ts'
export type { BuiltManifest, Manifest } from './types.ts'
export { buildManifest } from './build.ts'
export { MAX_MANIFEST_BYTES, MAX_MANIFEST_SUBJECTS, parseManifest } from './parse.ts'
export { parseSubjectPatterns } from './patterns.ts'
export { resolveSourceDateEpoch } from './source-date-epoch.ts'

export { hashFiles } from './hash-pool.ts'
export { readChecksumLines } from './checksums.ts'
export { sha256sumsOf } from './document.ts'

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
