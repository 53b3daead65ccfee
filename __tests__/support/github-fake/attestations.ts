import type { FakeContext } from './context.ts'
import { bodyObject, HttpError, notFound, validationFailed } from './http.ts'
import type { Router } from './router.ts'

function invalidBundle(): HttpError {
  return validationFailed([{ resource: 'Attestation', code: 'invalid', field: 'bundle' }])
}

/** `alg:hex` of every subject of the in-toto statement a DSSE payload carries. */
function subjectDigestsOf(payload: string): string[] {
  try {
    const statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
      subject?: { digest?: Record<string, string> }[]
    }
    return (statement.subject ?? []).flatMap((s) =>
      Object.entries(s.digest ?? {}).map(([alg, hex]) => `${alg}:${hex}`),
    )
  } catch {
    throw invalidBundle()
  }
}

function storeAttestation(fake: FakeContext, body: unknown): { id: number } {
  const mode = fake.options.attestations ?? 'store'
  if (mode === 403) throw new HttpError(403, 'Resource not accessible by integration')
  if (mode === 404) throw notFound()
  const { bundle } = bodyObject(body)
  if (bundle === null || typeof bundle !== 'object') {
    throw validationFailed([{ resource: 'Attestation', code: 'missing_field', field: 'bundle' }])
  }
  const b = bundle as Record<string, unknown>
  const envelope = b.dsseEnvelope as { payload?: unknown } | undefined
  if (typeof b.mediaType !== 'string' || typeof envelope?.payload !== 'string') {
    throw invalidBundle()
  }
  const subjectDigests = subjectDigestsOf(envelope.payload)
  const id = fake.newId()
  fake.state.attestations.push({ id, bundle: b, subjectDigests })
  return { id }
}

export function attestationRoutes(router: Router, fake: FakeContext): void {
  router.add('POST', '/repos/{owner}/{repo}/attestations', ({ body }) => ({
    status: 201,
    json: storeAttestation(fake, body),
  }))
  router.add('GET', '/repos/{owner}/{repo}/attestations/{subject_digest}', ({ params }) => {
    const digest = params[2] as string
    const found = fake.state.attestations.filter((a) => a.subjectDigests.includes(digest))
    if (found.length === 0) throw notFound()
    return {
      status: 200,
      json: {
        attestations: found.map((a) => ({
          bundle: a.bundle,
          repository_id: fake.state.repository.id,
          bundle_url: `${fake.repoApi}/attestations/${a.id}/bundle`,
        })),
      },
    }
  })
}
