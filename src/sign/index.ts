export {
  BUNDLE_MEDIA_TYPE,
  GITHUB_ACTIONS_OIDC_ISSUER,
  GITHUB_WORKFLOW_BUILD_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_V1,
  MANIFEST_SUBJECT_NAME,
  PROVENANCE_BUNDLE_FILE,
  SLSA_PROVENANCE_V1,
} from './constants.ts'
export { buildProvenanceStatement, parseWorkflowRef } from './statement.ts'
export { workflowIdentityFromToken } from './oidc-claims.ts'
export type {
  BuiltManifestLike,
  InTotoStatement,
  ParsedWorkflowRef,
  ProvenanceStatement,
  ProvenanceStatementInput,
  SlsaProvenancePredicate,
  SubjectDescriptor,
  WorkflowIdentity,
} from './statement.ts'
export { GITHUB_ENDPOINTS, PUBLIC_GOOD_ENDPOINTS, resolveSigstoreEndpoints } from './endpoints.ts'
export type {
  RepositoryVisibility,
  SigstoreEndpointOptions,
  SigstoreEndpoints,
  SigstoreMode,
} from './endpoints.ts'
export { DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_RETRY, signStatement } from './signer.ts'
export type { RetryPolicy, SerializedBundle, SignStatementOptions } from './signer.ts'
export { writeBundle } from './bundle-file.ts'
export { storeAttestation } from './attestation-store.ts'
export type { StoreAttestationRequest } from './attestation-store.ts'
export { BundleVerificationError, verifyBundle } from './verify-bundle.ts'
export type {
  IdentityPolicy,
  SignerExtensions,
  VerifiedBundle,
  VerifiedSigner,
  VerifyBundleOptions,
} from './verify-bundle.ts'
export { FULCIO_OID } from './fulcio-oids.ts'
export type { FulcioExtensionName } from './fulcio-oids.ts'
