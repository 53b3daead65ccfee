// Entry of the `immutable-release` command.
import { main } from './commands.ts'

// Deliberately no top-level await. Commands may import their heavy parts with import(), and the
// bundle's chunks can import modules they share with this entry back from it: an entry still
// awaiting at top level would then wait for itself (Node exits 13, "unsettled top-level await").
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
