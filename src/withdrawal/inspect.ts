/**
 * Reads a published release before it is withdrawn (or named as the replacement): its manifest
 * must be the one GitHub stored and the one its provenance signed. Reads only.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { DigestSet } from '../change-record/index.ts'
import type { ListedRelease, ReleaseStore } from '../release/index.ts'
import { hashBytes, isSha256Hex } from '../util/digest.ts'
import { InputError, errorMessage } from '../util/errors.ts'
import { CHANGE_RECORD_FILE, MANIFEST_FILE, PROVENANCE_BUNDLE_FILE } from '../util/release-files.ts'

/** A release's manifest as GitHub holds it, checked against its provenance. */
export interface InspectedRelease {
  release: ListedRelease
  manifestDigest: DigestSet
  changeRecordDigest?: DigestSet
  /** The artifacts the manifest lists, in its order. */
  artifacts: { name: string; digest: DigestSet }[]
}

/** What a release holds is not what this action publishes. */
class UntrustedRelease extends Error {}

/** A manifest or bundle larger than this is not one this action wrote. */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

async function assetBytes(
  store: ReleaseStore,
  release: ListedRelease,
  name: string,
  dir: string,
): Promise<Buffer> {
  const asset = release.assets.find((a) => a.name === name)
  if (!asset) throw new UntrustedRelease(`it has no ${name}`)
  if (asset.size > MAX_DOCUMENT_BYTES)
    throw new UntrustedRelease(`its ${name} is ${asset.size} bytes`)
  const path = join(dir, name)
  await store.downloadAsset(asset.id, path)
  const bytes = await readFile(path)
  if (asset.digest !== null && asset.digest !== `sha256:${hashBytes(bytes)}`) {
    throw new UntrustedRelease(
      `its ${name} does not match GitHub's digest ${asset.digest} (downloaded sha256:${hashBytes(bytes)})`,
    )
  }
  return bytes
}

/** The sha256 the provenance statement gives the manifest, or undefined. */
function signedManifestDigest(bundleBytes: Buffer): string | undefined {
  const bundle = JSON.parse(bundleBytes.toString('utf8')) as {
    dsseEnvelope?: { payload?: string }
  }
  const payload = bundle.dsseEnvelope?.payload
  if (typeof payload !== 'string') return undefined
  const statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
    subject?: { name?: string; digest?: { sha256?: string } }[]
  }
  return statement.subject?.find((s) => s.name === MANIFEST_FILE)?.digest?.sha256
}

function manifestArtifacts(manifestBytes: Buffer): InspectedRelease['artifacts'] {
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as {
    subjects?: { name?: unknown; digest?: { sha256?: unknown } }[]
  }
  if (!Array.isArray(manifest.subjects))
    throw new UntrustedRelease(`its ${MANIFEST_FILE} lists no subjects`)
  return manifest.subjects.map((s) => {
    if (typeof s.name !== 'string' || !isSha256Hex(s.digest?.sha256)) {
      throw new UntrustedRelease(`its ${MANIFEST_FILE} has a subject without a name and sha256`)
    }
    return { name: s.name, digest: { sha256: s.digest.sha256 } }
  })
}

async function changeRecordDigest(
  store: ReleaseStore,
  release: ListedRelease,
  dir: string,
): Promise<DigestSet | undefined> {
  const asset = release.assets.find((a) => a.name === CHANGE_RECORD_FILE)
  if (!asset) return undefined
  const fromGitHub = asset.digest?.replace(/^sha256:/, '')
  if (isSha256Hex(fromGitHub)) return { sha256: fromGitHub }
  return { sha256: hashBytes(await assetBytes(store, release, CHANGE_RECORD_FILE, dir)) }
}

/**
 * The manifest digest, change-record digest and artifacts of a published release made by this
 * action. Refuses, naming `input`, when the manifest GitHub serves is not the one GitHub
 * recorded or not the one the provenance signed.
 */
export async function inspectRelease(
  store: ReleaseStore,
  release: ListedRelease,
  input: 'tag' | 'replacement-tag',
  scratchDir: string,
): Promise<InspectedRelease> {
  const dir = await mkdtemp(join(scratchDir, 'inspect-'))
  try {
    const manifestBytes = await assetBytes(store, release, MANIFEST_FILE, dir)
    const manifestSha256 = hashBytes(manifestBytes)
    const bundleBytes = await assetBytes(store, release, PROVENANCE_BUNDLE_FILE, dir)
    let signed: string | undefined
    try {
      signed = signedManifestDigest(bundleBytes)
    } catch (error) {
      throw new UntrustedRelease(
        `its ${PROVENANCE_BUNDLE_FILE} cannot be read: ${errorMessage(error)}`,
      )
    }
    if (signed !== manifestSha256) {
      throw new UntrustedRelease(
        `its ${PROVENANCE_BUNDLE_FILE} signs ${MANIFEST_FILE} ${signed ? `sha256:${signed}` : '(not at all)'}, but the asset is sha256:${manifestSha256}`,
      )
    }
    return {
      release,
      manifestDigest: { sha256: manifestSha256 },
      ...(await changeRecordDigest(store, release, dir).then((d) =>
        d ? { changeRecordDigest: d } : {},
      )),
      artifacts: manifestArtifacts(manifestBytes),
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    if (!(error instanceof UntrustedRelease) && !(error instanceof SyntaxError)) {
      throw store.describeFailure(`reading the release ${release.tagName}`, error)
    }
    throw new InputError(
      input,
      `the release ${release.tagName} cannot be trusted as made by immutable-release: ${errorMessage(error)}. Nothing was written.`,
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
