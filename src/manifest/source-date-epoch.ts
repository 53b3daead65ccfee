import { InputError } from '../util/errors.ts'
import { silentReporter, type Reporter } from '../util/reporter.ts'

/**
 * `git log`, run only when a directory is packed without SOURCE_DATE_EPOCH. child_process is
 * taken when needed rather than imported: loading it (with net and dgram) cost every
 * `manifest` run about 2 ms before its first file, whether it packed a directory or not.
 */
function execFileAsync(
  file: string,
  args: readonly string[],
  options: { timeout: number; windowsHide: boolean },
): Promise<{ stdout: string }> {
  const { execFile } = process.getBuiltinModule('node:child_process')
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...options, encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve({ stdout }),
    )
  })
}

export interface SourceDateEpochOptions {
  env: Readonly<Record<string, string | undefined>>
  /** A git checkout; the commit's time is read from it. */
  workspace: string
  /** Commit whose time stamps the tarballs; `HEAD` when absent. */
  commit?: string
  reporter?: Reporter
}

/**
 * The timestamp stamped on tarball entries, per reproducible-builds.org: `SOURCE_DATE_EPOCH`
 * when set, else the commit's committer time, else 0 (with a warning, since 1970 in a tarball
 * surprises people).
 */
export async function resolveSourceDateEpoch(options: SourceDateEpochOptions): Promise<number> {
  const reporter = options.reporter ?? silentReporter
  const fromEnv = options.env['SOURCE_DATE_EPOCH']
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const text = fromEnv.trim()
    const value = Number(text)
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
      throw new InputError(
        'SOURCE_DATE_EPOCH',
        `'${fromEnv}' is not a whole number of seconds since 1970-01-01 (an integer ≥ 0); fix or unset the environment variable`,
      )
    }
    return value
  }
  const commit = options.commit || 'HEAD'
  if (!commit.startsWith('-')) {
    try {
      const { stdout } = await execFileAsync(
        'git',
        ['-C', options.workspace, 'log', '-1', '--format=%ct', commit, '--'],
        {
          timeout: 30_000,
          windowsHide: true,
        },
      )
      const text = stdout.trim()
      if (/^\d+$/.test(text)) return Number(text)
    } catch {
      // Not a checkout, commit not fetched, or no git: fall through to the documented default.
    }
  }
  reporter.warning(
    `SOURCE_DATE_EPOCH is not set and the time of commit ${commit} could not be read with git; tarball entries are dated 1970-01-01 (0). Set SOURCE_DATE_EPOCH or check out the repository to date them by the commit.`,
  )
  return 0
}
