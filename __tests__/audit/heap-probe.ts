// Preloaded into the CLI with NODE_OPTIONS=--import: at exit the process appends a line to
// HEAP_PROBE_OUT with its pid, the Node options it runs with and how large its young generation
// grew, so a test sees the process `audit` finally ran in (execve runs no exit handlers, so a
// process replaced by another writes nothing).
import { appendFileSync } from 'node:fs'
import { getHeapSpaceStatistics } from 'node:v8'

const out = process.env['HEAP_PROBE_OUT']
if (out) {
  process.on('exit', () => {
    const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
    const line = {
      pid: process.pid,
      execArgv: process.execArgv,
      newSpaceBytes: newSpace?.space_size,
    }
    appendFileSync(out, `${JSON.stringify(line)}\n`)
  })
}
