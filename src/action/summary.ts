import * as core from '@actions/core'
import type { ChangeRecord } from '../change-record/index.ts'
import { renderChangeRecordMarkdown } from '../change-record/index.ts'
import type { BuiltManifest } from '../manifest/index.ts'
import type { PublishedRelease } from '../release/index.ts'
import type { ActionInputs } from './inputs.ts'

/** A step summary is limited to 1 MiB: beyond this many rows the table is cut short. */
const MAX_SUBJECT_ROWS = 500

export interface SummaryFacts {
  inputs: ActionInputs
  built: BuiltManifest
  record: ChangeRecord
  /** SHA-256 of change-record.json once written, so readers can match the asset. */
  recordSha256?: string
  published?: PublishedRelease
  provenanceBundle?: unknown
  dryRun: boolean
}

function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** Where the signature was witnessed: the Rekor log index, or the timestamp authority. */
export function witnessDescription(bundle: unknown): string {
  const material = (
    bundle as {
      verificationMaterial?: {
        tlogEntries?: { logIndex?: string }[]
        timestampVerificationData?: { rfc3161Timestamps?: unknown[] }
      }
    }
  )?.verificationMaterial
  const parts: string[] = []
  const entry = material?.tlogEntries?.[0]
  if (entry?.logIndex !== undefined) parts.push(`Rekor log index ${entry.logIndex}`)
  const timestamps = material?.timestampVerificationData?.rfc3161Timestamps?.length ?? 0
  if (timestamps > 0) parts.push(`${timestamps} RFC 3161 timestamp(s)`)
  return parts.join(', ') || 'none'
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Headings and the asset table are HTML (core.summary), where Markdown is not parsed: names
 * must be HTML-escaped, and a Markdown backslash would show as it is.
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] as string)
}

export async function writeJobSummary(facts: SummaryFacts): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return
  const { built, published } = facts
  const summary = core.summary.addHeading(
    // git allows < and > in a tag name; the heading is HTML too.
    `${facts.dryRun ? 'Dry run for' : 'Release'} ${escapeHtml(facts.inputs.tag)}`,
    2,
  )
  if (published) summary.addRaw(`Published: ${published.url}`, true)
  summary.addRaw(`Manifest digest: \`${built.digest}\``, true)
  if (facts.provenanceBundle) {
    summary.addRaw(`Sigstore: ${witnessDescription(facts.provenanceBundle)}`, true)
  }
  const rows = built.manifest.subjects
    .slice(0, MAX_SUBJECT_ROWS)
    .map((subject) => [
      escapeHtml(subject.name),
      subject.size === undefined ? '' : humanSize(subject.size),
      `sha256:${subject.digest.sha256}`,
    ])
  summary.addTable([
    [
      { data: 'Asset', header: true },
      { data: 'Size', header: true },
      { data: 'Digest', header: true },
    ],
    ...rows,
  ])
  if (built.manifest.subjects.length > MAX_SUBJECT_ROWS) {
    summary.addRaw(
      `… and ${built.manifest.subjects.length - MAX_SUBJECT_ROWS} more subjects (see release-manifest.json).`,
      true,
    )
  }
  summary.addRaw(
    renderChangeRecordMarkdown(
      facts.record,
      facts.recordSha256 ? { recordSha256: facts.recordSha256 } : {},
    ),
    true,
  )
  await summary.write()
}
