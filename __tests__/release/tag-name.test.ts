import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateTagName } from '../../src/release/index.ts'
import { tagNameProblem } from '../../src/release/tag-name.ts'
import { InputError } from '../../src/util/errors.ts'

describe('validateTagName', () => {
  it.each(['v1.2.3', 'v1.0.0-rc.1', 'release/2025-01', 'v1+build.5', 'a', 'ünïcode-1'])(
    'accepts %s',
    (tag) => {
      expect(tagNameProblem(tag)).toBeUndefined()
      expect(() => validateTagName(tag)).not.toThrow()
    },
  )

  it.each([
    ['', /empty/],
    ['@', /"@"/],
    ['-v1', /start with "-"/],
    ['/v1', /start with "\/"/],
    ['v1/', /end with "\/"/],
    ['v1.', /end with "\."/],
    ['v1//x', /"\/\/"/],
    ['v1..2', /"\.\."/],
    ['v1@{2}', /"@\{"/],
    ['v1 2', /spaces/],
    ['v1\t', /control characters \(found U\+0009\)/],
    ['v1\u007f', /control characters \(found U\+007F\)/],
    ['v1~1', /"~"/],
    ['v1^', /"\^"/],
    ['v1:2', /":"/],
    ['v1?', /"\?"/],
    ['v1*', /"\*"/],
    ['v1[2', /"\["/],
    ['v1\\2', /"\\"/],
    ['.hidden', /starts with "\."/],
    ['x/.hidden', /starts with "\."/],
    ['v1.lock', /ends with "\.lock"/],
    ['v1.lock/x', /ends with "\.lock"/],
  ])('refuses %j saying why', (tag, why) => {
    expect(tagNameProblem(tag)).toMatch(why)
    expect(() => validateTagName(tag)).toThrow(InputError)
    expect(() => validateTagName(tag)).toThrow(/^Input 'tag': .*not a valid git tag name/)
  })

  it('agrees with git check-ref-format on generated names', () => {
    let gitAvailable = true
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' })
    } catch {
      gitAvailable = false
    }
    expect(gitAvailable).toBe(true)
    const alphabet = fc.constantFrom(
      'a',
      'v',
      '1',
      '.',
      '/',
      '-',
      '@',
      '{',
      '~',
      ' ',
      'k',
      'l',
      'o',
      'c',
      '_',
    )
    const samples = fc.sample(fc.string({ unit: alphabet, minLength: 1, maxLength: 8 }), {
      numRuns: 40,
      seed: 42,
    })
    for (const tag of samples) {
      let gitAccepts = true
      try {
        execFileSync('git', ['check-ref-format', `refs/tags/${tag}`], { stdio: 'ignore' })
      } catch {
        gitAccepts = false
      }
      // check-ref-format allows refs/tags/-x and refs/tags/@, but `git tag` refuses a leading "-"
      // and "@" alone means HEAD to git's revision parser: we refuse both.
      const ours = tagNameProblem(tag) === undefined
      if (tag.startsWith('-') || tag === '@') expect(ours).toBe(false)
      else expect({ tag, ours }).toEqual({ tag, ours: gitAccepts })
    }
  })
})
