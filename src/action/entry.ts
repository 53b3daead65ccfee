// How an action entry starts: its inputs are read and checked with nothing heavy loaded (see
// workflow-io.ts), and its orchestration (Sigstore, Octokit, undici: megabytes of JavaScript)
// is imported only once they are valid, so a mistyped input fails in about the time Node takes
// to start. Shared by the release and withdraw entries.
import { errorMessage } from '../util/errors.ts'
import { beforeStdout, setFailed } from './workflow-io.ts'

/**
 * `loadRun` is the entry's own `import('./run.ts')`, so the bundle keeps each orchestration in a
 * chunk of its own. `run` reports its own failures; anything else thrown fails the step.
 */
export async function startAction<Inputs>(
  readInputs: () => Inputs,
  loadRun: () => Promise<(inputs: Inputs) => Promise<void>>,
): Promise<void> {
  let inputs: Inputs
  try {
    inputs = beforeStdout(readInputs)
  } catch (error) {
    beforeStdout(() => setFailed(errorMessage(error)))
    return
  }
  try {
    const run = await loadRun()
    await run(inputs)
  } catch (error) {
    setFailed(errorMessage(error))
  }
}
