// Reading documents whose shape nobody vouches for: a signed statement says only that someone
// signed these bytes, and an unsigned change-record.json is anyone's. A check reads a field
// through these helpers, so a list that is an object, a string that is a number or a missing
// object is a value it reports on, never a TypeError that ends verify without a report.

/** `value` is a JSON object (not null, not a list). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value at `path` below `value`; undefined as soon as a step is not an object or list. */
export function valueAt(value: unknown, ...path: (string | number)[]): unknown {
  let at = value
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(at)) return undefined
      at = at[step]
    } else {
      if (!isObject(at) || !Object.hasOwn(at, step)) return undefined
      at = at[step]
    }
  }
  return at
}

/** The string at `path`, or undefined when it is missing or not a string. */
export function stringAt(value: unknown, ...path: (string | number)[]): string | undefined {
  const at = valueAt(value, ...path)
  return typeof at === 'string' ? at : undefined
}

/** The list at `path`, or undefined when it is missing or not a list. */
export function listAt(value: unknown, ...path: (string | number)[]): unknown[] | undefined {
  const at = valueAt(value, ...path)
  return Array.isArray(at) ? at : undefined
}

/** A value for a problem line: strings as they are, anything else as JSON (bounded). */
export function shown(value: unknown): string {
  if (value === undefined) return '(none)'
  if (typeof value === 'string') return value
  const json = JSON.stringify(value) ?? String(value)
  return json.length > 80 ? `${json.slice(0, 77)}...` : json
}
