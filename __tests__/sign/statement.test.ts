import { describe, expect, it } from 'vitest'
import {
  IN_TOTO_STATEMENT_V1,
  SLSA_PROVENANCE_V1,
  buildProvenanceStatement,
  workflowIdentityFromToken,
} from '../../src/sign/index.ts'
import { GITHUB_WORKFLOW_BUILD_TYPE } from '../../src/sign/constants.ts'
import { parseWorkflowRef } from '../../src/sign/statement.ts'
import { canonicalJson } from '../../src/util/canonical-json.ts'
import { MANIFEST_FILE } from '../../src/util/release-files.ts'
import { manifest, runContext, SHA_A } from './fixtures.ts'

describe('buildProvenanceStatement', () => {
  it('has every artifact and the manifest as subjects and a SLSA v1 predicate in actions/attest’s shape', () => {
    const statement = buildProvenanceStatement({ manifest, context: runContext(), tag: 'v1.2.3' })
    expect(statement).toEqual({
      _type: IN_TOTO_STATEMENT_V1,
      subject: [
        { name: 'app-linux-x64.tar.gz', digest: { sha256: '2'.repeat(64) } },
        { name: 'app-darwin-arm64.tar.gz', digest: { sha256: '3'.repeat(64) } },
        { name: MANIFEST_FILE, digest: { sha256: '1'.repeat(64) } },
      ],
      predicateType: SLSA_PROVENANCE_V1,
      predicate: {
        buildDefinition: {
          buildType: GITHUB_WORKFLOW_BUILD_TYPE,
          externalParameters: {
            workflow: {
              ref: 'refs/tags/v1.2.3',
              repository: 'https://github.com/octo-org/octo-repo',
              path: '.github/workflows/release.yml',
            },
          },
          internalParameters: {
            github: {
              event_name: 'push',
              repository_id: '123456789',
              repository_owner_id: '987654321',
            },
            release: { tag: 'v1.2.3' },
          },
          resolvedDependencies: [
            {
              uri: 'git+https://github.com/octo-org/octo-repo@refs/tags/v1.2.3',
              digest: { gitCommit: SHA_A },
            },
          ],
        },
        runDetails: {
          builder: {
            id: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.3',
          },
          metadata: {
            invocationId:
              'https://github.com/octo-org/octo-repo/actions/runs/4242424242/attempts/2',
          },
        },
      },
    })
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1')
    expect(statement._type).toBe('https://in-toto.io/Statement/v1')
    expect(GITHUB_WORKFLOW_BUILD_TYPE).toBe('https://actions.github.io/buildtypes/workflow/v1')
  })

  it('names a reusable workflow as the builder and records the runner environment', () => {
    const statement = buildProvenanceStatement({
      manifest,
      context: runContext({ serverUrl: 'https://ghe.example.com/' }),
      tag: 'v1.2.3',
      workflow: {
        jobWorkflowRef: 'org/shared/.github/workflows/release.yml@refs/tags/v3',
        runnerEnvironment: 'self-hosted',
      },
    })
    expect(statement.predicate.runDetails.builder.id).toBe(
      'https://ghe.example.com/org/shared/.github/workflows/release.yml@refs/tags/v3',
    )
    expect(statement.predicate.buildDefinition.internalParameters.github.runner_environment).toBe(
      'self-hosted',
    )
    expect(statement.predicate.runDetails.metadata.invocationId).toBe(
      'https://ghe.example.com/octo-org/octo-repo/actions/runs/4242424242/attempts/2',
    )
  })

  it('puts the annotations on every subject, each its own copy', () => {
    const annotations = {
      'immutable-release.dev/change-record': { digest: { sha256: '9'.repeat(64) } },
    }
    const statement = buildProvenanceStatement({
      manifest,
      context: runContext(),
      tag: 'v1',
      annotations,
    })
    expect(statement.subject).toHaveLength(3)
    for (const subject of statement.subject) expect(subject.annotations).toEqual(annotations)
    expect(statement.subject[0]!.annotations).not.toBe(statement.subject[1]!.annotations)
  })

  it('contains no actor or other personal data', () => {
    const text = canonicalJson(
      buildProvenanceStatement({ manifest, context: runContext(), tag: 'v1' }),
    ).toString()
    expect(text).not.toMatch(/actor|triggering|email|login|user/i)
  })

  it('omits ids the context does not know, and is canonical-JSON serialisable', () => {
    const statement = buildProvenanceStatement({
      manifest,
      context: runContext({ repositoryId: undefined, repositoryOwnerId: undefined }),
      tag: 'v1',
    })
    expect(statement.predicate.buildDefinition.internalParameters.github).toEqual({
      event_name: 'push',
    })
    expect(JSON.parse(canonicalJson(statement).toString())).toEqual(statement)
  })

  it('rejects bad digests, a subject named like the manifest, an empty tag and a malformed workflow ref', () => {
    const context = runContext()
    expect(() =>
      buildProvenanceStatement({
        manifest: { ...manifest, digest: 'sha256:abc' },
        context,
        tag: 'v1',
      }),
    ).toThrow(/manifest digest is not a SHA-256 digest/)
    expect(() =>
      buildProvenanceStatement({
        manifest: { ...manifest, subjects: [{ name: 'a', digest: { sha256: 'x'.repeat(64) } }] },
        context,
        tag: 'v1',
      }),
    ).toThrow(/subject a is not a SHA-256 digest/)
    expect(() =>
      buildProvenanceStatement({
        manifest: {
          ...manifest,
          subjects: [{ name: MANIFEST_FILE, digest: { sha256: '4'.repeat(64) } }],
        },
        context,
        tag: 'v1',
      }),
    ).toThrow(/two statement subjects are named "release-manifest.json"/)
    expect(() => buildProvenanceStatement({ manifest, context, tag: ' ' })).toThrow(/tag is empty/)
    expect(() =>
      buildProvenanceStatement({
        manifest,
        context: runContext({ workflowRef: 'release.yml' }),
        tag: 'v1',
      }),
    ).toThrow(/GITHUB_WORKFLOW_REF "release.yml"/)
  })

  it('accepts bare hex and upper-case digests, writing lower-case hex', () => {
    const statement = buildProvenanceStatement({
      manifest: { digest: 'AB'.repeat(32), subjects: [] },
      context: runContext(),
      tag: 'v1',
    })
    expect(statement.subject).toEqual([
      { name: MANIFEST_FILE, digest: { sha256: 'ab'.repeat(32) } },
    ])
  })
})

describe('parseWorkflowRef', () => {
  it('splits repository, path and ref, keeping @ inside the ref', () => {
    expect(parseWorkflowRef('o/r/.github/workflows/a.yml@refs/heads/feat@x')).toEqual({
      repository: 'o/r',
      path: '.github/workflows/a.yml',
      ref: 'refs/heads/feat@x',
    })
  })
  it.each([
    '',
    'o/r/.github/workflows/a.yml',
    '.github/workflows/a.yml@refs/heads/main',
    'o/r/.github/workflows/a.yml@',
  ])('rejects %j', (ref) => {
    expect(() => parseWorkflowRef(ref)).toThrow(/GITHUB_WORKFLOW_REF/)
  })
})

describe('workflowIdentityFromToken', () => {
  const jwt = (claims: object) =>
    `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`
  it('reads job_workflow_ref and runner_environment', () => {
    expect(
      workflowIdentityFromToken(
        jwt({
          job_workflow_ref: 'o/r/.github/workflows/x.yml@refs/heads/main',
          runner_environment: 'github-hosted',
        }),
      ),
    ).toEqual({
      jobWorkflowRef: 'o/r/.github/workflows/x.yml@refs/heads/main',
      runnerEnvironment: 'github-hosted',
    })
    expect(workflowIdentityFromToken(jwt({ sub: 'x' }))).toEqual({})
  })
  it('rejects a non-JWT without quoting it', () => {
    expect(() => workflowIdentityFromToken('secret-value')).toThrow(
      'The OIDC identity token is not a JWT',
    )
    // Thrown, and without the token's text (an assertion in a catch would pass if nothing threw).
    expect(() => workflowIdentityFromToken('secret.value')).toThrow(
      'The OIDC identity token is not a JWT',
    )
    expect(() => workflowIdentityFromToken('secret.value')).not.toThrow(/secret/)
  })
})
