import { a as escapeCommandData } from './log-text-D6hIR9ql.js';

function getInput(name, options = {}) {
  const value = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  return options.trimWhitespace === false ? value : value.trim();
}
function issueCommand(command, message) {
  const { EOL } = process.getBuiltinModule("node:os");
  process.stdout.write(`::${command}::${escapeCommandData(message)}${EOL}`);
}
function setSecret(secret) {
  issueCommand("add-mask", secret);
}
function setFailed(message) {
  process.exitCode = 1;
  issueCommand("error", message);
}

export { setFailed as a, getInput as g, setSecret as s };
