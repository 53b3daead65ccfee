import { describe, expect, it } from 'vitest'
import { resolveSigstoreEndpoints } from '../../src/sign/index.ts'
import { GITHUB_ENDPOINTS, PUBLIC_GOOD_ENDPOINTS } from '../../src/sign/endpoints.ts'
import { InputError } from '../../src/util/errors.ts'

function inputError(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('resolveSigstoreEndpoints', () => {
  it('public-good: Fulcio and Rekor of sigstore.dev', () => {
    expect(resolveSigstoreEndpoints({ mode: 'public-good' })).toEqual({
      mode: 'public-good',
      fulcioURL: 'https://fulcio.sigstore.dev',
      rekorURL: 'https://rekor.sigstore.dev',
    })
  })

  it('github: GitHub’s Fulcio and timestamp authority, no transparency log', () => {
    const endpoints = resolveSigstoreEndpoints({ mode: 'github', visibility: 'public' })
    expect(endpoints).toEqual({
      mode: 'github',
      fulcioURL: 'https://fulcio.githubapp.com',
      tsaURL: 'https://timestamp.githubapp.com',
    })
    expect(endpoints.rekorURL).toBeUndefined()
  })

  it.each([
    ['public', PUBLIC_GOOD_ENDPOINTS],
    ['private', GITHUB_ENDPOINTS],
    ['internal', GITHUB_ENDPOINTS],
    [undefined, GITHUB_ENDPOINTS],
    ['PUBLIC', GITHUB_ENDPOINTS],
    ['something-new', GITHUB_ENDPOINTS],
  ])(
    'auto with visibility %j never logs a non-public repository publicly',
    (visibility, expected) => {
      expect(resolveSigstoreEndpoints({ mode: 'auto', visibility })).toEqual(expected)
    },
  )

  it('returns copies, so a caller cannot change the defaults', () => {
    const endpoints = resolveSigstoreEndpoints({ mode: 'public-good' })
    endpoints.rekorURL = 'https://evil.example'
    expect(resolveSigstoreEndpoints({ mode: 'public-good' }).rekorURL).toBe(
      'https://rekor.sigstore.dev',
    )
  })

  it('custom with Rekor, with a TSA, and with both; trailing slashes trimmed', () => {
    expect(
      resolveSigstoreEndpoints({
        mode: 'custom',
        fulcioUrl: 'https://fulcio.example/',
        rekorUrl: 'https://rekor.example',
      }),
    ).toEqual({
      mode: 'custom',
      fulcioURL: 'https://fulcio.example',
      rekorURL: 'https://rekor.example',
    })
    expect(
      resolveSigstoreEndpoints({
        mode: 'custom',
        fulcioUrl: 'http://127.0.0.1:8080',
        tsaUrl: 'https://tsa.example/api/v1/timestamp',
      }),
    ).toEqual({
      mode: 'custom',
      fulcioURL: 'http://127.0.0.1:8080',
      tsaURL: 'https://tsa.example/api/v1/timestamp',
    })
    expect(
      resolveSigstoreEndpoints({
        mode: ' custom ',
        fulcioUrl: 'https://f',
        rekorUrl: 'https://r',
        tsaUrl: 'https://t',
      }),
    ).toEqual({
      mode: 'custom',
      fulcioURL: 'https://f',
      rekorURL: 'https://r',
      tsaURL: 'https://t',
    })
  })

  it('an unknown mode names the sigstore input and lists the choices', () => {
    const error = inputError(() => resolveSigstoreEndpoints({ mode: 'public' }))
    expect(error.input).toBe('sigstore')
    expect(error.message).toContain('auto, public-good, github, custom')
  })

  it('custom without fulcio-url names fulcio-url', () => {
    const error = inputError(() =>
      resolveSigstoreEndpoints({ mode: 'custom', rekorUrl: 'https://r' }),
    )
    expect(error.input).toBe('fulcio-url')
  })

  it('custom without rekor-url and tsa-url names both', () => {
    const error = inputError(() =>
      resolveSigstoreEndpoints({ mode: 'custom', fulcioUrl: 'https://f', rekorUrl: ' ' }),
    )
    expect(error.input).toBe('rekor-url')
    expect(error.message).toContain('tsa-url')
  })

  it.each([
    ['fulcio-url', { fulcioUrl: 'ftp://fulcio.example', rekorUrl: 'https://r' }, /http\(s\)/],
    ['fulcio-url', { fulcioUrl: 'fulcio.example', rekorUrl: 'https://r' }, /not a URL/],
    ['rekor-url', { fulcioUrl: 'https://f', rekorUrl: 'file:///etc/passwd' }, /http\(s\)/],
    ['tsa-url', { fulcioUrl: 'https://f', tsaUrl: 'javascript:alert(1)' }, /http\(s\)/],
    [
      'rekor-url',
      { fulcioUrl: 'https://f', rekorUrl: 'https://user:pw@rekor.example' },
      /credentials/,
    ],
  ])('a bad %s is named', (input, urls, message) => {
    const error = inputError(() => resolveSigstoreEndpoints({ mode: 'custom', ...urls }))
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('pw@')
  })

  // Issue 18, finding 2: the URL parser drops line breaks, and the raw input was returned and
  // logged, so a second line `::add-mask::…` reached the runner.
  it.each([
    ['a line break', 'https://fulcio.example/\n::add-mask::octo'],
    ['a carriage return', 'https://fulcio.example/\r::stop-commands::x'],
    ['a tab', 'https://fulcio.example/\tx'],
    ['an inner space', 'https://fulcio.example/ x'],
  ])('a fulcio-url holding %s is refused by name', (_what, fulcioUrl) => {
    const error = inputError(() =>
      resolveSigstoreEndpoints({ mode: 'custom', fulcioUrl, rekorUrl: 'https://r' }),
    )
    expect(error.input).toBe('fulcio-url')
    expect(error.message).toMatch(/one http\(s\) URL on one line/)
    expect(error.message).not.toMatch(/[\r\n]/)
  })

  it('custom URLs are returned as the parser read them (href), not as typed', () => {
    expect(
      resolveSigstoreEndpoints({
        mode: 'custom',
        fulcioUrl: ' HTTPS://Fulcio.Example:443/a/../api/ ',
        rekorUrl: 'https://rekor.example/%7Euser/',
      }),
    ).toEqual({
      mode: 'custom',
      fulcioURL: 'https://fulcio.example/api',
      rekorURL: 'https://rekor.example/%7Euser',
    })
  })

  it('custom URLs given with another mode are an error, not silently ignored', () => {
    const error = inputError(() =>
      resolveSigstoreEndpoints({ mode: 'github', rekorUrl: 'https://r' }),
    )
    expect(error.input).toBe('rekor-url')
    expect(error.message).toContain('custom')
    expect(resolveSigstoreEndpoints({ mode: 'github', rekorUrl: '', fulcioUrl: '' })).toEqual(
      GITHUB_ENDPOINTS,
    )
  })
})
