import { readFile } from 'node:fs/promises'
import { hashBytes } from '../util/digest.ts'
import { InputError } from '../util/errors.ts'
import type { Reporter } from '../util/reporter.ts'
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

/**
 * The names GitHub stores unchanged: ASCII letters, digits and `. - _ + @`, no leading or
 * trailing period. GitHub renames any other asset name on upload ("special characters,
 * non-alphanumeric characters, and leading or trailing periods"; a space becomes a period).
 */
const NAME_GITHUB_KEEPS = /^(?!\.)[A-Za-z0-9._+@-]+(?<!\.)$/

/** The names, of those given, that GitHub would store under another name. */
export function namesGitHubWouldRename(names: readonly string[]): string[] {
  return names.filter((name) => !NAME_GITHUB_KEEPS.test(name))
}

/**
 * Refuses, before the tag is claimed, artifacts GitHub would store under another name: the
 * release would list `My.App.exe` for `My App.exe`, fail its post-upload check and roll back.
 * A dry run uploads nothing, so there it is a warning of what the release would refuse.
 */
export function refuseNamesGitHubRenames(
  subjects: readonly { name: string; path: string; source?: string }[],
  dryRun: boolean,
  reporter: Pick<Reporter, 'warning'>,
): void {
  const renamed = new Set(namesGitHubWouldRename(subjects.map((subject) => subject.name)))
  const refused = subjects.filter((subject) => renamed.has(subject.name))
  if (refused.length === 0) return
  const input = refused.every((subject) => subject.source === 'checksums')
    ? 'subject-checksums'
    : 'subject-path'
  const listed = refused
    .slice(0, 10)
    .map((subject) =>
      subject.path === subject.name
        ? `'${subject.path}'`
        : `'${subject.path}' (released as '${subject.name}')`,
    )
  const problem = `${refused.length} artifact name(s) would not survive the upload: ${listed.join(', ')}${refused.length > 10 ? ', …' : ''}. GitHub renames asset names holding anything but ASCII letters, digits and . - _ + @, or starting or ending with a period (a space becomes a period), and the release would then not match its manifest; rename the file.`
  if (dryRun) reporter.warning(`Input '${input}': ${problem}`)
  else throw new InputError(input, problem)
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
