import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildManifest,
  parseSubjectPatterns,
  type BuiltManifest,
} from '../../src/manifest/index.ts'
import { checkProperty, expectInputError, withTimeout } from './fuzz-support.ts'

const INPUT = 'subject-path'

let root: string
let workspace: string
let outside: string

/**
 * A small workspace with ways out: links to a file and a folder outside it, a link up to its
 * parent, a link to itself (a loop for `**`), a dangling link and a named pipe.
 */
beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'fuzz-globs-')))
  workspace = path.join(root, 'ws')
  outside = path.join(root, 'outside')
  const files: Record<string, string> = {
    'dist/app.zip': 'zip',
    'dist/app.tar.gz.sha256': 'sum',
    'dist/linux/app': 'linux',
    'dist/mac/app.dmg': 'dmg',
    'docs/{braces}.txt': 'braces',
    'docs/[brackets].txt': 'brackets',
    'docs/!bang.txt': 'bang',
    'docs/#hash.txt': 'hash',
    'docs/ space .txt': 'space',
    '.hidden/h.txt': 'hidden',
    'README.md': 'readme',
  }
  for (const [relative, contents] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(workspace, relative)), { recursive: true })
    await writeFile(path.join(workspace, relative), contents)
  }
  await mkdir(path.join(outside, 'dir'), { recursive: true })
  await writeFile(path.join(outside, 'secret.txt'), 'secret')
  await writeFile(path.join(outside, 'dir/inner.txt'), 'inner')
  await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'dist/leak.txt'))
  await symlink(path.join(outside, 'dir'), path.join(workspace, 'linked-dir'))
  await symlink('..', path.join(workspace, 'up'))
  await symlink('.', path.join(workspace, 'dist/loop'))
  await symlink('missing', path.join(workspace, 'dist/dangling'))
  await promisify(execFile)('mkfifo', [path.join(workspace, 'dist/fifo')])
}, 30_000)

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** Pieces of `subject-path` lines, many of them ways to reach outside the workspace. */
function patternPiece(): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        'dist',
        'docs',
        'linux',
        'mac',
        'app',
        'app.zip',
        '.hidden',
        'README.md',
        'leak.txt',
        'linked-dir',
        'up',
        'loop',
        'dangling',
        'fifo',
        'ws',
        'outside',
        'secret.txt',
        'dir',
        '*',
        '**',
        '?',
        '*.zip',
        '*.txt',
        '.',
        '..',
        '/',
        '//',
        '\\',
        '!',
        '#',
        '~',
        ' ',
        '{a,b}',
        '{dist,docs}',
        '{..,.}',
        '{,}',
        '{1..3}',
        '[a-z]',
        '[!a]',
        '[',
        ']',
        '{',
        '}',
        '(',
        ')',
        '@(dist)',
        '+(a)',
        '!(dist)',
        '$HOME',
        '%2e%2e',
        '\u0000',
        '\t',
        'é',
        '\u202e',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(root, workspace, outside, '/etc/passwd', '/') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 6 }) },
  )
}

/** Lines a workflow might really hold, so that some builds succeed and get checked. */
const plausibleLine = fc.constantFrom(
  'dist/*',
  'dist/**',
  'dist/app.zip',
  'dist/linux',
  'dist/*.zip',
  '**/*.zip',
  '{dist,docs}/*.txt',
  'docs/*',
  'docs/**/*.txt',
  'README.md',
  './README.md',
  'dist//app.zip',
  'dist/mac/../app.zip',
  '!dist/leak.txt',
  '!**/loop/**',
  '!dist/fifo',
  '!dist/dangling',
  '# comment',
  '',
  'dist/{app.zip,linux}',
  'docs/\\{braces\\}.txt',
  'docs/\\[brackets\\].txt',
  '.hidden/*',
)

const hostileLine = fc
  .tuple(
    fc.constantFrom('', '', '', '!', '#', ' ', '  !'),
    fc.array(patternPiece(), { minLength: 1, maxLength: 5 }),
    fc.array(fc.constantFrom('', '/', '/'), { minLength: 5, maxLength: 5 }),
  )
  .map(([prefix, pieces, seps]) => prefix + pieces.map((p, i) => p + (seps[i] ?? '')).join(''))

const patternLine = fc.oneof(
  { weight: 3, arbitrary: plausibleLine },
  { weight: 2, arbitrary: hostileLine },
)

const subjectPathInput = fc
  .tuple(
    fc.array(patternLine, { minLength: 1, maxLength: 4 }),
    fc.constantFrom('\n', '\r\n'),
    fc.option(
      fc.tuple(
        fc.constantFrom('*/', '{a,b}/', '?', '[a-z]'),
        fc.integer({ min: 500, max: 12_000 }),
      ),
      { freq: 8 },
    ),
  )
  .map(([lines, eol, long]) => {
    if (long === null) return lines.join(eol)
    const [unit, length] = long
    return [...lines, `dist/${unit.repeat(Math.ceil(length / unit.length))}x`].join(eol)
  })

function isInside(base: string, candidate: string): boolean {
  const relative = path.relative(base, candidate)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

async function expectConfined(built: BuiltManifest, outDir: string): Promise<void> {
  expect(built.subjects.length).toBeGreaterThan(0)
  for (const subject of built.subjects) {
    expect(path.isAbsolute(subject.path)).toBe(false)
    expect(subject.path.split('/')).not.toContain('..')
    const local = subject.localPath as string
    if (subject.source === 'directory') {
      expect(isInside(outDir, local)).toBe(true)
      expect(isInside(workspace, await realpath(path.join(workspace, subject.path)))).toBe(true)
    } else {
      expect(isInside(workspace, await realpath(local))).toBe(true)
    }
  }
}

describe('subject-path fuzzing: confined subjects or an InputError naming subject-path', () => {
  it('random pattern lists never release anything from outside the workspace', async () => {
    let built = 0
    await checkProperty(
      fc.asyncProperty(subjectPathInput, async (input) => {
        const outDir = path.join(root, 'out')
        const result = await withTimeout(
          buildManifest({
            workspace,
            patterns: parseSubjectPatterns(input),
            source: {},
            outDir,
            sourceDateEpoch: 0,
            concurrency: 1,
          }).catch((error: unknown) => error),
          10_000,
          `buildManifest(${JSON.stringify(input.slice(0, 200))})`,
        )
        if (result instanceof Error) {
          expectInputError(result, INPUT)
          expect(await readdir(root)).not.toContain('out')
          return
        }
        built++
        await expectConfined(result as BuiltManifest, outDir)
        await rm(outDir, { recursive: true, force: true })
      }),
      { numRuns: 80, timeoutMs: 15_000 },
    )
    expect(built).toBeGreaterThan(0)
  })

  it('patterns that reach out directly are refused, excludes cannot let them back in', async () => {
    const escape = fc.constantFrom(
      '../outside/secret.txt',
      'up/outside/secret.txt',
      'up/**',
      'up/outside/*',
      '../**',
      'dist/leak.txt',
      'dist/*.txt',
      'linked-dir',
      'linked-dir/**',
      'linked-dir/*',
      '{dist,..}/*',
      path.join(outside, 'secret.txt'),
      `${outside}/*`,
      '/etc/passwd',
      'dist/loop/loop/leak.txt',
      'dist/dangling',
      'dist/fifo',
      'dist/\u0000',
      'dist/app.zip\u0000.txt',
    )
    const exclude = fc.constantFrom('', '!dist/leak.txt', '!**/leak.txt', '!../**', '!**', '!up')
    await checkProperty(
      fc.asyncProperty(escape, exclude, fc.boolean(), async (pattern, excluded, withGood) => {
        const patterns = [
          ...(withGood ? ['dist/app.zip'] : []),
          pattern,
          ...(excluded ? [excluded] : []),
        ]
        const outDir = path.join(root, 'out')
        const result = await withTimeout(
          buildManifest({
            workspace,
            patterns,
            source: {},
            outDir,
            sourceDateEpoch: 0,
            concurrency: 1,
          }).catch((error: unknown) => error),
          10_000,
          'buildManifest',
        )
        if (result instanceof Error) {
          expectInputError(result, INPUT)
          expect(await readdir(root)).not.toContain('out')
          return
        }
        // Only an exclude that removed every way out may leave a successful build.
        await expectConfined(result as BuiltManifest, outDir)
        for (const subject of (result as BuiltManifest).subjects) {
          expect(subject.name).not.toBe('secret.txt')
          expect(subject.name).not.toBe('leak.txt')
        }
        await rm(outDir, { recursive: true, force: true })
      }),
      { numRuns: 60, timeoutMs: 15_000 },
    )
  })

  it('patterns the glob engine cannot take are refused before they reach it', async () => {
    const cases: [string, RegExp][] = [
      // ~40 KB of nested braces made V8's regexp compiler abort the process (not catchable).
      [`dist/${'{a,{b,'.repeat(5_000)}c${'}}'.repeat(5_000)}`, /at most 4096/],
      // Compiled to a regexp too large for V8: a SyntaxError out of tinyglobby.
      [`dist/${'*/'.repeat(3_000)}x`, /at most 4096/],
      ['dist/\u0000*', /contains a NUL character/],
      ['!\u0000', /contains a NUL character/],
    ]
    for (const [pattern, message] of cases) {
      const started = performance.now()
      const error = await buildManifest({
        workspace,
        patterns: ['dist/app.zip', pattern],
        source: {},
        outDir: path.join(root, 'out'),
        sourceDateEpoch: 0,
        concurrency: 1,
      }).catch((e: unknown) => e)
      expectInputError(error, INPUT)
      expect(error.message).toMatch(message)
      expect(performance.now() - started).toBeLessThan(2_000)
    }
    // The longest pattern allowed, in the slowest shape (nested extglobs), is still bounded.
    const started = performance.now()
    const slowest = `${'+(a|'.repeat(819)}${')'.repeat(819)}`.slice(0, 4096)
    const error = await buildManifest({
      workspace,
      patterns: [slowest],
      source: {},
      outDir: path.join(root, 'out'),
      sourceDateEpoch: 0,
      concurrency: 1,
    }).catch((e: unknown) => e)
    expectInputError(error, INPUT)
    expect(performance.now() - started).toBeLessThan(10_000)
  })
})
