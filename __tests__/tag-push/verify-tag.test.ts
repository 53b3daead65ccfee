// Issue 16: `verify` checks that the release's tag still resolves to the commit the provenance
// names. `--release` looks the tag up on GitHub (here the loopback fake); a folder is checked
// offline and the report says the tag was not looked up.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { VerificationReport } from '../../src/verify/types.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import { runCli } from '../verify/support.ts'
import {
  REPOSITORY,
  SLOW_MACHINE_TIMEOUT_MS,
  downloadAssets,
  expectSucceeded,
  inWorld,
  onlyRelease,
  writeArtifacts,
} from '../action/helpers.ts'
import { TAG, pushTagTo, pushedTagEnv } from './support.ts'

/** `immutable-release verify … --json` in this process, against the world's GitHub. */
async function verifyJson(world: ReleaseWorld, args: string[]): Promise<VerificationReport> {
  const result = await runCli(
    ['verify', ...args, '--trusted-root', world.trustedRootPath, '--json'],
    { GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token, GH_TOKEN: undefined },
  )
  expect(result.stderr).toBe('')
  return JSON.parse(result.stdout) as VerificationReport
}

function tagCheck(report: VerificationReport): { ok: boolean; details: string[] } {
  const check = report.checks.find((c) => c.id === 'tag-commit')
  expect(check).toBeDefined()
  return check as { ok: boolean; details: string[] }
}

describe('verify checks where the tag points now', { timeout: SLOW_MACHINE_TIMEOUT_MS }, () => {
  it('passes for the pushed tag, says so offline, and fails once the tag is moved', () =>
    inWorld(async (world) => {
      await writeArtifacts(world)
      const objectSha = pushTagTo(world, 'annotated')
      expectSucceeded(await world.run({ 'subject-path': 'dist/*' }, { extraEnv: pushedTagEnv() }))
      const release = onlyRelease(world)

      const online = await verifyJson(world, ['--release', `${REPOSITORY}@${TAG}`])
      expect(online.verified).toBe(true)
      expect(tagCheck(online)).toMatchObject({
        ok: true,
        details: [`pushed tag ${TAG} resolves to commit ${world.sha} in ${REPOSITORY} on GitHub`],
      })

      // A folder is verified offline: the check passes and says it did not look.
      const dir = await mkdtemp(join(tmpdir(), 'tag-push-folder-'))
      try {
        for (const [name, bytes] of await downloadAssets(world, release.id)) {
          await writeFile(join(dir, name), bytes)
        }
        const offline = await verifyJson(world, [dir, '--repo', REPOSITORY])
        expect(offline.verified).toBe(true)
        expect(tagCheck(offline).details[0]).toBe(
          `not looked up (offline): the provenance names pushed tag ${TAG} at commit ${world.sha}`,
        )
      } finally {
        await rm(dir, { recursive: true, force: true })
      }

      // Someone force-pushes the tag to another commit (no ruleset, release not immutable).
      const moved = world.github.addCommit({
        message: 'Something else',
        parents: [world.sha],
        author: { name: 'Someone', email: 'someone@example.org', date: '2026-02-01T00:00:00Z' },
      })
      world.github.state.refs.set(`refs/tags/${TAG}`, moved)
      const after = await verifyJson(world, ['--release', `${REPOSITORY}@${TAG}`])
      expect(after.verified).toBe(false)
      expect(after.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['tag-commit'])
      expect(tagCheck(after).details).toEqual([
        `tag ${TAG} now resolves to commit ${moved}, but the provenance names ${world.sha}: the tag was moved after the release`,
      ])
      expect(objectSha).not.toBe(moved)
    }))
})
