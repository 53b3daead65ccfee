import path from 'node:path'

/**
 * Whether `child` is `parent` itself or lies below it, compared lexically (resolve symbolic
 * links first where they matter). A name that merely starts with two dots, such as `..cache`,
 * is inside; `..` and anything reached through it is not.
 */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child)
  return (
    relative === '' ||
    (!relative.startsWith('..' + path.sep) && relative !== '..' && !path.isAbsolute(relative))
  )
}
