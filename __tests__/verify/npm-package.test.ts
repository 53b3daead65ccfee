// Distribution (issue 13): `npx immutable-release verify` must work for a reviewer who never
// cloned the project. The package is packed with `npm pack`, installed from the tarball into an
// empty prefix with --offline and an empty npm cache (so it cannot need any dependency), and its
// `immutable-release` command verifies a release the loopback stack produced.
//
// The bundle is built from the sources into a temporary copy of the package (the same Rollup
// configuration as `npm run bundle`, writing elsewhere), so the test checks what the sources
// would ship and never depends on, or touches, the committed dist/.
import { execFile } from 'node:child_process'
import { cp, readdir } from 'node:fs/promises'
import { delimiter, dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { rollup } from 'rollup'
import type { OutputOptions, Plugin, RollupOptions } from 'rollup'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { REPOSITORY, startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import { assertNoUnintendedCommands } from '../support/action-runner.ts'
import { publishRelease, removeTemporaryFolders, temporaryFolder } from './support.ts'
import type { PublishedRelease } from './support.ts'
import { publishWithdrawal, signWithdrawal } from './withdrawal-support.ts'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
/** What package.json's `files` names, copied with package.json into the package folder. */
const PACKAGE_FILES = ['package.json', 'README.md', 'action.yml', 'verify', 'withdraw', 'schemas']

let world: ReleaseWorld
let release: PublishedRelease
let packed: { files: string[]; tarball: string }
let prefix: string

/** Builds dist/ from the sources into `packageDir` with the project's Rollup configuration. */
async function bundleInto(packageDir: string): Promise<void> {
  const configUrl = pathToFileURL(join(ROOT, 'rollup.config.js')).href
  const { default: config } = (await import(configUrl)) as { default: RollupOptions }
  const plugins = (config.plugins as Plugin[]).filter((p) => p.name !== 'clean-chunks')
  const bundle = await rollup({ ...config, plugins })
  try {
    await bundle.write({ ...(config.output as OutputOptions), dir: join(packageDir, 'dist') })
  } finally {
    await bundle.close()
  }
}

/** npm with no network, an empty cache of its own, and no lifecycle scripts. */
function npm(args: string[], cwd: string, cache: string) {
  return run('npm', [...args, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd,
    env: { ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false' },
    timeout: 120_000,
  })
}

beforeAll(async () => {
  world = await startReleaseWorld()
  release = await publishRelease(world, 'v3.0.0')
  const packageDir = await temporaryFolder('package-')
  for (const name of PACKAGE_FILES) {
    await cp(join(ROOT, name), join(packageDir, name), { recursive: true })
  }
  await bundleInto(packageDir)
  const cache = await temporaryFolder('npm-cache-')
  const out = await temporaryFolder('packed-')
  const { stdout } = await npm(['pack', '--json', '--pack-destination', out], packageDir, cache)
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[]
  if (!info) throw new Error(`npm pack printed no result: ${stdout}`)
  packed = { files: info.files.map((f) => f.path).sort(), tarball: join(out, info.filename) }
  prefix = await temporaryFolder('prefix-')
  // A fresh, empty cache: with --offline, any dependency would fail the install.
  const emptyCache = await temporaryFolder('npm-empty-cache-')
  await npm(['install', '--prefix', prefix, packed.tarball], prefix, emptyCache)
}, 240_000)

afterAll(async () => {
  await world?.close()
  await removeTemporaryFolders()
})

/** `immutable-release …` through the installed bin link, with Node 24 first on PATH. */
async function installedCli(args: string[], env: Record<string, string> = {}) {
  const bin = join(prefix, 'node_modules', '.bin', 'immutable-release')
  const result = await run(bin, args, {
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`,
      GITHUB_SERVER_URL: '',
      ...env,
    },
    timeout: 30_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  )
  assertNoUnintendedCommands('the installed CLI', result)
  return result
}

describe('the npm package', () => {
  test('holds what the CLI and the actions need, and nothing of the sources or tests', () => {
    expect(packed.files).toContain('package.json')
    expect(packed.files).toContain('dist/cli.js')
    expect(packed.files).toContain('dist/index.js')
    expect(packed.files).toContain('dist/verify-action.js')
    expect(packed.files).toContain('verify/action.yml')
    expect(packed.files).toContain('withdraw/action.yml')
    expect(packed.files).toContain('schemas/change-record.v1.json')
    expect(packed.files).toContain('schemas/withdrawal.v1.json')
    const outside = packed.files.filter(
      (f) =>
        !/^(dist|schemas)\//.test(f) &&
        ![
          'package.json',
          'README.md',
          'action.yml',
          'verify/action.yml',
          'withdraw/action.yml',
        ].includes(f),
    )
    expect(outside).toEqual([])
  })

  test('installs offline into an empty prefix with no dependency at all', async () => {
    const modules = await readdir(join(prefix, 'node_modules'))
    expect(modules.filter((m) => !m.startsWith('.'))).toEqual(['immutable-release'])
  })

  test('`immutable-release verify` verifies a release from the loopback stack', async () => {
    const result = await installedCli([
      'verify',
      release.dir,
      '--repo',
      REPOSITORY,
      '--trusted-root',
      world.trustedRootPath,
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Manifest ${release.manifestDigest}\n`)
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      'VERIFIED: these are exactly the assets that workflow released.',
    )
  })

  test('`immutable-release verify --release` sees a withdrawal and exits 1', async () => {
    await publishWithdrawal(world, 'v3.0.0', await signWithdrawal(world, release))
    const result = await installedCli(
      ['verify', '--release', `${REPOSITORY}@v3.0.0`, '--trusted-root', world.trustedRootPath],
      { GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token },
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^WITHDRAWN: v3\.0\.0 was withdrawn on /m)
  })
})
