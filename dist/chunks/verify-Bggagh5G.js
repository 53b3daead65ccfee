import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve, join } from 'node:path';
import './policy-DjAvqSWB.js';
import './open-flags-BT7QmZNK.js';
import 'node:crypto';
import 'node:net';
import 'node:fs';
import 'node:stream/promises';
import 'node:worker_threads';
import './media-type-Dr6LIKcO.js';
import './change-record.v1-PQwpiILr.js';
import { f as verifyRequested, l as loadTrustedRoot, g as renderReport } from './verify-request-Ch78VWm7.js';
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
import 'node:util';
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
import './log-text-O5UIUIY4.js';
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

const REPORT_FILE = "immutable-release-verify-report.json";
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function headline(report) {
  const name = `${report.repository}${report.tag ? `@${report.tag}` : ""}`;
  if (report.verified) return `\u2705 Verified: ${name}`;
  if (report.withdrawal?.status === "withdrawn" && report.checks.every((c) => c.ok)) {
    return `\u26D4 Withdrawn: ${name}`;
  }
  return `\u274C Not verified: ${name}`;
}
async function verifyForAction(inputs, env, reporter) {
  const workspace = env["GITHUB_WORKSPACE"] || process.cwd();
  const report = await verifyRequested({
    dir: inputs.path ? resolve(workspace, inputs.path) : void 0,
    release: inputs.release,
    repo: inputs.repo,
    tag: inputs.tag,
    signerWorkflow: inputs.signerWorkflow,
    trustedRoot: await loadTrustedRoot(
      inputs.trustedRoot ? resolve(workspace, inputs.trustedRoot) : void 0,
      "trusted-root"
    ),
    serverUrl: env["GITHUB_SERVER_URL"] || void 0,
    withdrawalSignerWorkflow: inputs.withdrawalSignerWorkflow,
    allowWithdrawn: inputs.allowWithdrawn,
    apiUrl: env["GITHUB_API_URL"] || "https://api.github.com",
    token: inputs.token,
    reporter,
    releaseInput: "release"
  });
  const reportPath = join(env["RUNNER_TEMP"] || tmpdir(), REPORT_FILE);
  await writeFile(reportPath, renderReport(report, "json"));
  const text = renderReport(report, "text");
  const summary = `## ${escapeHtml(headline(report))}

<pre>${escapeHtml(text)}</pre>
`;
  return { report, text, reportPath, summary };
}

export { verifyForAction };
