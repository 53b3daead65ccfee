/**
 * Media types of common release artifacts, by file name ending. Longer endings are listed
 * before the shorter ones they end with (`.spdx.json` before `.json`), because the first
 * ending that matches wins.
 */
export const MEDIA_TYPES: readonly (readonly [ending: string, mediaType: string])[] = [
  ['.spdx.json', 'application/spdx+json'],
  ['.cdx.json', 'application/vnd.cyclonedx+json'],
  ['.cdx.xml', 'application/vnd.cyclonedx+xml'],
  ['.intoto.jsonl', 'application/vnd.in-toto+jsonl'],
  ['.sigstore.json', 'application/vnd.dev.sigstore.bundle.v0.3+json'],
  ['.sigstore', 'application/vnd.dev.sigstore.bundle.v0.3+json'],
  ['.tar.gz', 'application/gzip'],
  ['.tgz', 'application/gzip'],
  ['.gz', 'application/gzip'],
  ['.tar.xz', 'application/x-xz'],
  ['.txz', 'application/x-xz'],
  ['.xz', 'application/x-xz'],
  ['.tar.bz2', 'application/x-bzip2'],
  ['.bz2', 'application/x-bzip2'],
  ['.tar.zst', 'application/zstd'],
  ['.zst', 'application/zstd'],
  ['.tar', 'application/x-tar'],
  ['.zip', 'application/zip'],
  ['.7z', 'application/x-7z-compressed'],
  ['.json', 'application/json'],
  ['.jsonl', 'application/jsonl'],
  ['.yaml', 'application/yaml'],
  ['.yml', 'application/yaml'],
  ['.xml', 'application/xml'],
  ['.txt', 'text/plain'],
  ['.md', 'text/markdown'],
  ['.html', 'text/html'],
  ['.deb', 'application/vnd.debian.binary-package'],
  ['.rpm', 'application/x-rpm'],
  ['.apk', 'application/vnd.android.package-archive'],
  ['.exe', 'application/vnd.microsoft.portable-executable'],
  ['.msi', 'application/x-msi'],
  ['.dmg', 'application/x-apple-diskimage'],
  ['.pkg', 'application/octet-stream'],
  ['.appimage', 'application/vnd.appimage'],
  ['.whl', 'application/zip'],
  ['.jar', 'application/java-archive'],
  ['.war', 'application/java-archive'],
  ['.nupkg', 'application/zip'],
  ['.gem', 'application/x-tar'],
  ['.crate', 'application/gzip'],
  ['.wasm', 'application/wasm'],
  ['.sig', 'application/pgp-signature'],
  ['.asc', 'application/pgp-signature'],
  ['.pem', 'application/x-pem-file'],
  ['.crt', 'application/x-x509-ca-cert'],
  ['.sbom', 'application/json'],
]

export const DEFAULT_MEDIA_TYPE = 'application/octet-stream'

/**
 * The endings by their last extension, each list in MEDIA_TYPES order: a name is compared only
 * with the endings that can match it (a `.bin` with none), not with all fifty of them, which
 * showed in profiles of 20,000-subject releases.
 */
const BY_LAST_EXTENSION: ReadonlyMap<string, readonly (readonly [string, string])[]> = (() => {
  const map = new Map<string, (readonly [string, string])[]>()
  for (const entry of MEDIA_TYPES) {
    const extension = entry[0].slice(entry[0].lastIndexOf('.'))
    const list = map.get(extension)
    if (list) list.push(entry)
    else map.set(extension, [entry])
  }
  return map
})()

/** The media type of an artifact by its file name; `application/octet-stream` when unknown. */
export function mediaTypeFor(name: string): string {
  const dot = name.lastIndexOf('.')
  if (dot < 0) return DEFAULT_MEDIA_TYPE
  const candidates = BY_LAST_EXTENSION.get(name.slice(dot).toLowerCase())
  if (!candidates) return DEFAULT_MEDIA_TYPE
  const lower = name.toLowerCase()
  for (const [ending, mediaType] of candidates) {
    if (lower.endsWith(ending) && lower.length > ending.length) return mediaType
  }
  return DEFAULT_MEDIA_TYPE
}

/** Whether an artifact is a tar archive (plain or gzip-compressed) whose members are listed. */
export function tarKind(name: string): 'tar' | 'tar.gz' | undefined {
  const lower = name.toLowerCase()
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz'
  if (lower.endsWith('.tar')) return 'tar'
  return undefined
}
