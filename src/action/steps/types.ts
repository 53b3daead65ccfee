import type { BuiltManifest } from '../../manifest/index.ts'
import type { ChangeRecord, ChangeRecordInput, Pseudonymizer } from '../../change-record/index.ts'
import type {
  ObservedTag,
  PublishedRelease,
  PushedTagRun,
  RunIdentity,
} from '../../release/index.ts'
import type { PushedTag } from '../../util/types.ts'
import type { SerializedBundle, SigstoreEndpoints } from '../../sign/index.ts'
import type { ActionInputs } from '../inputs.ts'
import type { RunnerServices } from '../runner-clients.ts'

/** What run.ts builds before the first step: the inputs and the services the steps use. */
export interface ReleaseDependencies extends RunnerServices {
  inputs: ActionInputs
}

/** After `prepare`: everything read before hashing starts, the tag found free. */
export interface Prepared extends ReleaseDependencies {
  endpoints: SigstoreEndpoints
  ownerType: 'User' | 'Organization' | undefined
  pseudonymizer: Pseudonymizer | undefined
  changeRecordInput: ChangeRecordInput | undefined
  notes: string
  commit: string
  run: RunIdentity
  observed: ObservedTag
  /** Set when the run was started by pushing the release's tag (it is adopted, not claimed). */
  pushed: PushedTagRun | undefined
  /** The adopted pushed tag, as the provenance and the change record state it. */
  pushedTag: PushedTag | undefined
}

/** After `build`: the manifest, the change record and their files in the output directory. */
export interface Built extends Prepared {
  built: BuiltManifest
  record: ChangeRecord
  recordBytes: Buffer
  recordSha256: string
  manifestPath: string
  sha256sumsPath: string
  changeRecordPath: string
}

/** After `sign`: both bundles, written next to the other files. */
export interface Signed extends Built {
  provenanceBundle: SerializedBundle
  provenanceBundlePath: string
  changeRecordBundlePath: string
}

/** After `publish`: the release as GitHub shows it. */
export interface Published extends Signed {
  published: PublishedRelease
}
