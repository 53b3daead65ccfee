import { l as logLine } from './log-text-D6hIR9ql.js';

const stderrReporter = {
  info: (message) => process.stderr.write(`${logLine(message)}
`),
  notice: (message) => process.stderr.write(`notice: ${logLine(message)}
`),
  warning: (message) => process.stderr.write(`warning: ${logLine(message)}
`)
};

export { stderrReporter as s };
