/**
 * `immutable-release audit`: every release of a repository checked as `verify` checks one, the
 * signed chain between them walked, and the evidence an auditor asks for. See
 * docs/verifying.md ("Auditing all releases").
 */
export { auditFolder, auditGitHub } from './audit.ts'
export type { AuditOptions } from './audit.ts'
export { renderAuditJson, renderAuditText, summaryLine } from './report.ts'
export { FINDING_KINDS, RELEASE_STATUSES } from './types.ts'
export type { AuditReport, AuditedRelease, Finding, FindingKind, ReleaseStatus } from './types.ts'
export { renderAuditHtml } from './html.ts'
export {
  REGISTER_COLUMNS,
  buildRegister,
  renderRegisterCsv,
  renderRegisterJson,
} from './register.ts'
export type { RegisterRow } from './register.ts'
