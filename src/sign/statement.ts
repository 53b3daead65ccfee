import type { RunContext } from '../util/run-context.ts'
import { runUrl } from '../util/run-context.ts'
import { isSha256Hex } from '../util/digest.ts'
import { IN_TOTO_STATEMENT_V1, MANIFEST_FILE } from '../util/release-files.ts'
import type { InTotoStatement, InTotoSubject, PushedTag } from '../util/types.ts'
import { GITHUB_WORKFLOW_BUILD_TYPE, SLSA_PROVENANCE_V1 } from './constants.ts'

/** The part of a built manifest the statement needs (kept narrow on purpose). */
export interface BuiltManifestLike {
  /** SHA-256 of the manifest's canonical bytes, as hex or `sha256:<hex>`. */
  digest: string
  subjects: readonly { name: string; digest: { sha256: string } }[]
}

export interface SlsaProvenancePredicate {
  buildDefinition: {
    buildType: string
    externalParameters: { workflow: { ref: string; repository: string; path: string } }
    internalParameters: {
      github: {
        event_name: string
        repository_id?: string
        repository_owner_id?: string
        runner_environment?: string
      }
      /** `pushedTag` is present when the run released a pushed tag instead of creating one. */
      release: { tag: string; pushedTag?: PushedTag }
    }
    resolvedDependencies: { uri: string; digest: { gitCommit: string } }[]
  }
  runDetails: {
    builder: { id: string }
    metadata: { invocationId: string }
  }
}

export type ProvenanceStatement = InTotoStatement<SlsaProvenancePredicate>

/**
 * What only the OIDC token knows. A reusable workflow signs as itself (`job_workflow_ref`),
 * not as the caller (`GITHUB_WORKFLOW_REF`); without it the builder is the top-level workflow.
 */
export interface WorkflowIdentity {
  jobWorkflowRef?: string
  runnerEnvironment?: string
}

export interface ProvenanceStatementInput {
  manifest: BuiltManifestLike
  context: RunContext
  tag: string
  /** The pushed tag the release adopted; absent when the action created the tag. */
  pushedTag?: PushedTag
  /** Put on every subject, e.g. `{ 'immutable-release.dev/change-record': { digest: { sha256 } } }`. */
  annotations?: Record<string, unknown>
  workflow?: WorkflowIdentity
}

/** The lower-case hex of a digest given as hex or `sha256:<hex>`, in either case. */
function digestHex(value: string, what: string): string {
  const hex = value.toLowerCase().replace(/^sha256:/, '')
  if (!isSha256Hex(hex))
    throw new Error(`${what} is not a SHA-256 digest: ${JSON.stringify(value)}`)
  return hex
}

export interface ParsedWorkflowRef {
  /** `owner/repo` holding the workflow file. */
  repository: string
  /** `.github/workflows/release.yml`. */
  path: string
  /** `refs/heads/main`. */
  ref: string
}

/** Splits GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/x.yml@refs/heads/main`). */
export function parseWorkflowRef(workflowRef: string): ParsedWorkflowRef {
  // Workflow files end in .yml/.yaml; the ref after them may itself contain '@'.
  const match = /^([^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+\.ya?ml)@(.+)$/.exec(workflowRef)
  if (!match) {
    throw new Error(
      `GITHUB_WORKFLOW_REF ${JSON.stringify(workflowRef)} is not of the form owner/repo/.github/workflows/<file>.yml@<ref>`,
    )
  }
  return { repository: match[1] as string, path: match[2] as string, ref: match[3] as string }
}

/**
 * The in-toto statement that binds every release artifact and the manifest itself to the
 * workflow run, with a SLSA v1 provenance predicate in the shape actions/attest writes.
 * It names repositories, workflows and runs only: no actor or other personal data.
 */
export function buildProvenanceStatement(input: ProvenanceStatementInput): ProvenanceStatement {
  const { manifest, context, tag } = input
  if (tag.trim() === '') throw new Error('the release tag is empty')
  const names = new Set<string>()
  const subject: InTotoSubject[] = []
  const add = (name: string, sha256: string): void => {
    if (names.has(name)) throw new Error(`two statement subjects are named ${JSON.stringify(name)}`)
    names.add(name)
    subject.push({
      name,
      digest: { sha256 },
      ...(input.annotations ? { annotations: structuredClone(input.annotations) } : {}),
    })
  }
  for (const s of manifest.subjects) add(s.name, digestHex(s.digest.sha256, `subject ${s.name}`))
  add(MANIFEST_FILE, digestHex(manifest.digest, 'the manifest digest'))

  const workflow = parseWorkflowRef(context.workflowRef)
  const server = context.serverUrl.replace(/\/+$/, '')
  const github: SlsaProvenancePredicate['buildDefinition']['internalParameters']['github'] = {
    event_name: context.eventName,
  }
  if (context.repositoryId) github.repository_id = context.repositoryId
  if (context.repositoryOwnerId) github.repository_owner_id = context.repositoryOwnerId
  if (input.workflow?.runnerEnvironment)
    github.runner_environment = input.workflow.runnerEnvironment

  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: {
          workflow: {
            ref: workflow.ref,
            repository: `${server}/${workflow.repository}`,
            path: workflow.path,
          },
        },
        internalParameters: {
          github,
          release: { tag, ...(input.pushedTag ? { pushedTag: { ...input.pushedTag } } : {}) },
        },
        resolvedDependencies: [
          {
            uri: `git+${server}/${context.repository}@${context.ref}`,
            digest: { gitCommit: context.sha },
          },
        ],
      },
      runDetails: {
        builder: { id: `${server}/${input.workflow?.jobWorkflowRef ?? context.workflowRef}` },
        metadata: { invocationId: runUrl({ ...context, serverUrl: server }) },
      },
    },
  }
}
