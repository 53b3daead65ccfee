import type { RunContext } from '../../src/util/run-context.ts'
import type { BuiltManifestLike } from '../../src/sign/statement.ts'

export const SHA_A = 'a'.repeat(40)

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    repositoryOwnerId: '987654321',
    sha: SHA_A,
    ref: 'refs/tags/v1.2.3',
    workflowRef: 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.3',
    eventName: 'push',
    runId: '4242424242',
    runAttempt: '2',
    workspace: '/tmp/workspace',
    tempDir: '/tmp/runner-temp',
    ...overrides,
  }
}

export const manifest: BuiltManifestLike = {
  digest: `sha256:${'1'.repeat(64)}`,
  subjects: [
    { name: 'app-linux-x64.tar.gz', digest: { sha256: '2'.repeat(64) } },
    { name: 'app-darwin-arm64.tar.gz', digest: { sha256: '3'.repeat(64) } },
  ],
}
