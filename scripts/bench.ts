/**
 * Hashing and packing benchmark against the usual command-line tools.
 *
 *   node scripts/bench.ts            default cases (about a minute, ~1.1 GiB of temp data)
 *   node scripts/bench.ts --large    also the slow cases (~4 GiB of temp data)
 *   node scripts/bench.ts --json     machine-readable results
 *   node scripts/bench.ts --only=small-files,peak-rss
 *
 * Runs on Node 24 straight from the TypeScript sources. Generated data lives in a temporary
 * folder that is removed at the end. Add a case by appending to CASES.
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { buildManifest } from '../src/manifest/index.ts'
import { hashFiles } from '../src/manifest/hash-pool.ts'
import { createReproducibleTarball } from '../src/manifest/tarball.ts'

const execFileAsync = promisify(execFile)
const MiB = 1024 * 1024
const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

export interface BenchContext {
  /** Temporary folder for this run's data; removed afterwards. */
  dir: string
  large: boolean
  /** Memoised data set-up shared between cases. */
  fixture<T>(key: string, make: () => Promise<T>): Promise<T>
}

export interface BenchResult {
  /** Seconds (or the case's own unit) taken by our implementation. */
  ours: number
  /** The same for the reference tool, when there is one. */
  reference?: number
  /** What the target is judged on; defaults to ours / reference. */
  value?: number
  note?: string
}

export interface BenchCase {
  id: string
  title: string
  /** Only with --large. */
  large?: boolean
  /** Pass when the judged value is at most this. */
  target: number
  /** How the judged value reads: a ratio to the reference, or an absolute unit. */
  unit: 'ratio' | 'MB' | 's' | 'requests'
  run(ctx: BenchContext): Promise<BenchResult>
}

/** Best of `runs` timings, in seconds: the least disturbed by the rest of the machine. */
async function best(runs: number, task: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await task()
    fastest = Math.min(fastest, (performance.now() - start) / 1000)
  }
  return fastest
}

/** Writes `bytes` of incompressible data, streaming a random 16 MiB block repeatedly. */
async function bigFile(file: string, bytes: number): Promise<string> {
  const block = randomBytes(16 * MiB)
  const handle = await open(file, 'w')
  try {
    for (let written = 0; written < bytes; written += block.length) {
      await handle.write(block, 0, Math.min(block.length, bytes - written))
    }
  } finally {
    await handle.close()
  }
  await execFileAsync('cat', [file], { maxBuffer: 1 }).catch(() => {}) // warm the page cache
  return file
}

async function smallFiles(dir: string, count: number, size: number): Promise<string> {
  const block = randomBytes(size)
  for (let start = 0; start < count; start += 500) {
    const sub = path.join(dir, `d${Math.floor(start / 2000)}`)
    await mkdir(sub, { recursive: true })
    await Promise.all(
      Array.from({ length: Math.min(500, count - start) }, (_, k) => {
        const data = Buffer.from(block)
        data.writeUInt32LE(start + k, 0)
        return writeFile(path.join(sub, `f${start + k}.bin`), data)
      }),
    )
  }
  return dir
}

const sh = (command: string): Promise<unknown> =>
  execFileAsync('sh', ['-c', command], { maxBuffer: 256 * MiB })

export const CASES: BenchCase[] = [
  {
    id: 'one-large-file',
    title: 'one 1 GiB file (2 GiB with --large) vs openssl dgst -sha256',
    target: 1.05,
    unit: 'ratio',
    async run(ctx) {
      const size = ctx.large ? 2048 * MiB : 1024 * MiB
      const file = await ctx.fixture(`big-${size}`, () =>
        bigFile(path.join(ctx.dir, `big-${size}.bin`), size),
      )
      const reference = await best(2, () => execFileAsync('openssl', ['dgst', '-sha256', file]))
      const ours = await best(2, () => hashFiles([{ path: file, size, algorithms: ['sha256'] }]))
      return { ours, reference }
    },
  },
  {
    id: 'parallel-large-files',
    title: '4 × 512 MiB in parallel vs openssl one after another',
    large: true,
    target: 0.6,
    unit: 'ratio',
    async run(ctx) {
      const files = await ctx.fixture('four', async () => {
        const out: string[] = []
        for (let i = 0; i < 4; i++)
          out.push(await bigFile(path.join(ctx.dir, `quarter-${i}.bin`), 512 * MiB))
        return out
      })
      const reference = await best(2, () => execFileAsync('openssl', ['dgst', '-sha256', ...files]))
      const ours = await best(2, () =>
        hashFiles(
          files.map((p) => ({ path: p, size: 512 * MiB, algorithms: ['sha256'] as const })),
        ),
      )
      return { ours, reference, note: `${availableParallelism()} cores` }
    },
  },
  {
    id: 'small-files',
    title: '20,000 × 2 KiB files (whole buildManifest) vs find | xargs openssl',
    target: 1.5,
    unit: 'ratio',
    async run(ctx) {
      const workspace = await ctx.fixture('small', async () => {
        const ws = path.join(ctx.dir, 'small-ws')
        await smallFiles(path.join(ws, 'many'), 20_000, 2048)
        return ws
      })
      const many = path.join(workspace, 'many')
      const reference = await best(3, () =>
        sh(`find '${many}' -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null`),
      )
      const ours = await best(3, () =>
        buildManifest({
          workspace,
          patterns: ['many/**/*.bin'],
          source: {},
          outDir: path.join(ctx.dir, 'unused-out'),
          sourceDateEpoch: 0,
        }),
      )
      return { ours, reference }
    },
  },
  {
    id: 'peak-rss',
    title: 'peak RSS while hashing one large file (child process)',
    target: 150,
    unit: 'MB',
    async run(ctx) {
      const size = 1024 * MiB
      const file = await ctx.fixture(`big-${size}`, () =>
        bigFile(path.join(ctx.dir, `big-${size}.bin`), size),
      )
      const child = `
        const { hashFiles } = await import(${JSON.stringify(path.join(ROOT, 'src/manifest/hash-pool.ts'))})
        const start = performance.now()
        await hashFiles([{ path: ${JSON.stringify(file)}, size: ${size}, algorithms: ['sha256'] }])
        console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, maxRssKiB: process.resourceUsage().maxRSS }))`
      const args = ['--input-type=module', '-e', child]
      const timeTool = existsSync('/usr/bin/time')
      const { stdout, stderr } = await run(
        timeTool ? '/usr/bin/time' : process.execPath,
        timeTool ? ['-v', process.execPath, ...args] : args,
      )
      const reported = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
        seconds: number
        maxRssKiB: number
      }
      const fromTime = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]
      const kib = fromTime ? Number(fromTime) : reported.maxRssKiB
      return {
        ours: reported.seconds,
        value: (kib * 1024) / 1e6,
        note: fromTime ? '/usr/bin/time -v' : 'process.resourceUsage',
      }
    },
  },
  {
    id: 'tarball',
    title: 'reproducible tarball of 20,000 files vs GNU tar --sort=name -czf',
    large: true,
    target: 2,
    unit: 'ratio',
    async run(ctx) {
      const tree = await ctx.fixture('tree', () =>
        smallFiles(path.join(ctx.dir, 'tree'), 20_000, 2048),
      )
      const reference = await best(2, () =>
        execFileAsync('tar', [
          '--sort=name',
          '--mtime=@0',
          '--owner=0',
          '--group=0',
          '--numeric-owner',
          '-czf',
          path.join(ctx.dir, 'gnu.tar.gz'),
          '-C',
          ctx.dir,
          'tree',
        ]),
      )
      const ours = await best(2, () =>
        createReproducibleTarball({
          directory: tree,
          outFile: path.join(ctx.dir, 'ours.tar.gz'),
          sourceDateEpoch: 0,
          displayPath: 'tree',
        }),
      )
      return { ours, reference }
    },
  },
]

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    )
  })
}

interface Row {
  id: string
  title: string
  ours: number
  reference?: number
  value: number
  unit: BenchCase['unit']
  target: number
  pass: boolean
  note?: string
}

async function main(argv: string[]): Promise<number> {
  const large = argv.includes('--large')
  const json = argv.includes('--json')
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',')
  const dir = await mkdtemp(path.join(tmpdir(), 'immutable-release-bench-'))
  const fixtures = new Map<string, Promise<unknown>>()
  const ctx: BenchContext = {
    dir,
    large,
    fixture<T>(key: string, make: () => Promise<T>): Promise<T> {
      if (!fixtures.has(key)) fixtures.set(key, make())
      return fixtures.get(key) as Promise<T>
    },
  }
  const rows: Row[] = []
  try {
    for (const bench of CASES) {
      if (bench.large && !large) continue
      if (only && !only.includes(bench.id)) continue
      if (!json) process.stderr.write(`running ${bench.id}…\n`)
      const result = await bench.run(ctx)
      const value =
        result.value ?? (result.reference ? result.ours / result.reference : result.ours)
      rows.push({
        id: bench.id,
        title: bench.title,
        ours: result.ours,
        ...(result.reference !== undefined ? { reference: result.reference } : {}),
        value,
        unit: bench.unit,
        target: bench.target,
        pass: value <= bench.target,
        ...(result.note ? { note: result.note } : {}),
      })
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  if (json) {
    process.stdout.write(
      JSON.stringify(
        { node: process.version, cores: availableParallelism(), large, results: rows },
        null,
        2,
      ) + '\n',
    )
  } else {
    const table = [
      ['case', 'ours (s)', 'reference (s)', 'ratio / value', 'target', 'result'],
      ...rows.map((r) => [
        r.id,
        r.ours.toFixed(3),
        r.reference !== undefined ? r.reference.toFixed(3) : '-',
        r.unit === 'ratio' ? r.value.toFixed(2) : `${r.value.toFixed(1)} ${r.unit}`,
        `≤ ${r.target}${r.unit === 'ratio' ? '' : ' ' + r.unit}`,
        r.pass ? 'pass' : 'FAIL',
      ]),
    ]
    const widths =
      table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length))) ?? []
    for (const row of table)
      process.stdout.write(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ') + '\n')
    process.stdout.write(
      `\nNode ${process.version}, ${availableParallelism()} cores${large ? ', --large' : ''}\n`,
    )
  }
  return rows.every((r) => r.pass) ? 0 : 1
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
