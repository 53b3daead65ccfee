// Reads one release's evidence through the GitHub API without downloading its artifacts: the
// assets are checked by the digests GitHub lists, and only the manifest and the two bundles are
// downloaded (three requests). change-record.json and SHA256SUMS are known from what is signed
// and what the manifest says; their bytes are downloaded only when GitHub's digest shows they
// differ from that, which is then itself a finding.
import { CHANGE_RECORD_BUNDLE_FILE, CHANGE_RECORD_FILE } from '../change-record/index.ts'
import { downloadAndHashAsset, downloadAssetBytes } from '../github/index.ts'
import type { GitHubClient, ListedAsset, ListedRelease } from '../github/index.ts'
import {
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  SHA256SUMS_FILE,
  parseManifest,
} from '../manifest/index.ts'
import type { Manifest } from '../manifest/index.ts'
import { PROVENANCE_BUNDLE_FILE } from '../sign/index.ts'
import { canonicalJson } from '../util/canonical-json.ts'
import { hashBytes } from '../util/digest.ts'
import { errorMessage } from '../util/errors.ts'
import { identityExpectation, verifySigned } from '../verify/index.ts'
import type { ChangeRecordFile, VerifyContext } from '../verify/index.ts'
import type { ReleaseEvidence } from './types.ts'

/** The largest change record or record bundle read (the action writes a page or two). */
const MAX_RECORD_BYTES = 4 * 1024 * 1024

export interface GitHubSource {
  client: GitHubClient
  owner: string
  repo: string
}

export interface EvidenceOptions {
  /** `OWNER/REPO` the releases must come from. */
  repo: string
  trustedRoot: unknown
  signerWorkflow?: string
  serverUrl?: string
}

/** GitHub's `sha256:<hex>` digest as hex, or undefined when the server gives none. */
function listedSha256(asset: ListedAsset): string | undefined {
  return /^sha256:([0-9a-f]{64})$/.exec(asset.digest ?? '')?.[1]
}

/** The predicate of a bundle's DSSE statement, unverified: only used to guess bytes. */
function unverifiedPredicate(bundleBytes: Buffer | undefined): unknown {
  if (!bundleBytes) return undefined
  try {
    const bundle = JSON.parse(bundleBytes.toString('utf8')) as {
      dsseEnvelope?: { payload?: string }
    }
    const payload = bundle.dsseEnvelope?.payload
    if (typeof payload !== 'string') return undefined
    return (JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { predicate?: unknown })
      .predicate
  } catch {
    return undefined
  }
}

function parsedRecord(bytes: Buffer): ChangeRecordFile {
  const sha256 = hashBytes(bytes)
  try {
    return { sha256, record: JSON.parse(bytes.toString('utf8')) }
  } catch (error) {
    return { sha256, parseError: `${CHANGE_RECORD_FILE} is not JSON: ${errorMessage(error)}` }
  }
}

/** SHA256SUMS as the action writes it for these (already sorted) subjects. */
function expectedSha256Sums(manifest: Manifest): string {
  return manifest.subjects.map((s) => `${s.digest.sha256}  ${s.name}\n`).join('')
}

/**
 * Reads releases' assets for the audit: GitHub's digests, and the few small files the checks
 * read, each by one request.
 */
class ReleaseReader {
  readonly unreadable = new Map<string, string>()
  private readonly source: GitHubSource
  private readonly release: ListedRelease
  constructor(source: GitHubSource, release: ListedRelease) {
    this.source = source
    this.release = release
  }

  asset(name: string): ListedAsset | undefined {
    return this.release.assets.find((a) => a.name === name)
  }

  /** The bytes of `name`, undefined when the release has no such asset; why, when unreadable. */
  async bytes(name: string, maxBytes: number): Promise<Buffer | undefined> {
    const asset = this.asset(name)
    if (!asset) return undefined
    const { client, owner, repo } = this.source
    try {
      return await downloadAssetBytes(client, { owner, repo, asset }, maxBytes)
    } catch (error) {
      this.unreadable.set(name, `${name} cannot be read: ${errorMessage(error)}`)
      return undefined
    }
  }

  /** sha256 of every asset by name: GitHub's digest, or (older servers) hashed as streamed. */
  async digests(known: ReadonlyMap<string, Buffer>): Promise<Map<string, string>> {
    const files = new Map<string, string>()
    const { client, owner, repo } = this.source
    for (const asset of this.release.assets) {
      const bytes = known.get(asset.name)
      const listed = listedSha256(asset)
      if (bytes) files.set(asset.name, hashBytes(bytes))
      else if (listed) files.set(asset.name, listed)
      else {
        const { sha256 } = await downloadAndHashAsset(client, { owner, repo, assetId: asset.id })
        files.set(asset.name, sha256)
      }
    }
    return files
  }

  /** change-record.json: the signed predicate's RFC 8785 bytes when GitHub's digest says so. */
  async changeRecord(
    bundle: Buffer | undefined,
    files: ReadonlyMap<string, string>,
  ): Promise<ChangeRecordFile | undefined> {
    const stored = files.get(CHANGE_RECORD_FILE)
    if (stored === undefined) return undefined
    const predicate = unverifiedPredicate(bundle)
    if (predicate !== undefined) {
      const candidate = canonicalJson(predicate)
      if (hashBytes(candidate) === stored) return { sha256: stored, record: predicate }
    }
    const bytes = await this.bytes(CHANGE_RECORD_FILE, MAX_RECORD_BYTES)
    const unread = this.unreadable.get(CHANGE_RECORD_FILE)
    return bytes ? parsedRecord(bytes) : { sha256: stored, parseError: unread ?? 'not read' }
  }

  /** SHA256SUMS: the manifest's own listing when GitHub's digest says so. */
  async sha256Sums(
    manifest: Manifest,
    files: ReadonlyMap<string, string>,
  ): Promise<string | undefined> {
    const stored = files.get(SHA256SUMS_FILE)
    if (stored === undefined) return undefined
    const candidate = expectedSha256Sums(manifest)
    if (hashBytes(candidate) === stored) return candidate
    return (await this.bytes(SHA256SUMS_FILE, MAX_MANIFEST_BYTES))?.toString('utf8')
  }
}

/** One release's evidence from GitHub (without artifact downloads). */
export async function releaseEvidenceFromGitHub(
  source: GitHubSource,
  release: ListedRelease,
  options: EvidenceOptions,
): Promise<ReleaseEvidence> {
  const base: ReleaseEvidence = {
    tag: release.tag,
    date: release.publishedAt ?? release.createdAt,
    prerelease: release.prerelease,
  }
  const reader = new ReleaseReader(source, release)
  if (!reader.asset(MANIFEST_FILE)) return base
  const [manifestBytes, provenanceBytes, recordBundle] = await Promise.all([
    reader.bytes(MANIFEST_FILE, MAX_MANIFEST_BYTES),
    reader.bytes(PROVENANCE_BUNDLE_FILE, 2 * MAX_MANIFEST_BYTES),
    reader.bytes(CHANGE_RECORD_BUNDLE_FILE, MAX_RECORD_BYTES),
  ])
  if (!manifestBytes) {
    return { ...base, manifestProblem: reader.unreadable.get(MANIFEST_FILE) ?? 'not read' }
  }
  let manifest: Manifest
  try {
    manifest = parseManifest(manifestBytes)
  } catch (error) {
    return { ...base, manifestProblem: `${MANIFEST_FILE}: ${errorMessage(error)}` }
  }
  const known = new Map<string, Buffer>([[MANIFEST_FILE, manifestBytes]])
  if (provenanceBytes) known.set(PROVENANCE_BUNDLE_FILE, provenanceBytes)
  if (recordBundle) known.set(CHANGE_RECORD_BUNDLE_FILE, recordBundle)
  const files = await reader.digests(known)
  const changeRecord = await reader.changeRecord(recordBundle, files)
  const sha256sums = await reader.sha256Sums(manifest, files)
  const unreadProvenance = reader.unreadable.get(PROVENANCE_BUNDLE_FILE)
  const context: VerifyContext = {
    repo: options.repo,
    requestedTag: release.tag,
    trustedRoot: options.trustedRoot,
    expectation: identityExpectation({
      dir: '',
      repo: options.repo,
      trustedRoot: options.trustedRoot,
      signerWorkflow: options.signerWorkflow,
      serverUrl: options.serverUrl,
    }),
    manifest,
    manifestSha256: hashBytes(manifestBytes),
    files,
    otherEntries: [],
    provenance: unreadProvenance
      ? { problems: [unreadProvenance] }
      : verifySigned(provenanceBytes, PROVENANCE_BUNDLE_FILE, options.trustedRoot),
    unreadable: reader.unreadable,
    changeRecord,
    changeRecordBundle: recordBundle,
    sha256sums,
  }
  return { ...base, context, changeRecordSha256: files.get(CHANGE_RECORD_FILE) }
}

/** The bytes of a `withdrawn/<tag>` release's two files (two requests). */
export async function withdrawalFilesFromGitHub(
  source: GitHubSource,
  release: ListedRelease,
  names: { record: string; bundle: string },
): Promise<{ recordBytes?: Buffer; bundleBytes?: Buffer; problem?: string }> {
  const reader = new ReleaseReader(source, release)
  const [recordBytes, bundleBytes] = await Promise.all([
    reader.bytes(names.record, MAX_RECORD_BYTES),
    reader.bytes(names.bundle, MAX_RECORD_BYTES),
  ])
  const problems = [...reader.unreadable.values()]
  if (!reader.asset(names.record)) problems.push(`${names.record} is missing`)
  if (!reader.asset(names.bundle)) problems.push(`${names.bundle} is missing`)
  return {
    recordBytes,
    bundleBytes,
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
  }
}
