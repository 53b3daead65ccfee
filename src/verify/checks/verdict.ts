import type { Check, CheckResult } from '../types.ts'

/** A check's result: failed with every problem, or passed with what it established. */
export function verdict(
  check: Pick<Check, 'id' | 'title'>,
  problems: string[],
  passed: string[],
): CheckResult {
  const { id, title } = check
  return { id, title, ok: problems.length === 0, details: problems.length > 0 ? problems : passed }
}
