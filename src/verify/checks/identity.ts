// Who signed: read from a bundle's certificate, for the provenance and the change record alike.
import { GITHUB_ACTIONS_OIDC_ISSUER } from '../../sign/index.ts'
import type { VerifiedBundle } from '../../sign/index.ts'
import { workflowPattern } from '../../util/workflow-pattern.ts'
import type { IdentityExpectation } from '../types.ts'

export { workflowPattern }

/** 3a. The certificate says GitHub Actions, this repository, and (if asked) this workflow. */
export function checkSignerIdentity(
  verified: VerifiedBundle,
  expectation: IdentityExpectation,
  what: string,
): string[] {
  const problems: string[] = []
  const signer = verified.signer
  if (signer.issuer !== GITHUB_ACTIONS_OIDC_ISSUER) {
    problems.push(`${what}: issuer is ${signer.issuer ?? '(none)'}, not GitHub Actions`)
  }
  // GitHub owner and repository names are case-insensitive.
  if (signer.sourceRepositoryURI?.toLowerCase() !== expectation.repositoryURI.toLowerCase()) {
    problems.push(
      `${what}: signed from ${signer.sourceRepositoryURI ?? '(unknown repository)'}, expected ${expectation.repositoryURI}`,
    )
  }
  if (expectation.signerWorkflow) {
    const workflow = signer.buildSignerURI ?? signer.subjectAlternativeName ?? ''
    if (!workflowPattern(expectation.signerWorkflow).test(workflow)) {
      problems.push(
        `${what}: build signer ${workflow || '(none)'} does not match --signer-workflow ${expectation.signerWorkflow}`,
      )
    }
  }
  return problems
}
