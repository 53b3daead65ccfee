import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/commands.ts'
import { hashFiles, resolveSourceDateEpoch } from '../../src/manifest/index.ts'
import { hashFile } from '../../src/manifest/hash-file.ts'
import { InputError } from '../../src/util/errors.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { exec, sha256, sha512, tempDir } from './helpers.ts'

describe('hashFiles', () => {
  it('reports each unreadable file in its own outcome and hashes the rest', async () => {
    const dir = await tempDir()
    await writeFile(path.join(dir, 'ok.bin'), 'ok')
    await promisify(execFile)('mkfifo', [path.join(dir, 'pipe')])
    await mkdir(path.join(dir, 'folder'))
    const outcomes = await hashFiles(
      [
        { path: path.join(dir, 'ok.bin'), size: 2, algorithms: ['sha256', 'sha512'] },
        { path: path.join(dir, 'missing.bin'), size: 10, algorithms: ['sha256'] },
        { path: path.join(dir, 'pipe'), size: 0, algorithms: ['sha256'] },
        { path: path.join(dir, 'folder'), size: 0, algorithms: ['sha256'] },
      ],
      { concurrency: 2 },
    )
    expect(outcomes[0]).toEqual({
      size: 2,
      digests: { sha256: sha256('ok'), sha512: sha512('ok') },
    })
    expect(outcomes[1]?.error?.code).toBe('ENOENT')
    expect(outcomes[2]?.error?.code).toBe('ENOTFILE')
    expect(outcomes[3]?.error?.code).toMatch(/^(EISDIR|ENOTFILE)$/)
  })

  it('gives the same digests whatever the read size and worker count', async () => {
    const dir = await tempDir()
    const data = Buffer.alloc(5 * 1024 * 1024 + 17)
    for (let i = 0; i < data.length; i += 997) data[i] = i & 0xff
    await writeFile(path.join(dir, 'data.bin'), data)
    for (const [readSize, concurrency] of [
      [1024, 1],
      [64 * 1024, 2],
      [8 * 1024 * 1024, 4],
    ] as const) {
      const [outcome] = await hashFiles(
        [{ path: path.join(dir, 'data.bin'), size: data.length, algorithms: ['sha256'] }],
        { readSize, concurrency },
      )
      expect(outcome).toEqual({ size: data.length, digests: { sha256: sha256(data) } })
    }
    expect(await hashFile(path.join(dir, 'data.bin'))).toEqual({
      hex: sha256(data),
      size: data.length,
    })
    expect(await hashFiles([])).toEqual([])
  })

  it('gives the same digests on this thread and on workers, with and without read-ahead', async () => {
    const dir = await tempDir()
    const readSize = 64 * 1024
    const files: { path: string; data: Buffer }[] = []
    for (let i = 0; i < 40; i++) {
      // Every fourth file spans several reads (the large-file paths), the rest fit in one.
      const data = Buffer.alloc(i % 4 === 0 ? 3 * readSize + i : 100 + i)
      for (let k = 0; k < data.length; k += 13) data[k] = (k + i) & 0xff
      const file = path.join(dir, `f${i}.bin`)
      await writeFile(file, data)
      files.push({ path: file, data })
    }
    const expected = files.map(({ data }) => ({
      size: data.length,
      digests: { sha256: sha256(data), sha512: sha512(data) },
    }))
    for (const options of [
      { concurrency: 1 },
      { concurrency: 2 },
      { concurrency: 3, hashOnThisThread: false },
      { concurrency: 2, hashOnThisThread: false },
    ]) {
      const requests = files.map(({ path: file, data }) => ({
        path: file,
        size: data.length,
        algorithms: ['sha256', 'sha512'] as const,
      }))
      expect(await hashFiles(requests, { readSize, ...options }), JSON.stringify(options)).toEqual(
        expected,
      )
      // One large file alone takes the read-ahead path.
      expect(await hashFiles(requests.slice(0, 1), { readSize, ...options })).toEqual(
        expected.slice(0, 1),
      )
    }
  })

  it('hashes with two algorithms at once on the overlapped path and the one-read path', async () => {
    const dir = await tempDir()
    const large = Buffer.alloc(3 * 64 * 1024 + 5)
    for (let i = 0; i < large.length; i += 7) large[i] = i & 0xff
    await writeFile(path.join(dir, 'large.bin'), large)
    await writeFile(path.join(dir, 'small.bin'), 'small')
    await writeFile(path.join(dir, 'empty.bin'), '')
    const outcomes = await hashFiles(
      ['large.bin', 'small.bin', 'empty.bin'].map((name) => ({
        path: path.join(dir, name),
        algorithms: ['sha256', 'sha512'] as const,
      })),
      { readSize: 64 * 1024 },
    )
    expect(outcomes).toEqual(
      [large, Buffer.from('small'), Buffer.alloc(0)].map((data) => ({
        size: data.length,
        digests: { sha256: sha256(data), sha512: sha512(data) },
      })),
    )
  })
})

describe('the hash worker', () => {
  it('starts under a parent that evaluates code as ES modules (--input-type=module)', async () => {
    const dir = await tempDir()
    await writeFile(path.join(dir, 'x.bin'), 'x')
    const module = path.resolve(import.meta.dirname, '../../src/manifest/hash-pool.ts')
    const script = `const { hashFiles } = await import(${JSON.stringify(module)})
      const [outcome] = await hashFiles([{ path: ${JSON.stringify(path.join(dir, 'x.bin'))}, algorithms: ['sha256'] }], { hashOnThisThread: false })
      console.log(outcome.digests.sha256)`
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script])
    expect(stdout.trim()).toBe(sha256('x'))
  })
})

describe('resolveSourceDateEpoch', () => {
  it('takes SOURCE_DATE_EPOCH when it is set', async () => {
    const workspace = await tempDir()
    expect(
      await resolveSourceDateEpoch({ env: { SOURCE_DATE_EPOCH: '1700000000' }, workspace }),
    ).toBe(1_700_000_000)
    expect(await resolveSourceDateEpoch({ env: { SOURCE_DATE_EPOCH: '0' }, workspace })).toBe(0)
  })

  it.each(['-1', '1.5', 'yesterday', '1e9', '99999999999999999999'])(
    'rejects SOURCE_DATE_EPOCH=%s, naming the variable',
    async (value) => {
      const error = await resolveSourceDateEpoch({
        env: { SOURCE_DATE_EPOCH: value },
        workspace: await tempDir(),
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).input).toBe('SOURCE_DATE_EPOCH')
      expect((error as Error).message).toContain(`'${value}' is not a whole number of seconds`)
    },
  )

  it('falls back to the commit time from git', async () => {
    const workspace = await tempDir('git-')
    const env = {
      ...process.env,
      GIT_AUTHOR_DATE: '@1600000000 +0000',
      GIT_COMMITTER_DATE: '@1650000000 +0000',
    }
    const git = (...args: string[]): Promise<unknown> =>
      exec(
        'git',
        ['-C', workspace, '-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args],
        { env },
      )
    await git('init', '-q')
    await writeFile(path.join(workspace, 'f'), 'f')
    await git('add', 'f')
    await git('commit', '-q', '-m', 'first')
    const { stdout } = await exec('git', ['-C', workspace, 'rev-parse', 'HEAD'])
    const reporter = new RecordingReporter()
    expect(
      await resolveSourceDateEpoch({ env: {}, workspace, commit: stdout.trim(), reporter }),
    ).toBe(1_650_000_000)
    expect(
      await resolveSourceDateEpoch({ env: { SOURCE_DATE_EPOCH: '' }, workspace, reporter }),
    ).toBe(1_650_000_000)
    expect(reporter.warnings).toEqual([])
  })

  it('falls back to 0 with a warning when there is no commit time', async () => {
    const reporter = new RecordingReporter()
    const workspace = await tempDir('not-git-')
    expect(await resolveSourceDateEpoch({ env: {}, workspace, commit: 'abc123', reporter })).toBe(0)
    expect(
      await resolveSourceDateEpoch({ env: {}, workspace, commit: '--output=/tmp/x', reporter }),
    ).toBe(0)
    expect(reporter.warnings).toHaveLength(2)
    expect(reporter.warnings[0]).toMatch(
      /SOURCE_DATE_EPOCH is not set and the time of commit abc123 could not be read/,
    )
  })
})

describe('the SOURCE_DATE_EPOCH warning of the manifest command', () => {
  /** Runs `immutable-release manifest` in this process; returns what it wrote to stderr. */
  async function manifestStderr(args: string[]): Promise<string> {
    const saved = process.env['SOURCE_DATE_EPOCH']
    delete process.env['SOURCE_DATE_EPOCH']
    const written: string[] = []
    const spies = [
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        written.push(String(chunk))
        return true
      }),
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true),
    ]
    try {
      expect(await main(['manifest', ...args])).toBe(0)
    } finally {
      for (const spy of spies) spy.mockRestore()
      if (saved !== undefined) process.env['SOURCE_DATE_EPOCH'] = saved
    }
    return written.join('')
  }

  it('appears only when a directory is packed, where the timestamp means something', async () => {
    const workspace = await tempDir('not-git-')
    await mkdir(path.join(workspace, 'site'))
    await writeFile(path.join(workspace, 'site', 'index.html'), '<p>hi</p>')
    await writeFile(path.join(workspace, 'app.bin'), 'app')
    const common = ['--base-dir', workspace, '--out-dir', path.join(workspace, 'out')]
    expect(await manifestStderr([...common, 'app.bin'])).not.toMatch(/SOURCE_DATE_EPOCH/)
    expect(await manifestStderr([...common, 'site'])).toMatch(
      /SOURCE_DATE_EPOCH is not set and the time of commit HEAD could not be read/,
    )
  })
})
