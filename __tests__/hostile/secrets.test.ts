// Issue 8, item 6: no secret leaks. The action runs as a runner starts it with known secrets
// (the GitHub token, the OIDC request token and the identity token the OIDC endpoint issued,
// the pseudonymization key), on a successful release and on failing ones (Fulcio down, Fulcio
// refusing the token, GitHub refusing a write mid-release, an invalid input), since error paths
// leak most often. None may appear in stdout or stderr (except the `::add-mask::` commands that
// register them), the job summary, the outputs, any file the run wrote, or anything it put on
// GitHub: release bodies, tag messages, assets, bundles, attestations.
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ActionRunResult } from '../support/action-runner.ts'
import { limited, startProcessWorld } from './support-process.ts'
import type { ProcessWorld } from './support-process.ts'

const PSEUDONYMIZATION_KEY = 'pk-hostile-9f3c1e7a52b8d4064a1f0c93e7d25b18'
const CHANGE_RECORD = `change:
  id: CHG-9001
  title: Hostile release
  reason: Prove no secret leaks.
  type: standard
  approvals:
    - role: change-manager
      decision: approved
      time: '2026-01-01T09:00:00Z'
      approver: alice
personalData:
  impact: none
`

/** Every spelling of a secret that would give it away. */
function spellings(secret: string): string[] {
  const forms = [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    encodeURIComponent(secret),
  ]
  // A JWT's signature is its secret part: its header and claims are public (they end up in the
  // Fulcio certificate by design).
  const signature = secret.split('.')[2]
  if (signature) forms.push(signature)
  return forms
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

interface Leak {
  where: string
  secret: string
}

async function leaks(
  pw: ProcessWorld,
  result: ActionRunResult,
  secrets: string[],
): Promise<Leak[]> {
  const { world } = pw
  const places: [string, string][] = [
    [
      'stdout',
      result.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
    ],
    ['stderr', result.stderr],
    ['summary', result.summary],
    ['outputs', JSON.stringify(result.outputs)],
  ]
  for (const file of await filesUnder(result.runnerTemp)) {
    places.push([`runner temp ${file}`, await readFile(file, 'latin1')])
  }
  const state = world.github.state
  places.push(['releases', JSON.stringify([...state.releases.values()])])
  places.push(['tag objects', JSON.stringify([...state.tagObjects.values()])])
  places.push(['attestations', JSON.stringify(state.attestations)])
  for (const stored of state.assets.values()) {
    places.push([`asset ${stored.asset.name}`, await readFile(stored.file, 'latin1')])
  }
  const found: Leak[] = []
  for (const [where, text] of places) {
    for (const secret of secrets) {
      if (spellings(secret).some((form) => text.includes(form))) {
        found.push({ where, secret: `${secret.slice(0, 6)}…` })
      }
    }
  }
  return found
}

interface Scenario {
  name: string
  inputs?: Record<string, string>
  prepare?(pw: ProcessWorld): void
  expectExit: number
  /** What the error must say (so the run failed where it was meant to). */
  error?: RegExp
}

const scenarios: Scenario[] = [
  { name: 'a successful release', expectExit: 0 },
  {
    name: 'Fulcio down (every request refused, after the retries)',
    prepare: (pw) => pw.world.sigstore.setDown('fulcio', true),
    expectExit: 1,
    error: /Fulcio/,
  },
  {
    name: 'Fulcio rejecting the identity token (401)',
    prepare: (pw) => pw.world.sigstore.failNext('fulcio', { status: 401, count: 10 }),
    expectExit: 1,
    error: /Fulcio/,
  },
  {
    name: 'GitHub refusing the draft after the claim (403, rolled back)',
    prepare: (pw) =>
      pw.world.github.injectFault({
        method: 'POST',
        route: 'POST /repos/{owner}/{repo}/releases',
        fault: { status: 403, body: { message: 'Resource not accessible by integration' } },
      }),
    expectExit: 1,
    error: /draft step/,
  },
  {
    name: 'an invalid input',
    inputs: { 'make-latest': 'sometimes' },
    expectExit: 1,
    error: /make-latest/,
  },
]

describe('secrets never leak', () => {
  it('in successful and failing runs', async () => {
    const results = await limited(
      2,
      scenarios.map((s) => async () => {
        const pw = await startProcessWorld()
        try {
          await pw.world.write('.github/change-record.yaml', CHANGE_RECORD)
          s.prepare?.(pw)
          const result = await pw.world.run({
            tag: 'v1.0.0',
            'subject-path': 'dist/*',
            'change-record': '.github/change-record.yaml',
            'pseudonymization-key': PSEUDONYMIZATION_KEY,
            ...s.inputs,
          })
          const secrets = [
            pw.world.github.token,
            pw.world.sigstore.oidcRequestToken,
            PSEUDONYMIZATION_KEY,
            ...pw.world.sigstore.issuedTokens,
          ]
          const errors = result.annotations.filter((a) => a.level === 'error')
          return {
            name: s.name,
            exitCode: result.exitCode,
            errorMatches: s.error ? errors.some((e) => s.error!.test(e.message)) : true,
            tokensIssued: pw.world.sigstore.issuedTokens.length,
            masked: secrets.filter((secret) => result.stdout.includes(`::add-mask::${secret}`))
              .length,
            leaks: await leaks(pw, result, secrets),
          }
        } finally {
          await pw.close()
        }
      }),
    )
    for (const [i, s] of scenarios.entries()) {
      const r = results[i]!
      expect({
        name: r.name,
        exitCode: r.exitCode,
        errorMatches: r.errorMatches,
        leaks: r.leaks,
      }).toEqual({ name: s.name, exitCode: s.expectExit, errorMatches: true, leaks: [] })
    }
    // The checks looked for real tokens: the signing runs did get one, and the action masked
    // the GitHub token, the key and the identity token before anything else was printed.
    const signingRuns = results.filter((r) => !/invalid input/.test(r.name))
    for (const r of signingRuns)
      expect({ name: r.name, issued: r.tokensIssued }).toEqual({
        name: r.name,
        issued: 1,
      })
    for (const r of signingRuns)
      expect({ name: r.name, masked: r.masked }).toEqual({
        name: r.name,
        masked: 3,
      })
  }, 120_000)
})
