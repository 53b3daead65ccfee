import { describeWitness } from '../signatures.ts'
import type { Check } from '../types.ts'
import { verdict } from './verdict.ts'

/** 2. The provenance bundle verifies against the trusted root. */
export const provenanceSignatureCheck: Check = {
  id: 'provenance-signature',
  title: 'Provenance signature verifies',
  run({ provenance }) {
    return verdict(
      provenanceSignatureCheck,
      provenance.problems,
      provenance.verified
        ? [`signature, certificate chain, SCT and ${describeWitness(provenance.verified)} verified`]
        : [],
    )
  },
}
