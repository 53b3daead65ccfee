import { b as buildManifest, w as writeManifestFiles, r as resolveSourceDateEpoch } from './index-CczDmA2I.js';
import { l as logLine } from './log-text-O5UIUIY4.js';
import { o as out, s as stderrReporter } from './main-tEkZ3sEr.js';
import 'node:crypto';
import 'node:fs/promises';
import 'node:os';
import 'node:path';
import './concurrency-icQKjNbB.js';
import './path-BDJXcjM6.js';
import './read-user-file-BZ-0qY-O.js';
import './open-flags-BT7QmZNK.js';
import 'node:fs';
import './media-type-Dr6LIKcO.js';
import 'node:worker_threads';
import 'fs';
import 'path';
import 'url';
import 'module';
import './_commonjsHelpers-Bgu_3bK-.js';

async function writeManifest(request) {
  const { workspace, outDir } = request;
  const built = await buildManifest({
    workspace,
    patterns: request.patterns,
    checksumsFile: request.checksums,
    source: request.source,
    outDir,
    // Read (and warned about) only when a directory is packed: it dates tarball entries.
    sourceDateEpoch: () => resolveSourceDateEpoch({
      env: process.env,
      workspace,
      commit: request.source.commit ?? "HEAD",
      reporter: stderrReporter
    }),
    reporter: stderrReporter
  });
  const { manifestPath, sha256sumsPath } = await writeManifestFiles(built, outDir);
  out(`${built.subjects.length} subjects
`);
  out(`manifest: ${logLine(manifestPath)}
checksums: ${logLine(sha256sumsPath)}
`);
  out(`${built.digest}
`);
}

export { writeManifest };
