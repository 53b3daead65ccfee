class InputError extends Error {
  input;
  constructor(input, message, options) {
    super(`Input '${input}': ${message}`, options);
    this.name = "InputError";
    this.input = input;
  }
}
class ServiceError extends Error {
  service;
  url;
  constructor(service, url, message, options) {
    super(`${service} (${url}): ${message}`, options);
    this.name = "ServiceError";
    this.service = service;
    this.url = url;
  }
}
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

const OTHER_LINE_BREAKS = /[\u0085\u2028\u2029]/g;
const CONTROLS = new RegExp("(?![\\r\\n])\\p{Cc}", "gu");
const LEADING_COMMAND = /^(\s*)::/;
function percentEncode(char) {
  return [...Buffer.from(char, "utf8")].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}
function escapeCommandData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeLogData(text) {
  return escapeCommandData(text).replace(OTHER_LINE_BREAKS, percentEncode).replace(CONTROLS, percentEncode);
}
function logLine(text) {
  return escapeLogData(text).replace(LEADING_COMMAND, "$1%3A:");
}
function plainText(text) {
  return text.replace(/[\r\n\t\u0085\u2028\u2029]+/g, " ").replace(CONTROLS, "").trim();
}

export { InputError as I, ServiceError as S, escapeCommandData as a, errorMessage as e, logLine as l, plainText as p };
