// Entry of the action as the runner starts it (`node dist/index.js`): inputs first, the
// orchestration only once they are valid (see entry.ts).
import { startAction } from './entry.ts'
import { readInputs } from './inputs.ts'

// Deliberately no top-level await: the orchestration chunk imports modules it shares with this
// entry chunk, and importing a module that is still awaiting at top level would wait forever.
void startAction(readInputs, async () => (await import('./run.ts')).run)
