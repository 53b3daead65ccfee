import type { Manifest } from '../../manifest/index.ts'
import { RELEASE_METADATA_FILES } from '../../util/release-files.ts'
import type { OtherEntry } from '../files.ts'
import type { Check } from '../types.ts'
import { verdict } from './verdict.ts'

/** What is wrong between the folder's files and the manifest's subjects; own files aside. */
export function assetProblems(
  manifest: Manifest,
  files: ReadonlyMap<string, string>,
  ownFiles: readonly string[],
  otherEntries: readonly OtherEntry[],
): string[] {
  const problems: string[] = []
  const expected = new Map(manifest.subjects.map((s) => [s.name, s.digest.sha256]))
  for (const [name, sha256] of files) {
    if (ownFiles.includes(name)) continue
    const want = expected.get(name)
    if (want === undefined) problems.push(`extra file not in the manifest: ${name}`)
    else if (want !== sha256) {
      problems.push(`${name}: sha256 ${sha256} differs from the manifest's ${want}`)
    }
  }
  // Whatever its name, even a listed asset's or one of the action's own files: nothing below
  // a link, a folder or a FIFO was checked, so the folder is not what the manifest describes.
  for (const entry of otherEntries) problems.push(unchecked(entry))
  const others = new Set(otherEntries.map((entry) => entry.name))
  for (const name of expected.keys()) {
    if (!files.has(name) && !others.has(name)) {
      problems.push(`missing: ${name} is in the manifest but not in the folder`)
    }
  }
  return problems
}

/** Why an entry that is not a regular file fails: what verify did not do with it. */
function unchecked({ name, kind }: OtherEntry): string {
  const why =
    kind === 'symbolic link'
      ? 'verify does not follow links, so what it points to was not checked'
      : kind === 'folder'
        ? 'release assets are flat, so what it holds was not checked'
        : 'verify does not open it, so what it holds was not checked'
  return `${name} is a ${kind}, not a regular file: ${why}`
}

/**
 * 1. Every file is in the manifest with its digest, every subject is present, and the folder
 * holds nothing else: no link, sub-folder, FIFO or device.
 */
export const assetsCheck: Check = {
  id: 'assets',
  title: 'Assets match the manifest',
  run(ctx) {
    const problems = assetProblems(
      ctx.manifest,
      ctx.files,
      RELEASE_METADATA_FILES,
      ctx.otherEntries,
    )
    const artifacts = new Set(ctx.manifest.subjects.map((s) => s.name)).size
    return verdict(assetsCheck, problems, [
      `${artifacts} artifact(s) present with the manifest's sha256`,
    ])
  },
}
