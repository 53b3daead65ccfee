import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunContext } from '../../src/util/run-context.ts'

export const FIXTURES = new URL('./fixtures/', import.meta.url)
export const FULL_FIXTURE = new URL('full.yaml', FIXTURES)

/** Two independent 48-byte keys, as `openssl rand -base64 48` would print them. */
export const KEY_A = 'q3J9dW1xT2VhY0tTcm5nZ1lBb3ZSd1BLdmRzR0h3ZTJ4b2ZuS1BmRG1hcVc'
export const KEY_B = 'Zk5wR3hFaDlQc1Z0TnF1YmFLd0x5Y2pNZVRzQm9SaUc3dkhxRDJ1WWxPZUE'

export const MANIFEST_SHA256 = 'a'.repeat(64)

export function runContext(workspace: string, overrides: Partial<RunContext> = {}): RunContext {
  return {
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    repository: 'octo-org/widget',
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    workflowRef: 'octo-org/widget/.github/workflows/release.yml@refs/heads/main',
    eventName: 'push',
    runId: '4242',
    runAttempt: '1',
    workspace,
    tempDir: join(workspace, '.tmp'),
    ...overrides,
  }
}

export async function temporaryFolder(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'change-record-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}
