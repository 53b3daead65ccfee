/**
 * The release body: the author's notes, then the rendered change record, a blank line apart;
 * an empty part leaves no stray blank lines.
 */
export function assembleReleaseBody(notes: string, changeRecordMarkdown: string): string {
  return [notes.trim(), changeRecordMarkdown].filter(Boolean).join('\n\n')
}
