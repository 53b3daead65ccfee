// Entry of the withdraw sub-action as the runner starts it (`node dist/withdraw.js`, from
// withdraw/action.yml): inputs first, the orchestration only once they parse (see
// src/action/entry.ts).
import { startAction } from '../action/entry.ts'
import { readWithdrawInputs } from './inputs.ts'

// No top-level await, for the reason given in src/action/main.ts.
void startAction(readWithdrawInputs, async () => (await import('./run.ts')).run)
