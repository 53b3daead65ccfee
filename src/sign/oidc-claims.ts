import type { WorkflowIdentity } from './statement.ts'

/**
 * Reads the claims only the OIDC token carries (the reusable workflow that runs the job,
 * the runner environment) for the provenance predicate. The signature is not checked here:
 * Fulcio checks it, and the certificate records the same values.
 */
export function workflowIdentityFromToken(token: string): WorkflowIdentity {
  const payload = token.split('.')[1]
  let claims: unknown
  try {
    claims = payload ? JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) : undefined
  } catch {
    claims = undefined
  }
  // The token itself never goes into the message.
  if (!claims || typeof claims !== 'object') throw new Error('The OIDC identity token is not a JWT')
  const { job_workflow_ref: jobWorkflowRef, runner_environment: runnerEnvironment } =
    claims as Record<string, unknown>
  return {
    ...(typeof jobWorkflowRef === 'string' ? { jobWorkflowRef } : {}),
    ...(typeof runnerEnvironment === 'string' ? { runnerEnvironment } : {}),
  }
}
