import { realpath } from 'node:fs/promises'
import { resolve } from 'node:path'
import { loadChangeRecordInput, pseudonymizerForAction } from '../../change-record/index.ts'
import { readRepositoryFacts } from '../../github/index.ts'
import {
  checkTagAvailable,
  pushedTagOf,
  refuseOtherTagThanPushed,
  resolveCommit,
  validateTagName,
} from '../../release/index.ts'
import { resolveSigstoreEndpoints } from '../../sign/index.ts'
import { InputError, errorMessage } from '../../util/errors.ts'
import { readRegularFile } from '../../util/read-user-file.ts'
import { readRepositoryFacts as readEventRepositoryFacts } from '../context.ts'
import { refuseWithoutIdToken } from '../input-reading.ts'
import type { RepositoryFacts } from '../context.ts'
import type { ActionInputs } from '../inputs.ts'
import type { Prepared, ReleaseDependencies } from './types.ts'

/** Refuses before any request when the tag is malformed or the job cannot sign. */
export function checkBeforeStart(inputs: ActionInputs): void {
  validateTagName(inputs.tag)
  if (inputs.dryRun) return
  refuseWithoutIdToken()
}

/** Fills what the event payload did not say about the repository from the repos API. */
async function repositoryFacts(deps: ReleaseDependencies): Promise<RepositoryFacts> {
  const facts = readEventRepositoryFacts()
  if (facts.visibility && facts.ownerType) return facts
  const read = await readRepositoryFacts(deps.client, deps.owner, deps.repo, (error) => {
    deps.reporter.warning(
      `Could not read the repository's visibility (${errorMessage(error)}); assuming it is private, so nothing is written to a public transparency log.`,
    )
  })
  if (!read) return facts
  return {
    visibility: facts.visibility ?? read.visibility,
    ownerType: facts.ownerType ?? read.ownerType,
  }
}

/** GitHub keeps at most 125,000 characters of release notes; a larger file is a mistake. */
const MAX_BODY_FILE_BYTES = 1024 * 1024

/** The release notes: the `body` input, or the file `body-path` names. */
export async function releaseNotes(inputs: ActionInputs, workspace: string): Promise<string> {
  if (!inputs.bodyPath) return inputs.body
  let bytes: Buffer
  try {
    // Relative to the workspace; an absolute path (e.g. under RUNNER_TEMP) is taken as it is.
    // A link to the notes is resolved here, on purpose; the read then refuses a FIFO or device.
    const path = await realpath(resolve(workspace, inputs.bodyPath))
    bytes = await readRegularFile(path, { input: 'body-path', maxBytes: MAX_BODY_FILE_BYTES })
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(
      'body-path',
      `cannot read ${JSON.stringify(inputs.bodyPath)}: ${errorMessage(error)}`,
    )
  }
  return bytes.toString('utf8')
}

/** Step 1, reads only: the repository, the signing endpoints, the inputs' files, the tag. */
export async function prepare(deps: ReleaseDependencies): Promise<Prepared> {
  const { inputs, context, store } = deps
  const facts = await repositoryFacts(deps)
  const endpoints = resolveSigstoreEndpoints({
    mode: inputs.sigstore,
    fulcioUrl: inputs.fulcioUrl || undefined,
    rekorUrl: inputs.rekorUrl || undefined,
    tsaUrl: inputs.tsaUrl || undefined,
    visibility: facts.visibility,
  })
  const pseudonymizer = pseudonymizerForAction({
    key: inputs.pseudonymizationKey,
    keyId: inputs.pseudonymizationKeyId,
    domain: inputs.pseudonymizationDomain,
    repositoryId: context.repositoryId,
  })
  const changeRecordInput = await loadChangeRecordInput(
    inputs.changeRecord || undefined,
    context.workspace,
  )
  const notes = await releaseNotes(inputs, context.workspace)
  const commit = inputs.targetCommitish
    ? await resolveCommit(store, inputs.targetCommitish)
    : context.sha
  // Refuse an existing tag or release before time is spent on hashing and signing (and before
  // a signature reaches a public log). A dry run resumes nothing; a re-run may resume its own.
  // A run started by pushing the tag releases that tag as it is, where it was pushed.
  const run = { id: context.runId, attempt: Number(context.runAttempt) }
  if (inputs.pushedTag) await refuseOtherTagThanPushed(store, inputs.tag, inputs.pushedTag)
  const pushed = inputs.pushedTag === inputs.tag ? { runSha: context.sha } : undefined
  const observed = await checkTagAvailable(
    store,
    inputs.tag,
    inputs.dryRun ? undefined : { run, commitSha: commit },
    pushed && { ...pushed, commitSha: commit },
  )
  const pushedTag = pushed && observed.existingTag ? pushedTagOf(observed.existingTag) : undefined
  if (pushedTag) {
    deps.reporter.info(
      `Releasing the pushed tag ${inputs.tag} as it is (${pushedTag.objectType === 'tag' ? 'annotated tag object' : 'lightweight tag at'} ${pushedTag.objectSha}); it is never moved, deleted or re-created.`,
    )
  }
  return {
    ...deps,
    endpoints,
    ownerType: facts.ownerType,
    pseudonymizer,
    changeRecordInput,
    notes,
    commit,
    run,
    observed,
    pushed,
    pushedTag,
  }
}
