import type { Check } from '../types.ts'
import { assetsCheck } from './assets.ts'
import { changeRecordCheck } from './change-record.ts'
import { provenanceSignatureCheck } from './provenance-signature.ts'
import { provenanceSubjectsCheck } from './provenance-subjects.ts'
import { sha256SumsCheck } from './sha256sums.ts'
import { signerIdentityCheck } from './signer-identity.ts'
import { tagCommitCheck } from './tag-commit.ts'

/** Every check of a release, in the order the report lists them. */
export const VERIFY_CHECKS: readonly Check[] = Object.freeze([
  assetsCheck,
  provenanceSignatureCheck,
  signerIdentityCheck,
  provenanceSubjectsCheck,
  changeRecordCheck,
  sha256SumsCheck,
  tagCommitCheck,
])
