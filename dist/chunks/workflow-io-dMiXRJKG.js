import { a as escapeCommandData } from './log-text-D6hIR9ql.js';

function getInput(name, options = {}) {
  const value = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  return options.trimWhitespace === false ? value : value.trim();
}
let direct = false;
function beforeStdout(task) {
  direct = true;
  try {
    return task();
  } finally {
    direct = false;
  }
}
function writeOut(text) {
  if (direct) {
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) {
        written += process.getBuiltinModule("node:fs").writeSync(1, bytes, written);
      }
      return;
    } catch {
      direct = false;
      process.stdout.write(bytes.subarray(written));
      return;
    }
  }
  process.stdout.write(text);
}
function issueCommand(command, message) {
  const { EOL } = process.getBuiltinModule("node:os");
  writeOut(`::${command}::${escapeCommandData(message)}${EOL}`);
}
function setSecret(secret) {
  issueCommand("add-mask", secret);
}
function setFailed(message) {
  process.exitCode = 1;
  issueCommand("error", message);
}

export { setFailed as a, beforeStdout as b, getInput as g, setSecret as s };
