// The one output layer of the action and the CLI. A GitHub runner reads every line a step writes
// (stdout and stderr) for workflow commands: a line that starts with `::`, after leading
// whitespace, is obeyed (`::add-mask::`, `::stop-commands::`, `::warning …::`). Messages carry
// text nobody here controls (GitHub's error messages, file names, inputs, a change record), so
// each message is made one line that cannot start a command before it is written.

/** Line breaks a reader may split on besides CR and LF: NEL, LINE and PARAGRAPH SEPARATOR. */
const OTHER_LINE_BREAKS = /[\u0085\u2028\u2029]/g
/** C0 and C1 controls and DEL, except the CR and LF escaped on their own. */
const CONTROLS = /(?![\r\n])\p{Cc}/gu
/** A leading `::`, after the whitespace the runner trims before it looks for a command. */
const LEADING_COMMAND = /^(\s*)::/

/** `%XX` for each UTF-8 byte of the character: visible, and unambiguous once `%` is escaped. */
function percentEncode(char: string): string {
  return [...Buffer.from(char, 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('')
}

/**
 * Workflow-command data escaping exactly as @actions/core does it: `%` → `%25`, CR → `%0D`,
 * LF → `%0A`, which the runner decodes. Exact, because `::add-mask::` must mask the very value.
 */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/**
 * {@link escapeCommandData}, and the same notation for the other line breaks and the control
 * characters, so that no character of the message can end its line or steer the terminal.
 */
export function escapeLogData(text: string): string {
  return escapeCommandData(text)
    .replace(OTHER_LINE_BREAKS, percentEncode)
    .replace(CONTROLS, percentEncode)
}

/**
 * One line of ours for the log: escaped as {@link escapeLogData}, and a leading `::` written
 * `%3A:` so the runner never reads it as a command. Every informational line goes through
 * here; the code issues the commands it means through @actions/core, which escapes their data.
 */
export function logLine(text: string): string {
  return escapeLogData(text).replace(LEADING_COMMAND, '$1%3A:')
}

/**
 * Text quoted from a record for a person to read: line breaks and tabs become spaces and every
 * other control character is dropped, so it reads as one line and cannot steer the terminal.
 */
export function plainText(text: string): string {
  return text
    .replace(/[\r\n\t\u0085\u2028\u2029]+/g, ' ')
    .replace(CONTROLS, '')
    .trim()
}
