import { execFile } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateTagName } from '../../src/release/index.ts'
import { tagNameProblem } from '../../src/release/tag-name.ts'
import { checkProperty, expectInputError } from './fuzz-support.ts'

const verdicts = new Map<string, Promise<boolean>>()

/** git's own verdict on `refs/tags/<tag>`; no shell, the name is one argument. Cached for shrinking. */
function gitAccepts(tag: string): Promise<boolean> {
  let verdict = verdicts.get(tag)
  if (!verdict) {
    verdict = askGit(tag)
    verdicts.set(tag, verdict)
  }
  return verdict
}

function askGit(tag: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile('git', ['check-ref-format', `refs/tags/${tag}`], (error) => {
      if (!error) resolve(true)
      else if (typeof error.code === 'number') resolve(false)
      else reject(error)
    })
  })
}

/**
 * Names git accepts that we refuse on purpose (documented in src/release/tag-name.ts and the
 * README): a leading '-' reads as an option to git commands, and '@' alone means HEAD.
 */
function stricterOnPurpose(tag: string): boolean {
  return tag.startsWith('-') || tag === '@'
}

/** Pieces that sit on the edges of git's rules, glued together with ordinary characters. */
const tricky = fc.constantFrom(
  'v',
  '1',
  'a',
  '.',
  '..',
  '/',
  '//',
  '-',
  '@',
  '@{',
  '{',
  '}',
  '.lock',
  'lock',
  '~',
  '^',
  ':',
  '?',
  '*',
  '[',
  ']',
  '\\',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u00a0',
  'é',
  'ü',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\uffff',
  '😀',
  '#',
  '+',
  '%',
  '!',
  '"',
  "'",
  '`',
  ',',
  ';',
  '<',
  '>',
  '|',
  '=',
  '&',
  '$',
  'HEAD',
  'refs',
  '.git',
)
const tagName = fc.oneof(
  { weight: 4, arbitrary: fc.array(tricky, { minLength: 1, maxLength: 8 }).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 10 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^v\d{1,3}\.\d{1,3}\.\d{1,3}(-[a-z0-9.]{1,8})?$/) },
)

describe('tag-name fuzzing against git check-ref-format', () => {
  it('refuses every name git refuses, and accepts what git accepts unless stricter on purpose', async () => {
    let accepted = 0
    let refused = 0
    await checkProperty(
      // Eight names a run, checked by git side by side: a git process costs ~15 ms here.
      fc.asyncProperty(fc.array(tagName, { minLength: 8, maxLength: 8 }), async (tags) => {
        await Promise.all(
          tags.map(async (tag) => {
            const ours = tagNameProblem(tag)
            // A NUL cannot be passed to git at all; no tag may contain one.
            if (tag.includes('\u0000')) {
              expect(ours).toBeDefined()
              return
            }
            const git = await gitAccepts(tag)
            if (git && ours === undefined) accepted++
            if (!git) refused++
            if (!git) {
              expect(ours, `git refuses ${JSON.stringify(tag)} but we accept it`).toBeDefined()
            } else if (ours !== undefined) {
              expect(
                stricterOnPurpose(tag),
                `git accepts ${JSON.stringify(tag)} but we refuse it: ${ours}`,
              ).toBe(true)
            }
          }),
        )
      }),
      { numRuns: 25, timeoutMs: 10_000 },
    )
    // Both verdicts must actually occur, or the comparison proved nothing.
    expect(accepted).toBeGreaterThan(10)
    expect(refused).toBeGreaterThan(10)
  })

  it('validateTagName throws exactly when tagNameProblem explains why, naming the input', async () => {
    await checkProperty(
      fc.property(fc.oneof(tagName, fc.string({ unit: 'grapheme', maxLength: 300 })), (tag) => {
        const problem = tagNameProblem(tag)
        let thrown: unknown
        try {
          validateTagName(tag)
        } catch (error) {
          thrown = error
        }
        if (problem === undefined) {
          expect(thrown).toBeUndefined()
          return
        }
        expectInputError(thrown, 'tag')
        expect(thrown.message).toContain(problem)
        expect(thrown.message).toContain('Use a name such as v1.2.3')
      }),
      { numRuns: 2_000 },
    )
  })

  it('a very long name is judged quickly', () => {
    const started = performance.now()
    expect(tagNameProblem('v'.repeat(1_000_000))).toBeUndefined()
    expect(tagNameProblem('v.'.repeat(500_000))).toMatch(/end with "\."/)
    expect(tagNameProblem('a/'.repeat(500_000) + 'b')).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})
