import type { FakeContext } from './context.ts'
import { notFound } from './http.ts'
import type { Router } from './router.ts'

/** The immutable-releases setting: GitHub answers 404 while it is off. */
export function immutableReleasesSettingRoutes(router: Router, fake: FakeContext): void {
  router.add('GET', '/repos/{owner}/{repo}/immutable-releases', () => {
    if (!fake.state.repository.immutableReleases) throw notFound()
    return {
      status: 200,
      json: { enabled: true, enforced_by_owner: fake.state.repository.enforcedByOwner },
    }
  })
}
