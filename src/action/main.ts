// Entry of the action as the runner starts it (`node dist/index.js`).
//
// Inputs are read and checked first, with nothing heavy loaded (see workflow-io.ts); the
// orchestration (Sigstore, Octokit, undici: megabytes of JavaScript) is imported only once they
// are valid. The bundle puts it in a chunk of its own, so a mistyped input fails in about the
// time Node takes to start.
import { errorMessage } from '../util/errors.ts'
import { readInputs } from './inputs.ts'
import type { ActionInputs } from './inputs.ts'
import { setFailed } from './workflow-io.ts'

async function start(): Promise<void> {
  let inputs: ActionInputs
  try {
    inputs = readInputs()
  } catch (error) {
    setFailed(errorMessage(error))
    return
  }
  try {
    const { run } = await import('./run.ts')
    // run() reports its own failures.
    await run(inputs)
  } catch (error) {
    setFailed(errorMessage(error))
  }
}

// Deliberately no top-level await: the orchestration chunk imports modules it shares with this
// entry chunk, and importing a module that is still awaiting at top level would wait forever.
void start()
