// A release history for the audit tests, made once per file by the action's real entry, and
// the ways to damage it: the fake's state is snapshotted after the history is made and put
// back before each case, so every case starts from the same clean history.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AuditReport } from '../../src/audit/index.ts'
import type { GitHubFake, FakeState } from '../support/github-fake/index.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import { publishRelease, runCli, temporaryFolder } from '../verify/support.ts'
import type { PublishedRelease } from '../verify/support.ts'

export const TAGS = Array.from({ length: 10 }, (_, i) => `v1.0.${i}`)

/** The personal-data part of each release's change record (YAML), by index. */
const DELTAS: Record<number, string> = {
  0: `  purposes:
    added: [essential.service.security]
  lawfulBasis:
    added:
      - basis: 6(1)(b)
        purpose: essential.service.security
  dataCategories:
    added: [user.contact.email]
  processors:
    added:
      - name: Notify Ltd.
        country: IE
        contractReference: DPA-1
  retention:
    added:
      - dataCategory: user.contact.email
        period: P1Y`,
  3: `  dataSubjects:
    added: [customer]
  transfers:
    added:
      - country: CH
        recipient: Notify Inc.
        mechanism: adequacy`,
  6: `  processors:
    removed:
      - name: Notify Ltd.
        country: IE
        contractReference: DPA-1
    added:
      - name: Notify Ltd.
        country: IE
        contractReference: DPA-2`,
  8: `  purposes:
    removed: [essential.service.security]
  lawfulBasis:
    removed:
      - basis: 6(1)(b)
        purpose: essential.service.security
  retention:
    removed:
      - dataCategory: user.contact.email
        period: P1Y
    added:
      - dataCategory: user.contact.email
        period: P30D`,
}

export function changeRecordFor(i: number): string {
  const deltas = DELTAS[i]
  return `change:
  id: CHG-${1000 + i}
  title: Release ${i}
  reason: Routine release number ${i}
  type: standard
personalData:
  impact: ${deltas ? 'low' : 'none'}
${deltas ?? ''}
`
}

/** The register rows the history above must give, in order. */
export const EXPECTED_REGISTER = [
  ['category', 'item', 'details', 'status', 'introducedIn', 'changedIn', 'removedIn'],
  ['purposes', 'essential.service.security', '', 'removed', 'v1.0.0', '', 'v1.0.8'],
  ['lawfulBasis', '6(1)(b) (essential.service.security)', '', 'removed', 'v1.0.0', '', 'v1.0.8'],
  ['dataCategories', 'user.contact.email', '', 'current', 'v1.0.0', '', ''],
  ['processors', 'Notify Ltd.', 'country: IE; contract: DPA-2', 'current', 'v1.0.0', 'v1.0.6', ''],
  ['retention', 'user.contact.email', 'period: P30D', 'current', 'v1.0.0', 'v1.0.8', ''],
  ['dataSubjects', 'customer', '', 'current', 'v1.0.3', '', ''],
  ['transfers', 'CH: Notify Inc.', 'safeguard: adequacy', 'current', 'v1.0.3', '', ''],
]

export async function publishHistory(world: ReleaseWorld): Promise<PublishedRelease[]> {
  const releases: PublishedRelease[] = []
  for (const [i, tag] of TAGS.entries()) {
    releases.push(await publishRelease(world, tag, { changeRecord: changeRecordFor(i) }))
  }
  return releases
}

type Snapshot = Pick<FakeState, 'releases' | 'assets' | 'refs' | 'tagObjects' | 'commits'>

export function snapshotFake(fake: GitHubFake): Snapshot {
  const { releases, assets, refs, tagObjects, commits } = fake.state
  return structuredClone({ releases, assets, refs, tagObjects, commits })
}

export function restoreFake(fake: GitHubFake, snapshot: Snapshot): void {
  const copy = structuredClone(snapshot)
  for (const key of ['releases', 'assets', 'refs', 'tagObjects', 'commits'] as const) {
    const target = fake.state[key] as Map<unknown, unknown>
    target.clear()
    for (const [k, v] of copy[key] as Map<unknown, unknown>) target.set(k, v)
  }
}

export function releaseOf(fake: GitHubFake, tag: string) {
  const found = [...fake.state.releases.values()].find((r) => r.release.tag_name === tag)
  if (!found) throw new Error(`no release ${tag} in the fake`)
  return found
}

export function assetOf(fake: GitHubFake, tag: string, name: string) {
  const id = releaseOf(fake, tag).release.id
  const found = [...fake.state.assets.values()].find(
    (a) => a.releaseId === id && a.asset.name === name,
  )
  if (!found) throw new Error(`no asset ${name} on ${tag}`)
  return found
}

/** Replaces an asset's stored bytes (a new file, so the snapshot's file stays as it was). */
export async function replaceAssetBytes(
  fake: GitHubFake,
  tag: string,
  name: string,
  bytes: Buffer,
  folder: string,
): Promise<void> {
  const stored = assetOf(fake, tag, name)
  const file = join(folder, `${tag}-${name}-${Date.now()}`)
  await writeFile(file, bytes)
  stored.file = file
  stored.asset.size = bytes.length
  const { createHash } = await import('node:crypto')
  stored.asset.digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** A release made by hand between `after` and the release following it: no manifest. */
export function insertUnsignedRelease(fake: GitHubFake, after: string, tag: string): void {
  const before = releaseOf(fake, after)
  const copy = structuredClone(before)
  const id = before.release.id + 1
  copy.release = {
    ...copy.release,
    id,
    node_id: `RE_${id}`,
    tag_name: tag,
    url: `${fake.url}/repos/${fake.owner}/${fake.repo}/releases/${id}`,
    assets_url: `${fake.url}/repos/${fake.owner}/${fake.repo}/releases/${id}/assets`,
  }
  fake.state.releases.set(id, copy)
}

/** Copies the downloaded releases into `<root>/<tag>/`, as `gh release download` per tag leaves them. */
export async function auditFolderOf(releases: readonly PublishedRelease[]): Promise<string> {
  const root = await temporaryFolder('audit-folder-')
  for (const r of releases) await cp(r.dir, join(root, r.tag), { recursive: true })
  return root
}

export async function addFolder(root: string, name: string, files: Record<string, Buffer>) {
  const dir = join(root, name)
  await mkdir(dir, { recursive: true })
  for (const [file, bytes] of Object.entries(files)) await writeFile(join(dir, file), bytes)
  return dir
}

export async function removeFolder(root: string, name: string): Promise<void> {
  await rm(join(root, name), { recursive: true, force: true })
}

export interface AuditRun {
  code: number
  report: AuditReport & { findings: { kind: string; release: string; related: string[] }[] }
  stdout: string
  stderr: string
}

/** `audit [dir] --repo octo-org/octo-repo --trusted-root <root> --json` in-process. */
export async function auditJson(world: ReleaseWorld, args: string[] = []): Promise<AuditRun> {
  const result = await runCli(
    [
      'audit',
      ...args,
      '--repo',
      'octo-org/octo-repo',
      '--trusted-root',
      world.trustedRootPath,
      '--json',
    ],
    { GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token },
  )
  try {
    return { ...result, report: JSON.parse(result.stdout) as AuditRun['report'] }
  } catch {
    throw new Error(
      `audit --json printed no JSON (exit ${result.code}):\n${result.stdout}${result.stderr}`,
    )
  }
}

/** The findings as `kind release [related…]`, for exact comparisons. */
export function findingKeys(run: AuditRun): string[] {
  return run.report.findings.map((f) => [f.kind, f.release, ...f.related].join(' '))
}
