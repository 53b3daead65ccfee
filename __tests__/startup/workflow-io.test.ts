// The action's entry reads inputs and reports input errors without @actions/core (see
// src/action/workflow-io.ts). These tests hold it to @actions/core's exact behaviour, and check
// that the entry really fails on a bad input without loading the heavy rest.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import * as light from '../../src/action/workflow-io.ts'

const ENTRY = resolve(import.meta.dirname, '../../src/action/main.ts')

/** What `task` writes to stdout, and the exit code it leaves; both restored afterwards. */
function captured(task: () => void): { stdout: string; exitCode: typeof process.exitCode } {
  const write = process.stdout.write
  const exitCode = process.exitCode
  let stdout = ''
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  }) as typeof process.stdout.write
  try {
    task()
    return { stdout, exitCode: process.exitCode }
  } finally {
    process.stdout.write = write
    process.exitCode = exitCode
  }
}

describe('workflow-io matches @actions/core', () => {
  const names: string[] = []
  afterEach(() => {
    for (const name of names.splice(0)) delete process.env[name]
  })

  const values = [
    '',
    'v1.2.3',
    '  padded \t',
    'dist/*\nsite\n',
    '\n  multi\n  line  \n',
    'with % and %0A and ::colons::',
    'ünïcødé ✓',
  ]

  it.each(['tag', 'subject-path', 'name with spaces', 'Mixed-Case'])(
    'getInput(%j) reads the same variable and value',
    (name) => {
      for (const value of values) {
        const variable = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
        names.push(variable)
        process.env[variable] = value
        expect(light.getInput(name)).toBe(core.getInput(name))
        expect(light.getInput(name, { trimWhitespace: true })).toBe(
          core.getInput(name, { trimWhitespace: true }),
        )
        expect(light.getInput(name, { trimWhitespace: false })).toBe(
          core.getInput(name, { trimWhitespace: false }),
        )
      }
    },
  )

  it('an unset input is the empty string, as in core', () => {
    delete process.env['INPUT_NOT-SET']
    expect(light.getInput('not-set')).toBe('')
    expect(core.getInput('not-set')).toBe('')
  })

  it.each(values.filter(Boolean))('setSecret(%j) writes the same mask command', (secret) => {
    const ours = captured(() => light.setSecret(secret))
    const theirs = captured(() => core.setSecret(secret))
    expect(ours.stdout).toBe(theirs.stdout)
    expect(ours.stdout.startsWith('::add-mask::')).toBe(true)
  })

  it.each(values.filter(Boolean))(
    'setFailed(%j) writes the same error and exit code',
    (message) => {
      const ours = captured(() => light.setFailed(message))
      const theirs = captured(() => core.setFailed(message))
      expect(ours.stdout).toBe(theirs.stdout)
      expect(ours.exitCode).toBe(1)
      expect(theirs.exitCode).toBe(1)
    },
  )
})

/**
 * Runs the action entry with the given inputs and records every module URL Node resolves
 * (module.registerHooks, in the same thread), so the test sees what was loaded.
 */
async function runEntry(
  inputs: Record<string, string>,
): Promise<{ code: number | null; stdout: string; loaded: string[]; builtins: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'entry-load-'))
  const hooks = `
    import { registerHooks } from 'node:module'
    const loaded = []
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.push(r.url); return r } })
    process.on('exit', () => {
      // Built-ins first, then written to fd 2 directly: process.stderr would load net itself.
      const builtins = process.moduleLoadList.slice()
      process.getBuiltinModule('node:fs').writeSync(2, 'loaded-modules=' + JSON.stringify(loaded) + '\\nloaded-builtins=' + JSON.stringify(builtins) + '\\n')
    })`
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  try {
    const child = spawn(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(hooks)}`, ENTRY],
      { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    const code = await new Promise<number | null>((done, fail) => {
      child.on('error', fail)
      child.on('close', done)
    })
    const line = /loaded-modules=(.*)/.exec(stderr)?.[1]
    const builtins = /loaded-builtins=(.*)/.exec(stderr)?.[1]
    if (!line || !builtins) throw new Error(`the entry reported no modules:\n${stderr}`)
    return {
      code,
      stdout,
      loaded: JSON.parse(line) as string[],
      builtins: JSON.parse(builtins) as string[],
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe('the action entry', () => {
  it('fails on a missing tag before loading the orchestration, @actions/core or undici', async () => {
    const { code, stdout, loaded, builtins } = await runEntry({ 'subject-path': 'dist/*' })
    expect(code).toBe(1)
    expect(stdout).toContain("::error::Input 'tag': is required")
    // Written to fd 1 directly: process.stdout for the pipe would load net (~4 ms).
    expect(builtins).not.toContain('NativeModule net')
    expect(loaded.some((url) => url.endsWith('/src/action/inputs.ts'))).toBe(true)
    const heavy = loaded.filter((url) =>
      /\/src\/action\/run\.ts$|@actions\/|undici|@sigstore\//.test(url),
    )
    expect(heavy).toEqual([])
  })

  it('fails on an invalid input the same way, with the mask command first', async () => {
    const { code, stdout, loaded, builtins } = await runEntry({
      tag: 'v1.0.0',
      'subject-path': 'dist/*',
      'github-token': 'ghs_secretvalue',
      'dry-run': 'maybe',
    })
    expect(code).toBe(1)
    const lines = stdout.trim().split('\n')
    expect(lines).toEqual([
      '::add-mask::ghs_secretvalue',
      "::error::Input 'dry-run': expected true or false, got 'maybe'.",
    ])
    expect(builtins).not.toContain('NativeModule net')
    expect(loaded.filter((url) => url.endsWith('/src/action/run.ts'))).toEqual([])
  })

  it('loads the orchestration once the inputs are valid', async () => {
    // No GITHUB_REPOSITORY: run.ts fails on the run context, which proves it was loaded and ran.
    const { code, stdout, loaded } = await runEntry({ tag: 'v1.0.0', 'subject-path': 'dist/*' })
    expect(code).toBe(1)
    expect(stdout).toContain("::error::Input 'GITHUB_REPOSITORY'")
    expect(loaded.some((url) => url.endsWith('/src/action/run.ts'))).toBe(true)
  })
})

describe('writing before process.stdout exists', () => {
  it('hands a line the full pipe refuses to process.stdout, whole and in order', async () => {
    // The pipe is made non-blocking (as process.stdout does), then a line four times the
    // pipe's 64 KiB buffer is written while this side is not reading yet: the direct write
    // meets EAGAIN part-way and process.stdout must carry on from the first byte not taken.
    const script = `
      import { beforeStdout, setFailed } from ${JSON.stringify(resolve(import.meta.dirname, '../../src/action/workflow-io.ts'))}
      process.stdout
      beforeStdout(() => setFailed('x'.repeat(256 * 1024)))
      beforeStdout(() => setFailed('after'))`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.pause()
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    await new Promise((wait) => setTimeout(wait, 300))
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stdout.resume()
    const code = await new Promise<number | null>((done) => child.on('close', done))
    expect(stderr).toBe('')
    expect(code).toBe(1)
    expect(stdout).toBe(`::error::${'x'.repeat(256 * 1024)}\n::error::after\n`)
  })
})
