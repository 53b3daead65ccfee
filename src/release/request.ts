import { stat } from 'node:fs/promises'
import { SHA256_HEX } from '../util/digest.ts'
import { InputError } from '../util/errors.ts'
import { MAKE_LATEST_VALUES, type MakeLatest } from '../util/types.ts'
import type { PushedTagRun, RunIdentity } from './decisions.ts'
import type { ObservedTag } from './store.ts'
import { validateTagName } from './tag-name.ts'

export interface ReleaseAssetFile {
  /** The asset's name on the release. */
  name: string
  /** Local file to upload. */
  path: string
  /** Lower-case hex SHA-256 of the file. */
  sha256: string
  size: number
  contentType: string
  label?: string
}

export interface ReleaseRequest {
  tag: string
  /** Branch, tag or SHA the new tag is created at (resolved to a commit first). */
  targetCommitish: string
  name?: string
  body?: string
  prerelease: boolean
  makeLatest: MakeLatest
  assets: ReleaseAssetFile[]
  run: RunIdentity
  /** Parallel uploads (default 4). */
  uploadConcurrency?: number
  /** Attempts per asset upload and the pause between them (default 3 attempts, 1000 ms). */
  uploadRetry?: { attempts: number; delayMs: number }
  /** The tag and its releases as `checkTagAvailable` read them for this run: not read again. */
  observed?: ObservedTag
  /**
   * Set when the run was started by pushing `tag`: the pushed tag is released as it is (the
   * release is claimed instead of the tag) when it resolves to `runSha`.
   */
  pushed?: PushedTagRun
}

export interface PublishedRelease {
  id: number
  /** The release page. */
  url: string
  tag: string
  commitSha: string
  uploadedAssets: { id: number; name: string; digest: string }[]
  /** Whether GitHub made the release immutable (the repository setting was on). */
  immutable: boolean
}

async function validateAsset(asset: ReleaseAssetFile, names: Set<string>): Promise<void> {
  if (!asset.name || asset.name.includes('/')) {
    throw new InputError(
      'assets',
      `"${asset.name}" is not a usable asset name (it must be non-empty and contain no "/").`,
    )
  }
  if (names.has(asset.name)) {
    throw new InputError(
      'assets',
      `two assets are named "${asset.name}"; asset names must be unique.`,
    )
  }
  names.add(asset.name)
  if (!SHA256_HEX.test(asset.sha256)) {
    throw new InputError(
      'assets',
      `the sha256 of "${asset.name}" must be 64 lower-case hex digits.`,
    )
  }
  let size: number
  try {
    size = (await stat(asset.path)).size
  } catch {
    throw new InputError('assets', `cannot read "${asset.path}" for asset "${asset.name}".`)
  }
  if (size !== asset.size) {
    throw new InputError(
      'assets',
      `"${asset.path}" has ${size} bytes but the manifest says ${asset.size}; it changed after it was hashed.`,
    )
  }
}

/** Refuses a request that cannot make a good release, before anything is read or written. */
export async function validateRequest(request: ReleaseRequest): Promise<void> {
  validateTagName(request.tag)
  if (!request.targetCommitish.trim()) {
    throw new InputError('target-commitish', 'is empty; give a branch, tag or commit SHA.')
  }
  const names = new Set<string>()
  for (const asset of request.assets) await validateAsset(asset, names)
  if (!MAKE_LATEST_VALUES.includes(request.makeLatest)) {
    throw new InputError(
      'make-latest',
      `must be 'true', 'false' or 'legacy', not '${String(request.makeLatest)}'.`,
    )
  }
}
