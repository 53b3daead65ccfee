import * as core from '@actions/core'
import { readRunContext } from '../action/context.ts'
import { actionsReporter as reporter } from '../action/reporter.ts'
import { refuseWithoutIdToken } from '../action/input-reading.ts'
import { runnerClients } from '../action/runner-clients.ts'
import { createReleaseStore } from '../github/index.ts'
import { validateTagName } from '../release/index.ts'
import { InputError, errorMessage } from '../util/errors.ts'
import { readWithdrawalRecordFile, resolveWithdrawalRequest } from '../withdrawal/index.ts'
import { check } from './check.ts'
import { finish } from './finish.ts'
import type { WithdrawInputs } from './inputs.ts'
import { publishWithdrawal } from './publish.ts'
import { report } from './report.ts'
import type { WithdrawDependencies } from './types.ts'

/** The whole withdraw action; failures become the step's error. */
export async function run(inputs: WithdrawInputs): Promise<void> {
  try {
    await withdraw(await dependencies(inputs))
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

/** The checked request and the services, built from the inputs and the runner's environment. */
async function dependencies(inputs: WithdrawInputs): Promise<WithdrawDependencies> {
  const context = readRunContext()
  const now = new Date()
  const file = inputs.withdrawalRecord
    ? await readWithdrawalRecordFile(inputs.withdrawalRecord, context.workspace)
    : undefined
  const request = resolveWithdrawalRequest(inputs, file, now)
  validateTagName(request.tag)
  if (request.replacementTag) {
    try {
      validateTagName(request.replacementTag)
    } catch (error) {
      throw new InputError('replacement-tag', errorMessage(error).replace(/^Input 'tag': /, ''))
    }
  }
  refuseWithoutIdToken()
  const [owner, repo] = context.repository.split('/') as [string, string]
  const { client, identity } = runnerClients(inputs.githubToken, context.apiUrl)
  return {
    inputs,
    request,
    context,
    owner,
    repo,
    client,
    store: createReleaseStore(client, owner, repo),
    identity,
    reporter,
    run: { id: context.runId, attempt: Number(context.runAttempt) },
    now,
    setOutput: (name, value) => core.setOutput(name, value),
  }
}

/**
 * check (reads only) → record → sign → publish `withdrawn/<tag>` → mark → latest → report.
 * Nothing is written before the signature exists; a re-run resumes after the publication.
 */
async function withdraw(deps: WithdrawDependencies): Promise<void> {
  const checked = await check(deps)
  const published = 'resumed' in checked ? checked : await publishWithdrawal(checked)
  // Outputs first: a failure below still tells the workflow where the withdrawal is.
  published.setOutput('withdrawal-digest', published.recordDigest)
  published.setOutput('withdrawal-url', published.withdrawalUrl)
  published.setOutput('withdrawal-bundle-path', published.bundlePath)
  await report(await finish(published))
}
