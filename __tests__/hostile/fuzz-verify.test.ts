// Issue 18, "widen the suite": a structure-aware fuzzer for `verify`. Each run takes a real
// release the action published on the loopback world, as a reviewer downloaded it, and applies a
// few random mutations that know its structure: a JSON field (of the manifest, the change record,
// a bundle or the statement inside a bundle) deleted, retyped or duplicated; a file swapped with
// the same file of another release; extra folder entries of every type (file, folder, links in
// and out, FIFO); a file removed or one byte flipped; and huge counts (a manifest of tens of
// thousands of subjects, a SHA256SUMS of a hundred thousand lines). Whatever the folder holds:
// - `verify --json` exits 0 only when the folder is byte-identical to a published release (a
//   bundle may instead be one Sigstore's own verifier still accepts for the same signed
//   payload, see stillProves), and 1 otherwise (never 2, never a crash, never an empty report);
// - it never takes longer than twice the untouched release's time plus a second;
// - nothing it writes is a workflow command (runCli checks every line).
// `npm test` runs a fixed seed; `npm run fuzz` fresh ones (see fuzz-support.ts).
import { execFileSync } from 'node:child_process'
import { lstat, readdir, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { bundleFromJSON } from '@sigstore/bundle'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHANGE_RECORD_BUNDLE_FILE,
  CHANGE_RECORD_FILE,
  MANIFEST_FILE,
  PROVENANCE_BUNDLE_FILE,
  SHA256SUMS_FILE,
} from '../../src/util/release-files.ts'
import type { VerificationReport } from '../../src/verify/types.ts'
import { startReleaseWorld, type ReleaseWorld } from '../support/release-world.ts'
import {
  copyRelease,
  publishRelease,
  removeTemporaryFolders,
  runCli,
  type PublishedRelease,
} from '../verify/support.ts'
import { checkProperty } from './fuzz-support.ts'

const REPO = 'octo-org/octo-repo'

let world: ReleaseWorld
let v100: PublishedRelease
let v110: PublishedRelease
/** What `verify` may take on a mutated folder: twice the untouched release's time plus 1 s. */
let budgetMs: number

beforeAll(async () => {
  world = await startReleaseWorld()
  v100 = await publishRelease(world, 'v1.0.0')
  v110 = await publishRelease(world, 'v1.1.0', { runId: '1002' })
  // The slowest of three untouched runs (the first pays for loading the verifier).
  const times: number[] = []
  for (let i = 0; i < 3; i++) times.push((await verify(v100.dir)).ms)
  budgetMs = 2 * Math.max(...times.slice(1)) + 1000
}, 120_000)

afterAll(async () => {
  await world?.close()
  await removeTemporaryFolders()
})

async function verify(dir: string): Promise<{ code: number; stdout: string; ms: number }> {
  const started = performance.now()
  const result = await runCli([
    'verify',
    dir,
    '--json',
    '--repo',
    REPO,
    '--trusted-root',
    world.trustedRootPath,
  ])
  return { code: result.code, stdout: result.stdout, ms: performance.now() - started }
}

// ---------------------------------------------------------------------------------------------
// The mutations

type JsonTarget =
  | typeof MANIFEST_FILE
  | typeof CHANGE_RECORD_FILE
  | typeof PROVENANCE_BUNDLE_FILE
  | typeof CHANGE_RECORD_BUNDLE_FILE
  | 'provenance statement'
  | 'change-record statement'

type Mutation =
  | {
      kind: 'json'
      target: JsonTarget
      op: 'delete' | 'retype' | 'duplicate'
      at: number
      value: unknown
    }
  | { kind: 'swap'; file: number }
  | {
      kind: 'extra'
      entry: 'file' | 'folder' | 'link in' | 'link out' | 'dangling link' | 'fifo'
      name: string
    }
  | { kind: 'remove'; file: number }
  | { kind: 'flip'; file: number; at: number }
  | {
      kind: 'huge'
      target: typeof MANIFEST_FILE | typeof SHA256SUMS_FILE | typeof CHANGE_RECORD_FILE
      count: number
    }

const JSON_TARGETS: JsonTarget[] = [
  MANIFEST_FILE,
  CHANGE_RECORD_FILE,
  PROVENANCE_BUNDLE_FILE,
  CHANGE_RECORD_BUNDLE_FILE,
  'provenance statement',
  'change-record statement',
]

/** Values of every JSON type, and a few that look right but are not. */
const replacement = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, '', 'x', 'sha256:' + 'a'.repeat(64), [], {}, [{}]),
  fc.string({ maxLength: 8 }),
  fc.integer(),
)

const entryName = fc.oneof(
  fc.constantFrom('extra.bin', 'evil.sh', '.hidden', 'app-linux-amd64.sig', 'SHA256SUMS.asc'),
  fc.stringMatching(/^[a-z][a-z0-9._-]{0,11}$/),
)

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('json' as const),
      target: fc.constantFrom(...JSON_TARGETS),
      op: fc.constantFrom('delete' as const, 'retype' as const, 'duplicate' as const),
      at: fc.nat(),
      value: replacement,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('swap' as const), file: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('extra' as const),
      entry: fc.constantFrom(
        'file' as const,
        'folder' as const,
        'link in' as const,
        'link out' as const,
        'dangling link' as const,
        'fifo' as const,
      ),
      name: entryName,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), file: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('flip' as const), file: fc.nat(), at: fc.nat() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      target: fc.constantFrom(MANIFEST_FILE, SHA256SUMS_FILE, CHANGE_RECORD_FILE),
      count: fc.integer({ min: 1_000, max: 50_000 }),
    }),
  },
)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every value below the root, as a parent and a key, in document order. */
function places(root: Json): { parent: Json[] | Record<string, Json>; key: string | number }[] {
  const found: { parent: Json[] | Record<string, Json>; key: string | number }[] = []
  const visit = (value: Json): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        found.push({ parent: value, key: i })
        visit(item)
      })
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        found.push({ parent: value, key })
        visit(item)
      }
    }
  }
  visit(root)
  return found
}

function editJson(
  document: Json,
  op: 'delete' | 'retype' | 'duplicate',
  at: number,
  value: unknown,
): Json {
  const all = places(document)
  if (all.length === 0) return structuredClone(value) as Json
  const { parent, key } = all[at % all.length]!
  if (Array.isArray(parent)) {
    const index = key as number
    if (op === 'delete') parent.splice(index, 1)
    else if (op === 'retype') parent[index] = structuredClone(value) as Json
    else parent.splice(index, 0, structuredClone(parent[index]!))
  } else {
    const name = key as string
    if (op === 'delete') delete parent[name]
    else if (op === 'retype') parent[name] = structuredClone(value) as Json
    // A duplicated member is written out as the same key twice (see writeWithDuplicate).
    else parent[`${name}\u0000duplicate`] = structuredClone(parent[name]!)
  }
  return document
}

/** JSON text in which a key marked by editJson appears twice under its own name. */
function serialise(document: Json): string {
  return JSON.stringify(document).replace(/"([^"\\]*)\\u0000duplicate"/g, '"$1"')
}

const DSSE_TARGET: Record<string, string> = {
  'provenance statement': PROVENANCE_BUNDLE_FILE,
  'change-record statement': CHANGE_RECORD_BUNDLE_FILE,
}

async function applyJson(dir: string, m: Extract<Mutation, { kind: 'json' }>): Promise<void> {
  const bundleFile = DSSE_TARGET[m.target]
  const file = join(dir, bundleFile ?? m.target)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return // Removed by an earlier mutation.
  }
  let document: Json
  try {
    document = JSON.parse(text) as Json
  } catch {
    return // Made unreadable by an earlier mutation.
  }
  if (bundleFile) {
    const envelope = (document as { dsseEnvelope?: { payload?: unknown } }).dsseEnvelope
    if (typeof envelope?.payload !== 'string') return
    let statement: Json
    try {
      statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Json
    } catch {
      return
    }
    const edited = serialise(editJson(statement, m.op, m.at, m.value))
    envelope.payload = Buffer.from(edited, 'utf8').toString('base64')
    await writeFile(file, JSON.stringify(document))
  } else {
    await writeFile(file, serialise(editJson(document, m.op, m.at, m.value)))
  }
}

async function filesOf(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort()
}

async function applyHuge(dir: string, m: Extract<Mutation, { kind: 'huge' }>): Promise<void> {
  const file = join(dir, m.target)
  const text = await readFile(file, 'utf8').catch(() => undefined)
  if (text === undefined) return
  if (m.target === SHA256SUMS_FILE) {
    const lines = text.split('\n').filter(Boolean)
    const many = Array.from({ length: m.count * 2 }, (_, i) => lines[i % lines.length])
    await writeFile(file, `${many.join('\n')}\n`)
    return
  }
  let document: Json
  try {
    document = JSON.parse(text) as Json
  } catch {
    return
  }
  // The longest list the document holds (subjects, approvals, commits) grows to `count`.
  const lists = places(document)
    .map(({ parent, key }) => (parent as Record<string | number, Json>)[key])
    .filter((value): value is Json[] => Array.isArray(value) && value.length > 0)
    .sort((a, b) => b.length - a.length)
  const list = lists[0]
  if (!list) return
  const template = list.slice()
  for (let i = list.length; i < m.count; i++)
    list.push(structuredClone(template[i % template.length]!))
  await writeFile(file, JSON.stringify(document))
}

async function apply(dir: string, m: Mutation): Promise<void> {
  const files = await filesOf(dir)
  const pick = (n: number) => files[n % files.length]
  switch (m.kind) {
    case 'json':
      return applyJson(dir, m)
    case 'huge':
      return applyHuge(dir, m)
    case 'swap': {
      const name = pick(m.file)
      if (!name) return
      const donor = await readFile(join(v110.dir, name)).catch(() => undefined)
      if (donor === undefined) return
      await rm(join(dir, name), { recursive: true, force: true })
      await writeFile(join(dir, name), donor)
      return
    }
    case 'remove': {
      const name = pick(m.file)
      if (name) await rm(join(dir, name), { recursive: true, force: true })
      return
    }
    case 'flip': {
      const name = pick(m.file)
      if (!name || !(await lstat(join(dir, name))).isFile()) return
      const bytes = await readFile(join(dir, name))
      if (bytes.length === 0) return
      const at = m.at % bytes.length
      bytes[at] = (bytes[at]! ^ 0x01) & 0xff
      await writeFile(join(dir, name), bytes)
      return
    }
    case 'extra': {
      const path = join(dir, m.name)
      await rm(path, { recursive: true, force: true })
      if (m.entry === 'file') await writeFile(path, 'not released\n')
      else if (m.entry === 'folder') {
        await mkdir(path)
        await writeFile(join(path, 'backdoor.bin'), 'not released\n')
      } else if (m.entry === 'link in') await symlink(files[0] ?? MANIFEST_FILE, path)
      else if (m.entry === 'link out') await symlink('/etc/hostname', path)
      else if (m.entry === 'dangling link') await symlink('nowhere', path)
      else execFileSync('mkfifo', [path])
      return
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The judge

/** Every entry of a folder, by name: its type and, for a regular file, its bytes. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>()
  for (const name of await readdir(dir)) {
    const info = await lstat(join(dir, name))
    entries.set(
      name,
      info.isFile()
        ? (await readFile(join(dir, name))).toString('base64')
        : `not a file: ${info.mode}`,
    )
  }
  return entries
}

const BUNDLES = new Set([PROVENANCE_BUNDLE_FILE, CHANGE_RECORD_BUNDLE_FILE])

/**
 * A bundle is evidence about the assets, not one of them: with a field removed that Sigstore
 * does not need (a log entry's key id, an RFC 3161 timestamp beside the log's time) it still
 * proves the same signature over the same payload, and verify may accept it. Sigstore's own
 * verifier, called directly, is the judge, with the thresholds verify documents (a signed
 * certificate timestamp and one trusted time; a log entry only where one is present).
 */
function stillProves(mutated: string, published: string): boolean {
  try {
    const json = JSON.parse(Buffer.from(mutated, 'base64').toString('utf8')) as {
      dsseEnvelope?: unknown
    }
    const original = JSON.parse(Buffer.from(published, 'base64').toString('utf8')) as {
      dsseEnvelope?: unknown
    }
    if (JSON.stringify(json.dsseEnvelope) !== JSON.stringify(original.dsseEnvelope)) return false
    const trust = toTrustMaterial(TrustedRoot.fromJSON(world.sigstore.trustedRoot))
    new Verifier(trust, { ctlogThreshold: 1, tlogThreshold: 0, timestampThreshold: 1 }).verify(
      toSignedEntity(bundleFromJSON(json)),
    )
    return true
  } catch {
    return false
  }
}

/** Whether `now` holds exactly `release`'s assets (its bundles may be equivalent, see stillProves). */
function sameRelease(now: Map<string, string>, release: Map<string, string>): boolean {
  if (now.size !== release.size) return false
  return [...now].every(([name, value]) => {
    const want = release.get(name)
    if (want === undefined) return false
    if (want === value) return true
    return BUNDLES.has(name) && stillProves(value, want)
  })
}

let published: Map<string, string>[] = []

describe('verify fuzzing: a mutated release never verifies, never crashes, never hangs', () => {
  it('random structure-aware mutations of a downloaded release', async () => {
    published = [await snapshot(v100.dir), await snapshot(v110.dir)]
    let runs = 0
    let failed = 0
    await checkProperty(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const dir = await copyRelease(v100)
        try {
          for (const m of mutations) await apply(dir, m)
          const identical = await snapshot(dir).then((now) =>
            published.some((release) => sameRelease(now, release)),
          )
          const { code, stdout, ms } = await verify(dir)
          expect(stdout.trim(), 'verify --json printed nothing').not.toBe('')
          const report = JSON.parse(stdout) as VerificationReport
          expect(report.checks.length).toBeGreaterThan(0)
          for (const check of report.checks) {
            expect(typeof check.id).toBe('string')
            expect(typeof check.ok).toBe('boolean')
          }
          expect(code).toBe(identical ? 0 : 1)
          expect(report.verified).toBe(identical)
          if (!identical) {
            expect(report.checks.some((check) => !check.ok)).toBe(true)
            failed++
          }
          expect(
            ms,
            `verify took ${Math.round(ms)} ms, the budget is ${budgetMs} ms`,
          ).toBeLessThanOrEqual(budgetMs)
          runs++
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      }),
      { numRuns: 40, timeoutMs: 60_000 },
    )
    // The mutations must really change releases: most runs are refused, not no-ops.
    expect(failed).toBeGreaterThan(runs * 0.8)
  }, 600_000)
})
