// Entry of the `immutable-release` command.
import { main } from './commands.ts'

process.exitCode = await main(process.argv.slice(2))
