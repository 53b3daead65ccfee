// Parses change records for `IsolatedChangeRecordParser` (see fuzz-support.ts), reporting how
// each parse ended; the parent restarts this worker when a parse hangs or runs out of memory.
import { parentPort } from 'node:worker_threads'
import { parseChangeRecordText } from '../../src/change-record/input.ts'
import { InputError } from '../../src/util/errors.ts'

parentPort?.on('message', ({ id, text }: { id: number; text: string }) => {
  try {
    parentPort?.postMessage({ id, status: 'returned', value: parseChangeRecordText(text) })
  } catch (error) {
    const crash = error instanceof Error ? error : new Error(String(error))
    parentPort?.postMessage({
      id,
      status: 'threw',
      name: crash.name,
      message: crash.message,
      ...(error instanceof InputError ? { input: error.input } : {}),
    })
  }
})
