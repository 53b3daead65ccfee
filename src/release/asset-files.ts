import { readFile } from 'node:fs/promises'
import { hashBytes } from '../util/digest.ts'
import { InputError } from '../util/errors.ts'
import type { ReleaseAssetFile } from './request.ts'

/** A released artifact as the manifest lists it; `localPath` is where the workspace holds it. */
export interface SubjectFile {
  name: string
  path: string
  localPath?: string
  digest: { sha256: string }
  size?: number
  mediaType: string
}

/** A file the action wrote itself (manifest, checksums, record, bundles). */
export interface GeneratedFile {
  name: string
  path: string
  /** `text` for the sha256sum listing, `json` for the documents and bundles. */
  format: 'text' | 'json'
}

const CONTENT_TYPES: Record<GeneratedFile['format'], string> = {
  text: 'text/plain',
  json: 'application/json',
}

/**
 * A release uploads every artifact it lists: refuse, before anything is signed, when some of
 * them (named by a checksums file) are not in the workspace. A dry run uploads nothing.
 */
export function refuseMissingSubjects(subjects: readonly SubjectFile[], dryRun: boolean): void {
  const missing = subjects.filter((subject) => !subject.localPath)
  if (missing.length === 0 || dryRun) return
  throw new InputError(
    'subject-checksums',
    `${missing.length} listed artifact(s) are not in the workspace, so they cannot be released: ${missing
      .slice(0, 10)
      .map((s) => s.path)
      .join(', ')}. Download them into the workspace before this step.`,
  )
}

async function generatedAsset(file: GeneratedFile): Promise<ReleaseAssetFile> {
  const bytes = await readFile(file.path)
  return {
    name: file.name,
    path: file.path,
    sha256: hashBytes(bytes),
    size: bytes.length,
    contentType: CONTENT_TYPES[file.format],
  }
}

/** The release's assets: the artifacts in manifest order, then the action's own files in order. */
export async function releaseAssetFiles(
  subjects: readonly SubjectFile[],
  generated: readonly GeneratedFile[],
): Promise<ReleaseAssetFile[]> {
  const assets: ReleaseAssetFile[] = subjects.map((subject) => ({
    name: subject.name,
    path: subject.localPath as string,
    sha256: subject.digest.sha256,
    size: subject.size ?? 0,
    contentType: subject.mediaType,
  }))
  for (const file of generated) assets.push(await generatedAsset(file))
  return assets
}
