/** Step 1, reads only: the release to withdraw, the replacement, and whether this run may act. */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pseudonymizerForAction } from '../change-record/index.ts'
import { readRepositoryFacts } from '../github/index.ts'
import { parseReleaseMarker } from '../release/index.ts'
import type { ListedRelease } from '../release/index.ts'
import { resolveSigstoreEndpoints } from '../sign/index.ts'
import { hashBytes } from '../util/digest.ts'
import { InputError, errorMessage } from '../util/errors.ts'
import {
  WITHDRAWAL_BUNDLE_FILE,
  WITHDRAWAL_FILE,
  decideWithdrawalStart,
  formatViolations,
  inspectRelease,
  releaseProblem,
  validateWithdrawalRecord,
  withdrawalTagFor,
  withdrawnTags,
} from '../withdrawal/index.ts'
import type { WithdrawalRecord } from '../withdrawal/index.ts'
import { readRepositoryFacts as readEventRepositoryFacts } from '../action/context.ts'
import type { Checked, WithdrawDependencies, Withdrawn } from './types.ts'

/** The published release using `tag`, else any (a draft), else undefined. */
function releaseOf(releases: readonly ListedRelease[], tag: string): ListedRelease | undefined {
  const ofTag = releases.filter((r) => r.tagName === tag)
  return ofTag.find((r) => !r.draft) ?? ofTag[0]
}

async function listReleases(deps: WithdrawDependencies): Promise<ListedRelease[]> {
  try {
    return await deps.store.listReleases()
  } catch (error) {
    throw deps.store.describeFailure('listing the releases', error)
  }
}

/** The signing endpoints, from the repository's visibility as the event or the API tells it. */
async function signingEndpoints(deps: WithdrawDependencies): Promise<Checked['endpoints']> {
  let visibility = readEventRepositoryFacts().visibility
  if (!visibility) {
    const read = await readRepositoryFacts(deps.client, deps.owner, deps.repo, (error) => {
      deps.reporter.warning(
        `Could not read the repository's visibility (${errorMessage(error)}); assuming it is private, so nothing is written to a public transparency log.`,
      )
    })
    visibility = read?.visibility
  }
  const { inputs } = deps
  return resolveSigstoreEndpoints({
    mode: inputs.sigstore,
    fulcioUrl: inputs.fulcioUrl || undefined,
    rekorUrl: inputs.rekorUrl || undefined,
    tsaUrl: inputs.tsaUrl || undefined,
    visibility,
  })
}

/**
 * Every refusal happens here, before any write: an unknown, draft or foreign release; a
 * replacement that is unpublished, foreign or withdrawn; a tag another run already withdrew.
 * A withdrawal this run already published is resumed instead.
 */
export async function check(deps: WithdrawDependencies): Promise<Checked | Withdrawn> {
  const { request, store } = deps
  const releases = await listReleases(deps)
  const withdrawn = withdrawnTags(releases)
  const target = releaseOf(releases, request.tag)
  const targetProblem = releaseProblem(target, request.tag, 'tag', withdrawn)
  if (targetProblem || !target) throw new InputError('tag', targetProblem ?? 'not found')
  const start = decideWithdrawalStart(
    request.tag,
    releases.filter((r) => r.tagName === withdrawalTagFor(request.tag)),
    deps.run,
    parseReleaseMarker,
  )
  if (start.action === 'refuse') throw new InputError('tag', start.reason)
  let replacementRelease: ListedRelease | undefined
  if (request.replacementTag) {
    replacementRelease = releaseOf(releases, request.replacementTag)
    const problem = releaseProblem(
      replacementRelease,
      request.replacementTag,
      'replacement-tag',
      withdrawn,
    )
    if (problem) throw new InputError('replacement-tag', problem)
  }
  if (start.action === 'resume') {
    return resumePublished(deps, { releases, target, replacementRelease }, start.withdrawal)
  }
  const [inspected, replacement] = await Promise.all([
    inspectRelease(store, target, 'tag', deps.context.tempDir),
    replacementRelease &&
      inspectRelease(store, replacementRelease, 'replacement-tag', deps.context.tempDir),
  ])
  return {
    ...deps,
    releases,
    withdrawn: inspected,
    replacement: replacement || undefined,
    endpoints: await signingEndpoints(deps),
    // The same derivation as the release action's, so a person has one pseudonym in both records.
    pseudonymizer: pseudonymizerForAction({
      key: deps.inputs.pseudonymizationKey,
      keyId: deps.inputs.pseudonymizationKeyId,
      domain: deps.inputs.pseudonymizationDomain,
      repositoryId: deps.context.repositoryId,
    }),
  }
}

/**
 * An earlier attempt of this run published the withdrawal and failed after it: its record,
 * as published, is what the remaining steps use.
 */
async function resumePublished(
  deps: WithdrawDependencies,
  found: Pick<Withdrawn, 'releases' | 'target' | 'replacementRelease'>,
  withdrawal: ListedRelease,
): Promise<Withdrawn> {
  const { store, context, reporter } = deps
  reporter.info(
    `Resuming: attempt ${deps.run.attempt} of run ${deps.run.id} finds the withdrawal it published at ${withdrawal.htmlUrl}.`,
  )
  const paths: Record<string, string> = {}
  for (const name of [WITHDRAWAL_FILE, WITHDRAWAL_BUNDLE_FILE]) {
    const asset = withdrawal.assets.find((a) => a.name === name)
    if (!asset) {
      throw new InputError(
        'tag',
        `the withdrawal release ${withdrawal.htmlUrl} has no ${name}; it cannot be resumed.`,
      )
    }
    paths[name] = join(context.tempDir, name)
    await store.downloadAsset(asset.id, paths[name] as string)
  }
  const bytes = await readFile(paths[WITHDRAWAL_FILE] as string)
  const record = JSON.parse(bytes.toString('utf8')) as WithdrawalRecord
  const violations = validateWithdrawalRecord(record)
  if (violations.length > 0 || record.withdrawn.tag !== deps.request.tag) {
    throw new InputError(
      'tag',
      `the published ${WITHDRAWAL_FILE} of ${withdrawal.htmlUrl} is not a withdrawal of ${deps.request.tag}: ${formatViolations(violations)}`,
    )
  }
  return {
    ...deps,
    ...found,
    record,
    recordDigest: `sha256:${hashBytes(bytes)}`,
    recordPath: paths[WITHDRAWAL_FILE] as string,
    bundlePath: paths[WITHDRAWAL_BUNDLE_FILE] as string,
    bundle: undefined,
    withdrawalUrl: withdrawal.htmlUrl,
    resumed: true,
  }
}
