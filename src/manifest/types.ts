export const MANIFEST_SCHEMA_VERSION = 'https://immutable-release.dev/manifest/v1'
export { MANIFEST_FILE, SHA256SUMS_FILE } from '../util/release-files.ts'

export type SubjectSource = 'file' | 'directory' | 'checksums'

export type ArchiveMemberType =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'link'
  | 'character-device'
  | 'block-device'
  | 'fifo'
  | 'contiguous-file'

export interface ArchiveMember {
  /** The member's name exactly as the archive stores it. */
  path: string
  type: ArchiveMemberType
  size: number
  /** Regular files only. */
  sha256?: string
  /** Symbolic and hard links only. */
  linkTarget?: string
}

export interface ArchiveFlag {
  path: string
  reason: string
}

export interface ArchiveListing {
  members: ArchiveMember[]
  /** Members a careless extraction could turn against the machine extracting them. */
  flags: ArchiveFlag[]
}

/** Bounds on the archive scan, so that a hostile archive cannot exhaust time or memory. */
export interface ArchiveLimits {
  maxEntries: number
  maxTotalBytes: number
  maxCompressionRatio: number
  /** The ratio is only judged once this many bytes were decompressed. */
  ratioCheckAfterBytes: number
}

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 100_000,
  maxTotalBytes: 16 * 1024 ** 3,
  maxCompressionRatio: 200,
  ratioCheckAfterBytes: 64 * 1024 ** 2,
})

export interface SubjectDigest {
  sha256: string
  sha512?: string
}

export interface Subject {
  /** Release asset name: the file's base name (`<dir>.tar.gz` for a directory). */
  name: string
  /** Workspace-relative path with `/` separators (the directory's path for a tarball). */
  path: string
  /**
   * Size in bytes. Absent only for a `checksums` subject whose file is not present locally:
   * its digest comes from the checksums file and nothing here could measure it.
   */
  size?: number
  mediaType: string
  digest: SubjectDigest
  source: SubjectSource
  archive?: ArchiveListing
  /** Absolute path of the bytes to upload; absent when the file is not present locally. */
  localPath?: string
}

export interface ManifestSource {
  repository?: string
  commit?: string
  tag?: string
}

export type ManifestSubject = Omit<Subject, 'localPath'>

export interface Manifest {
  schemaVersion: string
  source: ManifestSource
  subjects: ManifestSubject[]
}

export interface BuiltManifest {
  manifest: Manifest
  /** RFC 8785 canonical JSON of `manifest`: the bytes that are released and signed. */
  bytes: Buffer
  /** The release's content address: `sha256:<hex>` of `bytes`. */
  digest: string
  /** The subjects in manifest order, with `localPath` for uploading. */
  subjects: Subject[]
  /** `sha256sum -c` compatible listing of every subject, sorted by name. */
  sha256sums: string
}
