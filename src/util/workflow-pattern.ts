/**
 * `--signer-workflow` and `--withdrawal-signer-workflow`: a glob over the signer workflow's
 * identity (`owner/repo/.github/workflows/*.yml`), where `*` matches any run of characters.
 * Anchored; the server prefix and the `@ref` suffix may be left out.
 */
export function workflowPattern(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^(?:https://[^/]+/)?${escaped}(?:@.*)?$`)
}
