export { GITHUB_ACTIONS_OIDC_ISSUER, SLSA_PROVENANCE_V1 } from './constants.ts'
export { IN_TOTO_STATEMENT_V1, PROVENANCE_BUNDLE_FILE } from '../util/release-files.ts'
export { buildProvenanceStatement } from './statement.ts'
export { workflowIdentityFromToken } from './oidc-claims.ts'

export { resolveSigstoreEndpoints } from './endpoints.ts'
export type { SigstoreEndpoints } from './endpoints.ts'
export { signStatement } from './signer.ts'
export type { SerializedBundle } from './signer.ts'
export { writeBundle } from './bundle-file.ts'
export { storeAttestation } from './attestation-store.ts'

export { verifyBundle } from './verify-bundle.ts'
export type { VerifiedBundle } from './verify-bundle.ts'

export { actionsIdentityProvider } from './identity/index.ts'
export type { IdentityProvider } from './identity/index.ts'
