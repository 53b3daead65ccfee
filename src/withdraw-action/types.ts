import type { Pseudonymizer } from '../change-record/index.ts'
import type { ListedRelease, RunIdentity } from '../release/index.ts'
import type { SerializedBundle, SigstoreEndpoints } from '../sign/index.ts'
import type {
  InspectedRelease,
  LatestDecision,
  WithdrawalRecord,
  WithdrawalRequest,
} from '../withdrawal/index.ts'
import type { RunnerServices } from '../action/runner-clients.ts'
import type { WithdrawInputs } from './inputs.ts'

/** The inputs, the checked request, and the services the steps use. */
export interface WithdrawDependencies extends RunnerServices {
  inputs: WithdrawInputs
  request: WithdrawalRequest
  run: RunIdentity
  now: Date
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
