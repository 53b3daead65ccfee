import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { I as InputError } from './log-text-O5UIUIY4.js';

class UnreadableFileError extends InputError {
  reason;
  constructor(input, path, reason, options) {
    super(input, `${quoted(path)} ${reason}`, options);
    this.name = "UnreadableFileError";
    this.reason = reason;
  }
}
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
function kindOf(stat) {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "not a regular file";
}
function quoted(path) {
  return JSON.stringify(path);
}
async function openNoFollow(path, input) {
  try {
    return await open(path, OPEN_FLAGS);
  } catch (error) {
    const code = error.code;
    if (code === "ELOOP") {
      throw new UnreadableFileError(input, path, "is a symbolic link; name the file itself.", {
        cause: error
      });
    }
    throw error;
  }
}
async function readAtMost(handle, limit) {
  const buffer = Buffer.alloc(limit + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}
async function readRegularFile(path, options) {
  const { input, maxBytes } = options;
  const handle = await openNoFollow(path, input);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new UnreadableFileError(
        input,
        path,
        `is ${kindOf(stat)}, not a regular file; give a regular file.`
      );
    }
    const tooLarge = (size) => new UnreadableFileError(
      input,
      path,
      `is ${size} bytes; at most ${maxBytes} bytes are allowed. Give a smaller file.`
    );
    if (stat.size > maxBytes) throw tooLarge(String(stat.size));
    const bytes = await readAtMost(handle, maxBytes);
    if (bytes.length > maxBytes) throw tooLarge(`more than ${maxBytes}`);
    return bytes;
  } finally {
    await handle.close();
  }
}
async function readOptionalRegularFile(path, options) {
  try {
    return await readRegularFile(path, options);
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}

export { UnreadableFileError as U, readOptionalRegularFile as a, readRegularFile as r };
