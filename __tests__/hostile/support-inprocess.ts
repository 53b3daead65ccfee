// Runs the action's own `run()` inside the test process, as the runner would in a fresh Node
// process but without the ~1.5 s start-up: the environment is swapped in for the run, stdout
// and stderr are captured, and the exit code @actions/core sets is read back and cleared.
// Runs must not overlap (the environment is process-wide).
import { readFile } from 'node:fs/promises'
import { parseOutputFile } from '../support/action-runner.ts'

export interface InProcessResult {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** `::error::` messages, decoded. */
  errors: string[]
  warnings: string[]
}

function decode(message: string): string {
  return message.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}

let busy = false

export async function runInProcess(
  run: () => Promise<void>,
  env: Record<string, string>,
): Promise<InProcessResult> {
  if (busy) throw new Error('in-process action runs must not overlap')
  busy = true
  const savedEnv = { ...process.env }
  const stdoutWrite = process.stdout.write.bind(process.stdout)
  const stderrWrite = process.stderr.write.bind(process.stderr)
  let stdout = ''
  let stderr = ''
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined
      callback?.()
      return true
    }
  try {
    for (const name of Object.keys(process.env)) {
      if (name.startsWith('INPUT_') || name.startsWith('GITHUB_') || name.startsWith('ACTIONS_'))
        delete process.env[name]
    }
    Object.assign(process.env, env)
    process.exitCode = 0
    process.stdout.write = capture((t) => (stdout += t)) as typeof process.stdout.write
    process.stderr.write = capture((t) => (stderr += t)) as typeof process.stderr.write
    await run()
  } finally {
    process.stdout.write = stdoutWrite
    process.stderr.write = stderrWrite
    for (const name of Object.keys(process.env)) {
      if (!(name in savedEnv)) delete process.env[name]
    }
    Object.assign(process.env, savedEnv)
    busy = false
  }
  const exitCode = Number(process.exitCode ?? 0)
  process.exitCode = 0
  const lines = stdout.split('\n')
  const commands = (kind: string) =>
    lines
      .map((line) => new RegExp(`^::${kind}[^:]*::(.*)$`).exec(line)?.[1])
      .filter((m): m is string => m !== undefined)
      .map(decode)
  return {
    exitCode,
    stdout,
    stderr,
    outputs: env['GITHUB_OUTPUT']
      ? parseOutputFile(await readFile(env['GITHUB_OUTPUT'], 'utf8'))
      : {},
    errors: commands('error'),
    warnings: commands('warning'),
  }
}
