import { parseArgs } from 'node:util'
import { Pseudonymizer } from '../change-record/index.ts'
import { InputError } from '../util/errors.ts'
import { EXIT_OK } from './commands.ts'
import { out } from './output.ts'

/** The key is read from here only: an argument would stay in the shell history and `ps`. */
export const PSEUDONYMIZATION_KEY_ENV = 'IMMUTABLE_RELEASE_PSEUDONYMIZATION_KEY'

const TYPES = ['github-user', 'email', 'approver'] as const
type IdentifierType = (typeof TYPES)[number]

/**
 * The identifier type of what was typed: `jane@example.org` is an e-mail address, `@octocat`,
 * `github:octocat` and a bare `octocat` a GitHub login; `--type approver` for an approver written
 * any other way (an employee number), exactly as the change-record file wrote it.
 */
function identifierType(identifier: string, given: string | undefined): IdentifierType {
  if (given !== undefined) {
    if ((TYPES as readonly string[]).includes(given)) return given as IdentifierType
    throw new InputError('--type', `expected one of ${TYPES.join(', ')}, got '${given}'`)
  }
  return /^[^\s@]+@[^\s@]+$/.test(identifier.trim()) ? 'email' : 'github-user'
}

/** The key's problems name the variable it came from, not the action input. */
function keyedPseudonymizer(key: string, keyId: string, domain: string): Pseudonymizer {
  try {
    return Pseudonymizer.fromKey(key, { keyId, domain })
  } catch (error) {
    if (error instanceof InputError && error.input === 'pseudonymization-key') {
      throw new InputError(PSEUDONYMIZATION_KEY_ENV, error.message.replace(/^Input '[^']*': /, ''))
    }
    throw error
  }
}

/**
 * `immutable-release pseudonym --domain D [--key-id K] [--type T] <identifier>`: the pseudonym a
 * change record holds for a person, so a data-protection officer can find that person's records
 * (an access request, Art. 15) or check an audit. Prints only the pseudonym.
 */
export function runPseudonymCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      domain: { type: 'string' },
      'key-id': { type: 'string', default: 'k1' },
      type: { type: 'string' },
    },
  })
  if (!values.domain) {
    throw new InputError(
      '--domain',
      "is required: the record's identifiers.domain (the repository id, or the pseudonymization-domain input)",
    )
  }
  const [identifier, ...extra] = positionals
  if (identifier === undefined || extra.length > 0 || identifier.trim() === '') {
    throw new InputError('identifier', 'give exactly one GitHub login or e-mail address')
  }
  const key = process.env[PSEUDONYMIZATION_KEY_ENV] ?? ''
  if (!key.trim()) {
    throw new InputError(
      PSEUDONYMIZATION_KEY_ENV,
      'is not set: export the pseudonymization key in this variable (it is never taken as an argument)',
    )
  }
  const pseudonymizer = keyedPseudonymizer(key, values['key-id'], values.domain)
  const type = identifierType(identifier, values.type)
  const pseudonym =
    type === 'github-user'
      ? pseudonymizer.approver(`github:${identifier.trim().replace(/^(?:@|github:)/i, '')}`)
      : pseudonymizer.pseudonym(type, identifier)
  out(`${pseudonym}\n`)
  return EXIT_OK
}
