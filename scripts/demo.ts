// `npm run demo`: the whole action on sample artifacts, against a loopback Sigstore stack and
// GitHub fake started here, exactly as a runner would run dist/index.js. Then the same tag is
// refused, and the release is downloaded and verified offline by the CLI. No network is used.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { resolve } from 'node:path'
import { ACTION_ENTRY_DIST } from '../__tests__/support/action-runner.ts'
import type { ActionRunResult } from '../__tests__/support/action-runner.ts'
import { REPOSITORY, startReleaseWorld } from '../__tests__/support/release-world.ts'
import { SAMPLE_CHANGE_RECORD_YAML } from '../__tests__/support/sample-change-record.ts'

const CLI = resolve(import.meta.dirname, '../dist/cli.js')
const TAG = 'v1.0.0'

function heading(text: string): void {
  process.stdout.write(`\n\x1b[1m== ${text} ==\x1b[0m\n`)
}

function show(result: ActionRunResult): void {
  for (const a of result.annotations)
    process.stdout.write(`  [${a.level}] ${a.message.split('\n')[0]}\n`)
  for (const [name, value] of Object.entries(result.outputs)) {
    process.stdout.write(`  output ${name} = ${value}\n`)
  }
  process.stdout.write(`  exit code ${result.exitCode}\n`)
}

async function main(): Promise<void> {
  const world = await startReleaseWorld()
  try {
    heading('Sample artifacts')
    await world.write('dist/widget-linux-amd64', Buffer.alloc(256 * 1024, 7))
    await world.write('dist/widget-darwin-arm64', Buffer.alloc(192 * 1024, 9))
    await world.write('site/index.html', '<h1>Widget docs</h1>\n')
    await world.write('site/guide/start.html', '<p>Getting started</p>\n')
    await world.write('.github/change-record.yaml', SAMPLE_CHANGE_RECORD_YAML)
    process.stdout.write('  dist/widget-linux-amd64, dist/widget-darwin-arm64, site/ (a folder)\n')

    heading(`Release ${TAG} (dist/index.js, as the runner starts it)`)
    const inputs = {
      tag: TAG,
      'subject-path': 'dist/*\nsite',
      'change-record': '.github/change-record.yaml',
      'pseudonymization-key': 'demo-key-0123456789abcdef0123456789abcdef',
    }
    const first = await world.run(inputs, { entry: ACTION_ENTRY_DIST })
    show(first)
    if (first.exitCode !== 0) throw new Error(`the release failed:\n${first.stdout}${first.stderr}`)

    heading(`Release ${TAG} again: the tag must be refused`)
    const second = await world.run(inputs, { entry: ACTION_ENTRY_DIST, runId: '1002' })
    show(second)
    if (second.exitCode === 0) throw new Error('the second release of the same tag was not refused')

    heading(`Verify ${REPOSITORY}@${TAG} (dist/cli.js, downloaded and checked offline)`)
    const verify = await promisify(execFile)(
      process.execPath,
      [
        CLI,
        'verify',
        '--release',
        `${REPOSITORY}@${TAG}`,
        '--trusted-root',
        world.trustedRootPath,
        '--signer-workflow',
        `${REPOSITORY}/.github/workflows/release.yml`,
      ],
      {
        env: { ...process.env, GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token },
      },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`verification failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`)
    })
    process.stdout.write(verify.stdout)
  } finally {
    await world.close()
  }
}

await main()
