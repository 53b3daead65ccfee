// Reads an audit folder offline: one sub-folder per release tag, each as `gh release download`
// leaves it; `withdrawn/<tag>` sub-folders hold withdrawals. Each release folder is read as
// `verify <dir>` reads it.
import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { CHANGE_RECORD_FILE } from '../change-record/index.ts'
import { MANIFEST_FILE } from '../manifest/index.ts'
import { errorMessage } from '../util/errors.ts'
import { readOptionalRegularFile } from '../util/read-user-file.ts'
import { buildVerifyContext, readManifestFile } from '../verify/index.ts'
import {
  WITHDRAWAL_BUNDLE_FILE,
  WITHDRAWAL_FILE,
  WITHDRAWAL_TAG_PREFIX,
} from '../withdrawal/index.ts'
import type { EvidenceOptions } from './github-evidence.ts'
import type { ReleaseEvidence, WithdrawalEvidence } from './types.ts'

const MAX_WITHDRAWAL_FILE_BYTES = 4 * 1024 * 1024

/** The release folders and withdrawal folders below `dir`, by tag. */
export async function listAuditFolder(
  dir: string,
): Promise<{ releases: string[]; withdrawals: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true })
  const folders = (list: Dirent[]) => list.filter((e) => e.isDirectory()).map((e) => e.name)
  const withdrawnDir = WITHDRAWAL_TAG_PREFIX.replace(/\/$/, '')
  const releases = folders(entries).filter((name) => name !== withdrawnDir)
  let withdrawals: string[] = []
  if (entries.some((e) => e.isDirectory() && e.name === withdrawnDir)) {
    withdrawals = folders(await readdir(join(dir, withdrawnDir), { withFileTypes: true }))
  }
  return { releases, withdrawals }
}

/** The record's own `createdAt`, for ordering a folder that has no GitHub dates. */
function recordDate(record: unknown): string | undefined {
  const value = (record as { createdAt?: unknown } | null)?.createdAt
  return typeof value === 'string' ? value : undefined
}

/** One release folder's evidence, as `verify <dir> --tag <tag>` reads it. */
export async function releaseEvidenceFromFolder(
  dir: string,
  tag: string,
  options: EvidenceOptions,
): Promise<ReleaseEvidence> {
  const found = await readManifestFile(dir)
  if ('problem' in found) {
    if (found.problem === `${MANIFEST_FILE} is missing`) return { tag, prerelease: false }
    return { tag, prerelease: false, manifestProblem: found.problem }
  }
  const context = await buildVerifyContext({ dir, tag, ...options }, found)
  const date = recordDate(context.changeRecord?.record)
  const changeRecordSha256 = context.files.get(CHANGE_RECORD_FILE)
  return {
    tag,
    prerelease: false,
    ...(date ? { date } : {}),
    context,
    ...(changeRecordSha256 ? { changeRecordSha256 } : {}),
  }
}

/** A `withdrawn/<tag>` folder's two files. */
export async function withdrawalEvidenceFromFolder(
  dir: string,
  withdrawnTag: string,
): Promise<WithdrawalEvidence> {
  const evidence: WithdrawalEvidence = {
    releaseTag: `${WITHDRAWAL_TAG_PREFIX}${withdrawnTag}`,
    withdrawnTag,
  }
  const problems: string[] = []
  const read = async (name: string): Promise<Buffer | undefined> => {
    try {
      const bytes = await readOptionalRegularFile(join(dir, name), {
        input: name,
        maxBytes: MAX_WITHDRAWAL_FILE_BYTES,
      })
      if (!bytes) problems.push(`${name} is missing`)
      return bytes
    } catch (error) {
      problems.push(`${name} cannot be read: ${errorMessage(error)}`)
      return undefined
    }
  }
  const recordBytes = await read(WITHDRAWAL_FILE)
  const bundleBytes = await read(WITHDRAWAL_BUNDLE_FILE)
  return {
    ...evidence,
    ...(recordBytes ? { recordBytes } : {}),
    ...(bundleBytes ? { bundleBytes } : {}),
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
  }
}

/** Version-aware tag order (`v1.10.0` after `v1.9.0`), for folders without dates. */
export function compareTags(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true })
}
