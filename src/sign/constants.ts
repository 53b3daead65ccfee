/** DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1'
/** GitHub's SLSA build type for a workflow run (what actions/attest-build-provenance writes). */
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1'
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
export const GITHUB_ACTIONS_OIDC_ISSUER = 'https://token.actions.githubusercontent.com'
