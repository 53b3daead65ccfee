// Entry of the verify sub-action as the runner starts it (`node dist/verify-action.js`, from
// verify/action.yml): a deploy job's gate. The inputs are read first with nothing heavy
// loaded; the job fails unless the release verifies and is not withdrawn.
import { beforeStdout, getInput, setFailed, setSecret } from '../action/workflow-io.ts'
import { errorMessage } from '../util/errors.ts'
import { readVerifyActionInputs } from './inputs.ts'
import type { VerifyActionInputs } from './inputs.ts'

async function start(): Promise<void> {
  let inputs: VerifyActionInputs
  try {
    inputs = beforeStdout(() => {
      const read = readVerifyActionInputs(getInput, process.env)
      if (read.token) setSecret(read.token)
      return read
    })
  } catch (error) {
    beforeStdout(() => setFailed(errorMessage(error)))
    return
  }
  const core = await import('@actions/core')
  try {
    const { actionsReporter } = await import('../action/reporter.ts')
    const { verifyForAction } = await import('./verify.ts')
    const outcome = await verifyForAction(inputs, process.env, actionsReporter)
    // Every line of the text report is already one neutral log line (renderReport).
    for (const line of outcome.text.trimEnd().split('\n')) core.info(line)
    core.setOutput('manifest-digest', outcome.report.manifestDigest ?? '')
    core.setOutput('verified', String(outcome.report.verified))
    core.setOutput('report-path', outcome.reportPath)
    if (process.env['GITHUB_STEP_SUMMARY']) await core.summary.addRaw(outcome.summary).write()
    if (!outcome.report.verified) {
      setFailed(outcome.text.trimEnd().split('\n').at(-1) ?? 'The release does not verify.')
    }
  } catch (error) {
    // A release that cannot be read (none by that tag, no access) does not verify either.
    core.setOutput('verified', 'false')
    setFailed(errorMessage(error))
  }
}

// No top-level await, for the reason given in src/action/main.ts.
void start()
