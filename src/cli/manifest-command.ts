// `immutable-release manifest` after its arguments are parsed. A module of its own, imported
// by commands.ts only for this command: it takes just these three bindings from the manifest
// capability, so the bundle loads them and what they need, not the whole capability (reading
// a manifest needs the JSON-schema validator, about 16 ms of loading that writing one does not).
import { buildManifest, resolveSourceDateEpoch, writeManifestFiles } from '../manifest/index.ts'
import type { Manifest } from '../manifest/index.ts'
import { logLine } from '../util/log-text.ts'
import { out, stderrReporter } from './output.ts'

export interface ManifestCommandRequest {
  workspace: string
  outDir: string
  patterns: string[]
  checksums?: string
  source: Manifest['source']
}

/** Writes release-manifest.json and SHA256SUMS; prints the digest on the last line. */
export async function writeManifest(request: ManifestCommandRequest): Promise<void> {
  const { workspace, outDir } = request
  const built = await buildManifest({
    workspace,
    patterns: request.patterns,
    checksumsFile: request.checksums,
    source: request.source,
    outDir,
    // Read (and warned about) only when a directory is packed: it dates tarball entries.
    sourceDateEpoch: () =>
      resolveSourceDateEpoch({
        env: process.env,
        workspace,
        commit: request.source.commit ?? 'HEAD',
        reporter: stderrReporter,
      }),
    reporter: stderrReporter,
  })
  const { manifestPath, sha256sumsPath } = await writeManifestFiles(built, outDir)
  out(`${built.subjects.length} subjects\n`)
  out(`manifest: ${logLine(manifestPath)}\nchecksums: ${logLine(sha256sumsPath)}\n`)
  out(`${built.digest}\n`)
}
