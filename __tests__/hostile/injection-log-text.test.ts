// Issue 18, finding 2: the one output layer (src/util/log-text.ts) every message of the action
// and the CLI goes through. A runner obeys a line that starts with `::` after whitespace; no
// text, however hostile, may come out as such a line or as more than one line.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeCommandData, logLine, plainText } from '../../src/util/log-text.ts'

/** Characters a line reader (the runner's, a terminal's, an editor's) may split on. */
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/

describe('logLine', () => {
  it.each([
    [
      'a GitHub message with commands',
      'failed (\n::add-mask::octo)',
      'failed (%0A::add-mask::octo)',
    ],
    ['a leading command', '::stop-commands::tok', '%3A:stop-commands::tok'],
    ['a command after whitespace', '  ::warning::x', '  %3A:warning::x'],
    ['a command after a no-break space (the runner trims it)', '\u00a0::x', '\u00a0%3A:x'],
    ['a carriage return', 'a\r::error::b', 'a%0D::error::b'],
    ['percent signs, so escapes stay unambiguous', '100% %0A', '100%25 %250A'],
    ['Unicode line separators', 'a\u2028::x\u0085b', 'a%E2%80%A8::x%C2%85b'],
    ['an escape sequence', 'a\u001b[2Jb', 'a%1B[2Jb'],
    ['plain text, untouched', 'Claimed tag v1.0.0 at abc', 'Claimed tag v1.0.0 at abc'],
    ['a colon that is no command', ':x and a::b', ':x and a::b'],
  ])('%s', (_what, input, expected) => {
    expect(logLine(input)).toBe(expected)
  })

  it('never yields a second line or a command, whatever the text (property)', () => {
    const hostile = fc.string({
      unit: fc.oneof(
        fc.constantFrom(':', '::', '\n', '\r', '\u2028', '\u0085', ' ', '\u00a0', '%', '\u001b'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
    })
    fc.assert(
      fc.property(hostile, (text) => {
        const line = logLine(text)
        expect(line).not.toMatch(LINE_BREAK)
        expect(line.trimStart().startsWith('::')).toBe(false)
      }),
      { seed: 18, numRuns: 2000 },
    )
  })
})

describe('escapeCommandData', () => {
  it('is exactly @actions/core escaping, so ::add-mask:: masks the very secret', () => {
    expect(escapeCommandData('a%b\rc\nd\te\u2028')).toBe('a%25b%0Dc%0Ad\te\u2028')
  })
})

describe('plainText', () => {
  it('joins lines with spaces and drops control characters', () => {
    expect(plainText('Routine\u001b[31m fix\r\nsecond\u2028third\tend\u0007 ')).toBe(
      'Routine[31m fix second third end',
    )
  })
})
