import type { Manifest } from '../../manifest/index.ts'
import { RELEASE_METADATA_FILES } from '../../util/release-files.ts'
import type { Check } from '../types.ts'
import { verdict } from './verdict.ts'

/** What is wrong between the folder's files and the manifest's subjects; own files aside. */
export function assetProblems(
  manifest: Manifest,
  files: ReadonlyMap<string, string>,
  ownFiles: readonly string[],
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
  for (const name of expected.keys()) {
    if (!files.has(name)) problems.push(`missing: ${name} is in the manifest but not in the folder`)
  }
  return problems
}

/** 1. Every file is in the manifest with its digest, and every subject is present. */
export const assetsCheck: Check = {
  id: 'assets',
  title: 'Assets match the manifest',
  run(ctx) {
    const problems = assetProblems(ctx.manifest, ctx.files, RELEASE_METADATA_FILES)
    const artifacts = new Set(ctx.manifest.subjects.map((s) => s.name)).size
    return verdict(assetsCheck, problems, [
      `${artifacts} artifact(s) present with the manifest's sha256`,
    ])
  },
}
