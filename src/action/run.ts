import * as core from '@actions/core'
import { createReleaseStore } from '../github/index.ts'
import { errorMessage } from '../util/errors.ts'
import { readRunContext } from './context.ts'
import { readInputs } from './inputs.ts'
import { runnerClients } from './runner-clients.ts'
import type { ActionInputs } from './inputs.ts'
import { actionsReporter as reporter } from './reporter.ts'
import { build } from './steps/build.ts'
import { checkBeforeStart, prepare } from './steps/prepare.ts'
import { publish } from './steps/publish.ts'
import { report, reportDryRun } from './steps/report.ts'
import { sign } from './steps/sign.ts'
import type { ReleaseDependencies } from './steps/types.ts'

export { storeAttestationAfterRelease } from './steps/publish.ts'

/** The whole action; `inputs` when the entry has already read and checked them. */
export async function run(inputs?: ActionInputs): Promise<void> {
  try {
    await release(inputs ?? readInputs())
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

/** The services the steps use, built from the inputs and the runner's environment. */
function dependencies(inputs: ActionInputs): ReleaseDependencies {
  const context = readRunContext()
  const [owner, repo] = context.repository.split('/') as [string, string]
  checkBeforeStart(inputs)
  const { client, identity } = runnerClients(inputs.githubToken, context.apiUrl)
  const store = createReleaseStore(client, owner, repo)
  const setOutput = (name: string, value: string) => core.setOutput(name, value)
  return { inputs, context, owner, repo, client, store, identity, reporter, setOutput }
}

/**
 * prepare (reads only) → build (manifest, record, guard, files) → sign → publish → report.
 * Nothing is written to the repository before the signatures exist.
 */
async function release(inputs: ActionInputs): Promise<void> {
  const built = await build(await prepare(dependencies(inputs)))
  if (inputs.dryRun) return reportDryRun(built)
  await report(await publish(await sign(built)))
}
