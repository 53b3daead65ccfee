// Entry of the withdraw sub-action as the runner starts it (`node dist/withdraw.js`, from
// withdraw/action.yml). As in the release action's entry, the inputs are read first with
// nothing heavy loaded; the orchestration is imported only once they parse.
import { setFailed } from '../action/workflow-io.ts'
import { errorMessage } from '../util/errors.ts'
import { readWithdrawInputs } from './inputs.ts'
import type { WithdrawInputs } from './inputs.ts'

async function start(): Promise<void> {
  let inputs: WithdrawInputs
  try {
    inputs = readWithdrawInputs()
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

// No top-level await, for the reason given in src/action/main.ts.
void start()
