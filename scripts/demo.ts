// `npm run demo`: the whole action on sample artifacts, against a loopback Sigstore stack and
// GitHub fake started here, exactly as a runner would run dist/index.js. Then the same tag is
// refused, and the release is downloaded and verified offline by the CLI. No network is used.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { ACTION_ENTRY_DIST } from '../__tests__/support/action-runner.ts'
import { WITHDRAW_ENTRY_DIST, WITHDRAW_ENTRY_SOURCE } from '../__tests__/support/action-runner.ts'
import type { ActionRunResult } from '../__tests__/support/action-runner.ts'
import { REPOSITORY, startReleaseWorld } from '../__tests__/support/release-world.ts'
import { SAMPLE_CHANGE_RECORD_YAML } from '../__tests__/support/sample-change-record.ts'
import { pushTag } from '../__tests__/support/github-fake/git.ts'

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

    await demoWithdrawal(world, inputs)
    await demoTagPush(world, inputs)
  } finally {
    await world.close()
  }
}

/**
 * Issue 12: an older maintenance release, then the withdrawal of TAG through the withdraw
 * sub-action's entry; "latest" moves back to the older release by semantic version.
 */
async function demoWithdrawal(
  world: Awaited<ReturnType<typeof startReleaseWorld>>,
  inputs: Record<string, string>,
): Promise<void> {
  const withdrawEntry = existsSync(WITHDRAW_ENTRY_DIST)
    ? WITHDRAW_ENTRY_DIST
    : WITHDRAW_ENTRY_SOURCE
  heading('Release v0.9.1, a maintenance release (make-latest: false)')
  const older = await world.run(
    { ...inputs, tag: 'v0.9.1', 'make-latest': 'false' },
    { entry: ACTION_ENTRY_DIST, runId: '1003' },
  )
  show(older)
  if (older.exitCode !== 0) throw new Error(`the release failed:\n${older.stdout}`)
  const latest = async (): Promise<string> => {
    const response = await fetch(`${world.github.url}/repos/${REPOSITORY}/releases/latest`, {
      headers: { authorization: `token ${world.github.token}` },
    })
    return response.ok ? ((await response.json()) as { tag_name: string }).tag_name : '(none)'
  }
  process.stdout.write(`  GET releases/latest → ${await latest()}\n`)

  heading(
    `Withdraw ${TAG} (${withdrawEntry.endsWith('.js') ? 'dist/withdraw.js' : 'src/withdraw-action/main.ts'})`,
  )
  const withdrawal = await world.run(
    {
      tag: TAG,
      reason: 'personal-data-breach',
      summary: 'The debug log in the bundle contains customer e-mail addresses.',
      'incident-reference': 'INC-2207',
      'detected-at': new Date(Date.now() - 2 * 3600_000).toISOString(),
      'pseudonymization-key': inputs['pseudonymization-key'] ?? '',
    },
    { entry: withdrawEntry, runId: '1004' },
  )
  show(withdrawal)
  if (withdrawal.exitCode !== 0) throw new Error(`the withdrawal failed:\n${withdrawal.stdout}`)
  const marked = [...world.github.state.releases.values()].find((r) => r.release.tag_name === TAG)
  process.stdout.write(
    `  ${TAG} is now titled "${marked?.release.name}"; its assets and tag are unchanged\n`,
  )
  process.stdout.write(
    `  GET releases/latest → ${await latest()} (moved back by semantic version)\n`,
  )

  heading(`Verify ${REPOSITORY}@${TAG} again: it must say WITHDRAWN and exit 1`)
  const refused = await promisify(execFile)(
    process.execPath,
    [CLI, 'verify', '--release', `${REPOSITORY}@${TAG}`, '--trusted-root', world.trustedRootPath],
    { env: { ...process.env, GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token } },
  ).then(
    () => {
      throw new Error('verify accepted the withdrawn release')
    },
    (error: { code?: number; stdout?: string }) => error,
  )
  if (refused.code !== 1 || !/WITHDRAWN/.test(refused.stdout ?? '')) {
    throw new Error(`verify did not refuse the withdrawn release:\n${refused.stdout ?? ''}`)
  }
  const withdrawnLines = (refused.stdout ?? '').split('\n').filter((l) => /WITHDRAWN/.test(l))
  for (const line of withdrawnLines.slice(0, 4)) process.stdout.write(`${line}\n`)
  process.stdout.write(`  exit code ${refused.code}\n`)
}

/**
 * Issue 16: `git push origin v1.1.0` starts the workflow (on: push: tags); the action releases
 * the pushed annotated tag as it is, claiming the release instead of the tag, and verify checks
 * that the tag still points at the released commit.
 */
async function demoTagPush(
  world: Awaited<ReturnType<typeof startReleaseWorld>>,
  inputs: Record<string, string>,
): Promise<void> {
  const pushed = 'v1.1.0'
  heading(`git push origin ${pushed} (an annotated tag), and the workflow it starts`)
  const tagObject = pushTag(world.github.state, {
    name: pushed,
    commitSha: world.sha,
    annotated: {
      message: `Widget ${pushed}\n`,
      tagger: {
        name: 'Demo Maintainer',
        email: 'maintainer@example.org',
        date: new Date().toISOString(),
      },
    },
  })
  const { tag: _unused, ...withoutTag } = inputs
  const release = await world.run(withoutTag, {
    entry: ACTION_ENTRY_DIST,
    runId: '1005',
    extraEnv: {
      GITHUB_REF: `refs/tags/${pushed}`,
      GITHUB_REF_NAME: pushed,
      GITHUB_REF_TYPE: 'tag',
      GITHUB_EVENT_NAME: 'push',
    },
  })
  show(release)
  if (release.exitCode !== 0) throw new Error(`the tag-push release failed:\n${release.stdout}`)
  const now = world.github.state.refs.get(`refs/tags/${pushed}`)
  process.stdout.write(
    `  refs/tags/${pushed} → ${now} (${now === tagObject ? 'untouched: the pushed tag object' : 'CHANGED'})\n`,
  )
  const verify = await promisify(execFile)(
    process.execPath,
    [
      CLI,
      'verify',
      '--release',
      `${REPOSITORY}@${pushed}`,
      '--trusted-root',
      world.trustedRootPath,
    ],
    { env: { ...process.env, GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token } },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`verification failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`)
  })
  const tagLines = verify.stdout
    .split('\n')
    .filter((l) => /Tag still points|resolves to commit|VERIFIED/.test(l))
  for (const line of tagLines) process.stdout.write(`${line}\n`)
}

await main()
