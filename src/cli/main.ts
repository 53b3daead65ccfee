// Entry of the `immutable-release` command.
import { main } from './commands.ts'
import { writeToDescriptors } from './output.ts'

/**
 * Semi-space cap (MiB) for `audit`. On Node 24 V8 lets the young generation grow to 128 MiB of
 * new space on a machine this size (16 MiB with the cap), and an audit of 500 releases, which
 * retains ~30 MB, peaked at 373–398 MB RSS: mostly short-lived garbage awaiting a scavenge.
 * With 8 MiB it peaks at ~250 MB, under the 300 MB of issue 13, and is no slower (more, smaller
 * scavenges). Figures in docs/performance.md, "Audit of 500 releases: peak memory".
 */
export const AUDIT_SEMI_SPACE_MB = 8
const AUDIT_HEAP_FLAG = `--max-semi-space-size=${AUDIT_SEMI_SPACE_MB}`

/**
 * V8 reads heap limits only when an isolate is made (v8.setFlagsFromString is too late), so
 * `audit` replaces this process with Node started again with the flag: process.execve, the same
 * PID, stdio, signals and exit status, no parent left waiting (a child process would keep a
 * second Node of ~70 MB RSS alive beside it). Chosen over a worker thread with
 * resourceLimits.maxYoungGenerationSizeMb, which measured 272–309 MB in the same bench: a
 * worker's main thread stays loaded, and Buffers freed in a worker were returned to the system
 * later. Nothing happens when the flag is already set (by us: no loop; or by the user, in the
 * command line or NODE_OPTIONS) or where execve is not available (Windows): the audit then runs
 * here, only without the cap. Other commands start exactly as before.
 */
function execWithAuditHeapLimit(): boolean {
  const flagged = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((arg) =>
    arg.includes('--max-semi-space-size'),
  )
  if (flagged || typeof process.execve !== 'function' || process.platform === 'win32') return false
  const script = process.argv[1]
  if (!script) return false
  // Loading commands.ts opened stderr, and libuv made that pipe non-blocking; the flag lives on
  // the file description, which the shell or `time` around us shares. Node resets it at exit,
  // but execve is no exit: put it back, or whoever writes to the pipe after us gets EAGAIN.
  for (const stream of [process.stdout, process.stderr]) {
    const handle = (stream as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle
    handle?.setBlocking?.(true)
  }
  process.execve(process.execPath, [
    process.execPath,
    ...process.execArgv,
    AUDIT_HEAP_FLAG,
    script,
    ...process.argv.slice(2),
  ])
  return true
}

// Deliberately no top-level await. Commands may import their heavy parts with import(), and the
// bundle's chunks can import modules they share with this entry back from it: an entry still
// awaiting at top level would then wait for itself (Node exits 13, "unsettled top-level await").
const argv = process.argv.slice(2)
if (argv[0] !== 'audit' || !execWithAuditHeapLimit()) {
  writeToDescriptors()
  void main(argv).then((code) => {
    process.exitCode = code
  })
}
