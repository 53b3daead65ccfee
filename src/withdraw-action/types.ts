import type { Pseudonymizer } from '../change-record/index.ts'
import type { GitHubClient } from '../github/index.ts'
import type { ListedRelease, ReleaseStore, RunIdentity } from '../release/index.ts'
import type { IdentityProvider, SerializedBundle, SigstoreEndpoints } from '../sign/index.ts'
import type { Reporter } from '../util/reporter.ts'
import type { RunContext } from '../util/run-context.ts'
import type {
  InspectedRelease,
  LatestDecision,
  WithdrawalRecord,
  WithdrawalRequest,
} from '../withdrawal/index.ts'
import type { WithdrawInputs } from './inputs.ts'

/** The inputs, the checked request, and the services the steps use. */
export interface WithdrawDependencies {
  inputs: WithdrawInputs
  request: WithdrawalRequest
  context: RunContext
  owner: string
  repo: string
  client: GitHubClient
  store: ReleaseStore
  identity: IdentityProvider
  reporter: Reporter
  run: RunIdentity
  now: Date
  setOutput(name: string, value: string): void
}

/** After the checks (reads only): a fresh withdrawal to make. */
export interface Checked extends WithdrawDependencies {
  releases: ListedRelease[]
  withdrawn: InspectedRelease
  replacement: InspectedRelease | undefined
  endpoints: SigstoreEndpoints
  pseudonymizer: Pseudonymizer | undefined
}

/** The withdrawal as published (now, or by an earlier attempt of this run). */
export interface Withdrawn extends WithdrawDependencies {
  releases: ListedRelease[]
  target: ListedRelease
  replacementRelease: ListedRelease | undefined
  record: WithdrawalRecord
  /** `sha256:<hex>` of withdrawal.json. */
  recordDigest: string
  recordPath: string
  bundlePath: string
  bundle: SerializedBundle | undefined
  withdrawalUrl: string
  resumed: boolean
}

/** After marking and the latest rollback. */
export interface Finished extends Withdrawn {
  latest: LatestDecision
  latestTag: string | undefined
}
