import { parseArgs } from 'node:util';
import { I as InputError } from './log-text-O5UIUIY4.js';
import { o as out, s as stderrReporter } from './main-tEkZ3sEr.js';
import 'node:fs/promises';
import 'node:path';
import './policy-DjAvqSWB.js';
import './open-flags-BT7QmZNK.js';
import 'node:crypto';
import 'node:net';
import 'node:fs';
import 'node:stream/promises';
import 'node:os';
import 'node:worker_threads';
import './media-type-Dr6LIKcO.js';
import './change-record.v1-PQwpiILr.js';
import { e as parseReleaseRef, f as verifyRequested, l as loadTrustedRoot, g as renderReport } from './verify-request-Ch78VWm7.js';
import 'fs';
import 'os';
import 'http';
import 'https';
import './index-DSiugQJ4.js';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import './_commonjsHelpers-Bgu_3bK-.js';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'process';
import 'buffer';
import './read-user-file-BZ-0qY-O.js';
import 'http2';
import 'url';
import 'node:string_decoder';
import 'zlib';
import 'dns';
import 'crypto';
import 'stream';
import 'fs/promises';
import 'path';
import 'tty';
import 'timers/promises';
import 'node:child_process';
import './schema-CBC16QML.js';
import './schema-Dc5cwXO5.js';

const quietReporter = { ...stderrReporter, info: () => {
}, notice: () => {
} };
async function runVerifyCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      repo: { type: "string" },
      tag: { type: "string" },
      release: { type: "string" },
      "signer-workflow": { type: "string" },
      "trusted-root": { type: "string" },
      "server-url": { type: "string" },
      withdrawal: { type: "string" },
      "withdrawal-signer-workflow": { type: "string" },
      "allow-withdrawn": { type: "boolean", default: false },
      json: { type: "boolean", default: false }
    }
  });
  const release = values.release ? parseReleaseRef(values.release) : void 0;
  if (release && positionals.length > 0) {
    throw new InputError("--release", "give either a folder or --release OWNER/REPO@TAG, not both.");
  }
  if (!release && positionals.length !== 1) {
    throw new InputError("dir", "give exactly one folder of downloaded release assets.");
  }
  const repo = values.repo ?? (release ? `${release.owner}/${release.repo}` : void 0);
  if (!repo)
    throw new InputError("--repo", "is required: the OWNER/REPO the release must come from.");
  const report = await verifyRequested({
    dir: positionals[0],
    release,
    repo,
    tag: values.tag ?? release?.tag,
    signerWorkflow: values["signer-workflow"],
    trustedRoot: await loadTrustedRoot(values["trusted-root"]),
    serverUrl: values["server-url"] || process.env["GITHUB_SERVER_URL"] || void 0,
    // --withdrawal names the files; --release looks on GitHub; a folder alone is looked in.
    withdrawalPath: values.withdrawal,
    withdrawalSignerWorkflow: values["withdrawal-signer-workflow"],
    allowWithdrawn: values["allow-withdrawn"],
    apiUrl: process.env["GITHUB_API_URL"] || "https://api.github.com",
    token: process.env["GITHUB_TOKEN"] || process.env["GH_TOKEN"] || void 0,
    reporter: quietReporter,
    releaseInput: "--release"
  });
  out(renderReport(report, values.json ? "json" : "text"));
  return report.verified ? 0 : 1;
}

export { loadTrustedRoot, runVerifyCommand };
