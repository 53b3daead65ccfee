/**
 * Withdrawal case of `npm run bench` (issue 12): one withdrawal end to end through the withdraw
 * sub-action's entry, against the loopback GitHub fake and Sigstore stack, after two releases
 * made by the release action. Judged on GitHub requests: at most 20 beyond what the release
 * flow itself needs for the withdrawal release's two files (2 + 12, as the api-requests cases
 * allow a release). Wall time is reported; it is dominated by process start-up and signing.
 * Registered in scripts/bench.ts's CASES.
 */
import { WITHDRAW_ENTRY_DIST, WITHDRAW_ENTRY_SOURCE } from '../__tests__/support/action-runner.ts'
import { startReleaseWorld } from '../__tests__/support/release-world.ts'
import type { BenchCase } from './bench.ts'
import { EVENT_PAYLOAD, tail } from './bench.ts'

/** What the release flow may spend on a release of the withdrawal's two files. */
const RELEASE_FLOW_BUDGET = 2 + 12
const BEYOND_FLOW = 20

const withdrawalCase: BenchCase = {
  id: 'withdrawal',
  title: `A withdrawal end to end: GitHub requests ≤ release flow (${RELEASE_FLOW_BUDGET}) + ${BEYOND_FLOW}`,
  target: RELEASE_FLOW_BUDGET + BEYOND_FLOW,
  unit: 'requests',
  async run(ctx) {
    const world = await startReleaseWorld({ github: { repository: { immutableReleases: true } } })
    ctx.cleanup(() => world.close())
    await world.write('dist/app.bin', Buffer.alloc(64 * 1024, 1))
    await world.write('dist/README.txt', 'app\n')
    for (const [i, tag] of ['v1.0.0', 'v1.1.0'].entries()) {
      const made = await world.run(
        { tag, 'subject-path': 'dist/*' },
        { entry: ctx.actionEntry, eventPayload: EVENT_PAYLOAD, runId: String(300 + i) },
      )
      if (made.exitCode !== 0) throw new Error(`release ${tag} failed:\n${tail(made.stdout)}`)
    }
    const entry = ctx.actionEntry.endsWith('.js') ? WITHDRAW_ENTRY_DIST : WITHDRAW_ENTRY_SOURCE
    const first = world.github.requests.length
    const signing = { ...world.sigstore.requests }
    const start = performance.now()
    const result = await world.run(
      { tag: 'v1.1.0', reason: 'security-vulnerability', summary: 'Bench withdrawal.' },
      { entry, eventPayload: EVENT_PAYLOAD, runId: '399' },
    )
    const seconds = (performance.now() - start) / 1000
    if (result.exitCode !== 0) throw new Error(`the withdrawal failed:\n${tail(result.stdout)}`)
    if (result.outputs['latest-tag'] !== 'v1.0.0') throw new Error('latest did not move back')
    const requests = world.github.requests.slice(first)
    const byRoute: Record<string, number> = {}
    for (const r of requests) {
      const key = `${r.method} ${r.route ?? r.path}`
      byRoute[key] = (byRoute[key] ?? 0) + 1
    }
    const sigstore = Object.fromEntries(
      Object.entries(world.sigstore.requests).map(([k, v]) => [
        k,
        v - (signing as Record<string, number>)[k]!,
      ]),
    )
    const routes = Object.entries(byRoute)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([route, n]) => `${n}× ${route}`)
    return {
      ours: seconds,
      value: requests.length,
      note: `${requests.length} GitHub requests (${requests.length - RELEASE_FLOW_BUDGET} beyond the release flow's budget), ${seconds.toFixed(2)} s wall, Sigstore ${JSON.stringify(sigstore)}; ${routes.join(', ')}`,
      details: { requests: requests.length, seconds, byRoute, sigstore },
    }
  },
}

export const WITHDRAW_CASES: BenchCase[] = [withdrawalCase]
