// Not @actions/core: the entry reads inputs before it loads anything heavy (see
// src/action/workflow-io.ts).
import { booleanInput, input } from '../action/input-reading.ts'
import * as core from '../action/workflow-io.ts'
import { InputError } from '../util/errors.ts'
import type { SigstoreMode } from '../util/types.ts'
import type { WithdrawalInputs } from '../withdrawal/index.ts'

/** Every input of withdraw/action.yml, read once. */
export interface WithdrawInputs extends WithdrawalInputs {
  withdrawalRecord: string
  pseudonymizationKey: string
  pseudonymizationKeyId: string
  pseudonymizationDomain: string
  restoreLatest: boolean
  githubToken: string
  sigstore: SigstoreMode
  fulcioUrl: string
  rekorUrl: string
  tsaUrl: string
}

const SIGSTORE_MODES: readonly SigstoreMode[] = ['auto', 'public-good', 'github', 'custom']

export function readWithdrawInputs(): WithdrawInputs {
  // Secrets are masked before anything could print them, even in an error about another input.
  const githubToken = input('github-token')
  const pseudonymizationKey = core.getInput('pseudonymization-key')
  if (githubToken) core.setSecret(githubToken)
  if (pseudonymizationKey) core.setSecret(pseudonymizationKey)
  const sigstore = (input('sigstore') || 'auto') as SigstoreMode
  if (!SIGSTORE_MODES.includes(sigstore)) {
    throw new InputError(
      'sigstore',
      `expected one of ${SIGSTORE_MODES.join(', ')}, got '${sigstore}'.`,
    )
  }
  return {
    tag: input('tag'),
    reason: input('reason'),
    summary: core.getInput('summary'),
    incidentReference: input('incident-reference'),
    detectedAt: input('detected-at'),
    replacementTag: input('replacement-tag'),
    withdrawalRecord: input('withdrawal-record'),
    pseudonymizationKey,
    pseudonymizationKeyId: input('pseudonymization-key-id'),
    pseudonymizationDomain: input('pseudonymization-domain'),
    restoreLatest: booleanInput('restore-latest', true),
    githubToken,
    sigstore,
    fulcioUrl: input('fulcio-url'),
    rekorUrl: input('rekor-url'),
    tsaUrl: input('tsa-url'),
  }
}
