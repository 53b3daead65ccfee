// Entry of the action as the runner starts it (`node dist/index.js`).
import { run } from './run.ts'

await run()
