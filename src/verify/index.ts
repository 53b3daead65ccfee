// What the CLI uses. Tests (and a future `audit` command) import the checks, the context and
// the types by path: src/verify/checks/index.ts, src/verify/context.ts, src/verify/types.ts.
export { verifyReleaseDirectory } from './verify-release.ts'
export { renderReport } from './report.ts'
export { downloadReleaseAssets, parseReleaseRef } from './download.ts'
/**
 * Re-exported only for __tests__/hostile/support-world.ts and support-process.ts; remove once
 * they import it from src/util/release-files.ts.
 */
