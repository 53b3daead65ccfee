// Worlds for hostile tests that run the action as a runner starts it (a separate Node process):
// the shared release world with this suite's artifacts, a judge context for it, and helpers to
// run a few processes at a time and to wait for the fake to reach a state.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RELEASE_METADATA_FILES } from '../../src/util/release-files.ts'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld, ReleaseWorldOptions } from '../support/release-world.ts'
import { ARTIFACTS } from './support-world.ts'
import type { JudgeContext } from './support-world.ts'

export interface ProcessWorld {
  world: ReleaseWorld
  judge: JudgeContext
  close(): Promise<void>
}

/** A release world holding ARTIFACTS (plus `extra`) under dist/. */
export async function startProcessWorld(
  extra: Record<string, Buffer> = {},
  options: ReleaseWorldOptions = {},
): Promise<ProcessWorld> {
  const world = await startReleaseWorld(options)
  const artifacts = { ...ARTIFACTS, ...extra }
  for (const [name, bytes] of Object.entries(artifacts)) await world.write(`dist/${name}`, bytes)
  const scratchDir = await mkdtemp(join(tmpdir(), 'hostile-judge-'))
  return {
    world,
    judge: {
      trustedRoot: world.sigstore.trustedRoot,
      commitSha: world.sha,
      scratchDir,
      expectedAssets: [...Object.keys(artifacts), ...RELEASE_METADATA_FILES].sort(),
    },
    async close() {
      await world.close()
      await rm(scratchDir, { recursive: true, force: true })
    },
  }
}

/** `::error::` messages of a process run. */
export function errorsOf(result: { annotations: { level: string; message: string }[] }): string[] {
  return result.annotations.filter((a) => a.level === 'error').map((a) => a.message)
}

/** Polls `condition` every few milliseconds; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** Runs `tasks` with at most `limit` at a time (action processes: the runner has two cores). */
export async function limited<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++
        results[index] = await tasks[index]!()
      }
    }),
  )
  return results
}
