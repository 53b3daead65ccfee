import { InputError } from '../util/errors.ts'

/**
 * Why `refs/tags/<tag>` would be refused by `git check-ref-format`, or undefined when it is a
 * valid tag name. GitHub applies the same rules, so checking first means a bad name fails before
 * anything is written.
 */
export function tagNameProblem(tag: string): string | undefined {
  if (tag === '') return 'the tag name is empty'
  if (tag === '@') return 'a tag cannot be named "@"'
  if (tag.startsWith('-')) return 'a tag name cannot start with "-"'
  if (tag.startsWith('/')) return 'a tag name cannot start with "/"'
  if (tag.endsWith('/')) return 'a tag name cannot end with "/"'
  if (tag.endsWith('.')) return 'a tag name cannot end with "."'
  if (tag.includes('//')) return 'a tag name cannot contain "//"'
  if (tag.includes('..')) return 'a tag name cannot contain ".."'
  if (tag.includes('@{')) return 'a tag name cannot contain "@{"'
  for (const char of tag) {
    const code = char.codePointAt(0) as number
    if (code < 0x20 || code === 0x7f) {
      return `a tag name cannot contain control characters (found U+${code.toString(16).padStart(4, '0').toUpperCase()})`
    }
    if (char === ' ') return 'a tag name cannot contain spaces'
    if ('~^:?*[\\'.includes(char)) return `a tag name cannot contain "${char}"`
  }
  for (const component of tag.split('/')) {
    if (component.startsWith('.')) return `the part "${component}" starts with "."`
    if (component.endsWith('.lock')) return `the part "${component}" ends with ".lock"`
  }
  return undefined
}

/** Throws an InputError naming the `tag` input when git would refuse the tag name. */
export function validateTagName(tag: string): void {
  const problem = tagNameProblem(tag)
  if (problem) {
    throw new InputError(
      'tag',
      `"${tag}" is not a valid git tag name: ${problem}. Use a name such as v1.2.3.`,
    )
  }
}
