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

const streamed = /* @__PURE__ */ new Set();
function streamOf(fd) {
  return fd === 1 ? process.stdout : process.stderr;
}
function writeToDescriptor(fd, text) {
  if (streamed.has(fd)) {
    streamOf(fd).write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) {
      written += process.getBuiltinModule("node:fs").writeSync(fd, bytes, written);
    }
  } catch {
    streamed.add(fd);
    streamOf(fd).write(bytes.subarray(written));
  }
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

export { InputError as I, ServiceError as S, escapeCommandData as a, errorMessage as e, logLine as l, plainText as p, writeToDescriptor as w };
