import { a as escapeCommandData, w as writeToDescriptor } from './log-text-O5UIUIY4.js';

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
  if (direct) writeToDescriptor(1, text);
  else process.stdout.write(text);
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
