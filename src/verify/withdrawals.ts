// Is the release withdrawn? Where `verify` looks (a folder, or GitHub for --release), and the
// pure decision over what it found. A withdrawal that does not verify is reported, never counted.
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import {
  downloadAssetToFile,
  findAttestationBundles,
  findPublishedRelease,
  serviceErrorFor,
  apiBaseUrl,
} from '../github/index.ts'
import type { GitHubClient, PublishedReleaseView } from '../github/index.ts'
import { canonicalJson } from '../util/canonical-json.ts'
import { hashBytes } from '../util/digest.ts'
import { InputError, errorMessage } from '../util/errors.ts'
import { UnreadableFileError, readOptionalRegularFile } from '../util/read-user-file.ts'
import {
  WITHDRAWAL_BUNDLE_FILE,
  WITHDRAWAL_FILE,
  WITHDRAWAL_PREDICATE_TYPE,
  checkWithdrawal,
  withdrawalTagFor,
} from '../withdrawal/index.ts'
import type { WithdrawalCheck, WithdrawalCheckRequest } from '../withdrawal/index.ts'
import type {
  WithdrawalCandidate,
  WithdrawalReport,
  WithdrawalSearch,
  WithdrawalSource,
  WithdrawalSummary,
} from './types.ts'

/** A withdrawal record is a page of text; its bundle adds a certificate and log entries. */
export const MAX_WITHDRAWAL_FILE_BYTES = 1024 * 1024
const MAX_WITHDRAWAL_BUNDLE_BYTES = 4 * MAX_WITHDRAWAL_FILE_BYTES

const LIMITS: Record<string, number> = {
  [WITHDRAWAL_FILE]: MAX_WITHDRAWAL_FILE_BYTES,
  [WITHDRAWAL_BUNDLE_FILE]: MAX_WITHDRAWAL_BUNDLE_BYTES,
}

function howToCheck(repository: string, tag: string): string {
  return (
    `withdrawal status was not checked (offline): no ${WITHDRAWAL_FILE} and ${WITHDRAWAL_BUNDLE_FILE} were given. ` +
    `To check it, run 'immutable-release verify --release ${repository}@${tag}', or download the assets of the release ` +
    `${withdrawalTagFor(tag)} (gh release download ${withdrawalTagFor(tag)} --repo ${repository}) and pass that folder with --withdrawal; ` +
    `if that release does not exist, ${tag} is not withdrawn.`
  )
}

type ReadOutcome = { bytes?: Buffer } | { problem: string }

async function readWithdrawalFile(dir: string, name: string, input: string): Promise<ReadOutcome> {
  try {
    return {
      bytes: await readOptionalRegularFile(join(dir, name), {
        input,
        maxBytes: LIMITS[name] ?? MAX_WITHDRAWAL_FILE_BYTES,
      }),
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) return { problem: `${name} ${error.reason}` }
    return { problem: `${name} cannot be read: ${errorMessage(error)}` }
  }
}

/**
 * The withdrawal files in a folder: `withdrawal.json` and `withdrawal.sigstore.json`. `path`
 * may also name withdrawal.json itself (its bundle beside it). `explicit` is --withdrawal: a
 * path that holds neither file is then an input error, not "not checked".
 */
export function folderWithdrawalSource(path: string, explicit: boolean): WithdrawalSource {
  return {
    async find({ repository, tag }) {
      const info = await stat(path).catch(() => undefined)
      if (explicit && !info) {
        throw new InputError('--withdrawal', `'${path}' does not exist.`)
      }
      const dir = info?.isFile() ? dirname(path) : path
      const recordName = info?.isFile() ? basename(path) : WITHDRAWAL_FILE
      const search: WithdrawalSearch = {
        looked: [dir],
        candidates: [],
        invalid: [],
        unreachable: [],
      }
      const record = await readWithdrawalFile(dir, recordName, '--withdrawal')
      const bundle = await readWithdrawalFile(dir, WITHDRAWAL_BUNDLE_FILE, '--withdrawal')
      const problems = [
        'problem' in record ? record.problem : '',
        'problem' in bundle ? bundle.problem : '',
      ].filter(Boolean)
      const recordBytes = 'bytes' in record ? record.bytes : undefined
      const bundleBytes = 'bytes' in bundle ? bundle.bytes : undefined
      if (problems.length === 0 && !recordBytes && !bundleBytes) {
        if (explicit) {
          throw new InputError(
            '--withdrawal',
            `'${path}' holds no ${WITHDRAWAL_FILE} and ${WITHDRAWAL_BUNDLE_FILE}: give the folder of the release ${withdrawalTagFor(tag)}.`,
          )
        }
        return { ...search, notChecked: howToCheck(repository, tag) }
      }
      if (!recordBytes && problems.length === 0) problems.push(`${recordName} is missing`)
      if (!bundleBytes && problems.length === 0)
        problems.push(`${WITHDRAWAL_BUNDLE_FILE} is missing`)
      if (problems.length > 0) search.invalid.push({ source: dir, problem: problems.join('; ') })
      else if (recordBytes && bundleBytes)
        search.candidates.push({ source: dir, recordBytes, bundleBytes })
      return search
    },
  }
}

/** The two files of a withdrawal release, downloaded within their size limits. */
async function downloadWithdrawalRelease(
  client: GitHubClient,
  repoRef: { owner: string; repo: string },
  release: PublishedReleaseView,
): Promise<WithdrawalCandidate | { problem: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'immutable-release-withdrawal-'))
  try {
    const bytes: Record<string, Buffer> = {}
    for (const name of [WITHDRAWAL_FILE, WITHDRAWAL_BUNDLE_FILE]) {
      const asset = release.assets.find((a) => a.name === name)
      if (!asset) return { problem: `the release has no ${name}` }
      const limit = LIMITS[name] ?? MAX_WITHDRAWAL_FILE_BYTES
      if (asset.size > limit) return { problem: `${name} is larger than ${limit} bytes` }
      await downloadAssetToFile(
        client,
        { ...repoRef, assetId: asset.id, size: asset.size },
        join(dir, name),
      )
      const read = await readWithdrawalFile(dir, name, name)
      if ('problem' in read) return { problem: read.problem }
      if (!read.bytes) return { problem: `${name} could not be downloaded` }
      if (asset.digest && asset.digest !== `sha256:${hashBytes(read.bytes)}`) {
        return { problem: `${name} does not hash to GitHub's digest ${asset.digest}` }
      }
      bytes[name] = read.bytes
    }
    return {
      source: `release ${release.tagName} (${release.htmlUrl})`,
      recordBytes: bytes[WITHDRAWAL_FILE] as Buffer,
      bundleBytes: bytes[WITHDRAWAL_BUNDLE_FILE] as Buffer,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A stored attestation that is a withdrawal: its bundle, and its predicate as record bytes. */
function attestationCandidate(bundle: unknown): WithdrawalCandidate | undefined {
  const payload = (bundle as { dsseEnvelope?: { payload?: unknown } }).dsseEnvelope?.payload
  if (typeof payload !== 'string') return undefined
  let statement: { predicateType?: unknown; predicate?: unknown }
  try {
    statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as typeof statement
  } catch {
    return undefined
  }
  if (statement.predicateType !== WITHDRAWAL_PREDICATE_TYPE || statement.predicate === undefined) {
    return undefined
  }
  return {
    source: 'attestations API',
    recordBytes: canonicalJson(statement.predicate),
    bundleBytes: Buffer.from(JSON.stringify(bundle)),
  }
}

/**
 * For --release: the release `withdrawn/<tag>` and the attestations GitHub stores for the
 * manifest digest. An attestations API that cannot be asked (no permission, GHES) is noted;
 * a failing release lookup is an error, since "not withdrawn" would then be a guess.
 */
export function gitHubWithdrawalSource(
  client: GitHubClient,
  repoRef: { owner: string; repo: string },
): WithdrawalSource {
  return {
    async find({ tag, manifestDigest }) {
      const withdrawalTag = withdrawalTagFor(tag)
      const search: WithdrawalSearch = {
        looked: [`release ${withdrawalTag}`, 'attestations API'],
        candidates: [],
        invalid: [],
        unreachable: [],
      }
      try {
        const release = await findPublishedRelease(client, { ...repoRef, tag: withdrawalTag })
        if (release) {
          const found = await downloadWithdrawalRelease(client, repoRef, release)
          if ('problem' in found) {
            search.invalid.push({ source: `release ${withdrawalTag}`, problem: found.problem })
          } else search.candidates.push(found)
        }
      } catch (error) {
        const url = `${apiBaseUrl(client)}/repos/${repoRef.owner}/${repoRef.repo}/releases`
        throw serviceErrorFor(`looking up the release ${withdrawalTag}`, error, url)
      }
      const stored = await findAttestationBundles(client, {
        ...repoRef,
        subjectDigest: manifestDigest,
      })
      if (stored.outcome === 'unavailable') {
        search.unreachable.push(`attestations API (${stored.answer})`)
      } else if (stored.outcome === 'found') {
        for (const bundle of stored.bundles) {
          const candidate = attestationCandidate(bundle)
          if (candidate) search.candidates.push(candidate)
        }
      }
      return search
    },
  }
}

function summaryOf(
  check: Extract<WithdrawalCheck, { status: 'verified' }>,
  source: string,
): WithdrawalSummary {
  const { record } = check
  return {
    digest: check.digest,
    source,
    withdrawnAt: record.withdrawnAt,
    reason: record.reason,
    summary: record.summary,
    ...(record.incidentReference ? { incidentReference: record.incidentReference } : {}),
    ...(record.replacement
      ? {
          replacement: {
            tag: record.replacement.tag,
            manifestDigest: `sha256:${record.replacement.manifestDigest.sha256}`,
          },
        }
      : {}),
    signer: check.signer,
  }
}

/**
 * The withdrawal part of the report, from what was found and how each candidate checked. The
 * earliest verified withdrawal counts (there should be one; the same record found in the
 * release and in the attestations API is one).
 */
export function decideWithdrawal(
  search: WithdrawalSearch,
  checked: { source: string; check: WithdrawalCheck }[],
  allowed: boolean,
): WithdrawalReport {
  const invalid = [...search.invalid]
  const verified: WithdrawalSummary[] = []
  for (const { source, check } of checked) {
    if (check.status === 'invalid') invalid.push({ source, problem: check.problem })
    else verified.push(summaryOf(check, source))
  }
  verified.sort((a, b) => a.withdrawnAt.localeCompare(b.withdrawnAt))
  const withdrawal = verified[0]
  const base = { looked: search.looked, invalid, unreachable: search.unreachable, allowed }
  if (withdrawal) return { status: 'withdrawn', ...base, withdrawal }
  if (search.notChecked !== undefined && invalid.length === 0) {
    return { status: 'not-checked', ...base, note: search.notChecked }
  }
  return { status: 'not-withdrawn', ...base }
}

/** Looks for withdrawals of the release and checks each one found. */
export async function withdrawalStatus(
  source: WithdrawalSource,
  request: Omit<WithdrawalCheckRequest, 'recordBytes' | 'bundleBytes'> & {
    allowWithdrawn: boolean
  },
): Promise<WithdrawalReport> {
  const search = await source.find(request)
  const seen = new Set<string>()
  const checked: { source: string; check: WithdrawalCheck }[] = []
  for (const candidate of search.candidates) {
    const key = `${hashBytes(candidate.recordBytes)}`
    const check = checkWithdrawal({ ...request, ...candidate })
    // One record found twice (release and attestations API) is reported once.
    if (check.status === 'verified' && seen.has(key)) continue
    if (check.status === 'verified') seen.add(key)
    checked.push({ source: candidate.source, check })
  }
  return decideWithdrawal(search, checked, request.allowWithdrawn)
}
