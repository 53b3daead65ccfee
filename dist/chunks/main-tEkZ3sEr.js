import { w as writeToDescriptor, l as logLine, I as InputError, e as errorMessage } from './log-text-O5UIUIY4.js';

let direct = false;
function writeToDescriptors() {
  direct = true;
}
function out(text) {
  if (direct) writeToDescriptor(1, text);
  else process.stdout.write(text);
}
function err(text) {
  if (direct) writeToDescriptor(2, text);
  else process.stderr.write(text);
}
const stderrReporter = {
  info: (message) => err(`${logLine(message)}
`),
  notice: (message) => err(`notice: ${logLine(message)}
`),
  warning: (message) => err(`warning: ${logLine(message)}
`)
};

const EXIT_OK = 0;
const EXIT_NOT_VERIFIED = 1;
const EXIT_USAGE = 2;
const USAGE = `Usage:
  immutable-release manifest [--base-dir D] [--checksums F] [--out-dir D] <pattern...>
      Hash the artifacts matched by the glob patterns (relative to --base-dir, default .)
      and write release-manifest.json and SHA256SUMS to --out-dir (default .).
      Prints the manifest digest (sha256:<hex>) on its last line.

  immutable-release verify <dir> --repo OWNER/REPO [--tag TAG] [--signer-workflow PATTERN]
                           [--trusted-root FILE] [--server-url URL] [--json]
                           [--withdrawal FILE_OR_DIR] [--withdrawal-signer-workflow PATTERN]
                           [--allow-withdrawn]
  immutable-release verify --release OWNER/REPO@TAG [same options]
      Verify downloaded release assets offline: digests, Sigstore signatures, signer
      identity, provenance and change record, and whether the release was withdrawn.
      Exit 0 verified, 1 not verified or withdrawn, 2 usage error.
      --release downloads through the GitHub API (GITHUB_TOKEN or GH_TOKEN, GITHUB_API_URL)
      and looks up the release withdrawn/TAG and the attestations API.
      See docs/verifying.md.

  immutable-release audit --repo OWNER/REPO [--since TAG] [--download] [verify's options]
                          [--json] [--html FILE] [--register FILE.csv|FILE.json]
  immutable-release audit <dir> --repo OWNER/REPO [same options]
      Check every release (or <dir>: one sub-folder per tag) and the signed chain between
      them: unsigned releases, broken links, deletions, forks, moved tags, withdrawals.
      Exit 0 no findings, 1 findings, 2 usage error. See docs/verifying.md.

  immutable-release pseudonym --domain D [--key-id K] [--type T] <github-login|email>
      Print the pseudonym change records hold for a person (access requests, audits).
      Reads the key from IMMUTABLE_RELEASE_PSEUDONYMIZATION_KEY, never from an argument.
      --domain is the record's identifiers.domain; --key-id its key id (default k1);
      --type approver for an approver written as neither a login nor an e-mail address.
      See docs/gdpr.md.
`;
const builtin = {
  util: () => process.getBuiltinModule("node:util"),
  path: () => process.getBuiltinModule("node:path"),
  fs: () => process.getBuiltinModule("node:fs/promises")
};
async function manifestCommand(args) {
  const { parseArgs } = builtin.util();
  const { resolve } = builtin.path();
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "base-dir": { type: "string", default: "." },
      checksums: { type: "string" },
      "out-dir": { type: "string", default: "." },
      repository: { type: "string" },
      commit: { type: "string" },
      tag: { type: "string" }
    }
  });
  const workspace = resolve(values["base-dir"]);
  const outDir = resolve(values["out-dir"]);
  if (positionals.length === 0 && !values.checksums) {
    throw new InputError("pattern", "give at least one glob pattern or --checksums FILE.");
  }
  await builtin.fs().mkdir(outDir, { recursive: true });
  const { writeManifest } = await import('./manifest-command-DSpvxwIz.js');
  await writeManifest({
    workspace,
    outDir,
    patterns: positionals,
    checksums: values.checksums,
    source: {
      ...values.repository ? { repository: values.repository } : {},
      ...values.commit ? { commit: values.commit } : {},
      ...values.tag ? { tag: values.tag } : {}
    }
  });
  return EXIT_OK;
}
async function main(argv) {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "manifest":
        return await manifestCommand(rest);
      case "verify":
        return await (await import('./verify-command-5txqn-3T.js')).runVerifyCommand(rest);
      case "audit":
        return await (await import('./audit-command-DwHoB4B0.js').then(function (n) { return n.d; })).runAuditCommand(rest);
      case "pseudonym":
        return (await import('./pseudonym-command-BS10tqdQ.js')).runPseudonymCommand(rest);
      case void 0:
      case "-h":
      case "--help":
      case "help":
        out(USAGE);
        return command === void 0 ? EXIT_USAGE : EXIT_OK;
      default:
        err(`Unknown command '${logLine(command)}'.

${USAGE}`);
        return EXIT_USAGE;
    }
  } catch (error) {
    const usage = error instanceof InputError || error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
    err(`error: ${logLine(errorMessage(error))}
`);
    return usage ? EXIT_USAGE : EXIT_NOT_VERIFIED;
  }
}

const AUDIT_SEMI_SPACE_MB = 8;
const AUDIT_HEAP_FLAG = `--max-semi-space-size=${AUDIT_SEMI_SPACE_MB}`;
function execWithAuditHeapLimit() {
  const flagged = [...process.execArgv, process.env["NODE_OPTIONS"] ?? ""].some(
    (arg) => arg.includes("--max-semi-space-size")
  );
  if (flagged || typeof process.execve !== "function" || process.platform === "win32") return false;
  const script = process.argv[1];
  if (!script) return false;
  for (const stream of [process.stdout, process.stderr]) {
    const handle = stream._handle;
    handle?.setBlocking?.(true);
  }
  process.execve(process.execPath, [
    process.execPath,
    ...process.execArgv,
    AUDIT_HEAP_FLAG,
    script,
    ...process.argv.slice(2)
  ]);
  return true;
}
const argv = process.argv.slice(2);
if (argv[0] !== "audit" || !execWithAuditHeapLimit()) {
  writeToDescriptors();
  void main(argv).then((code) => {
    process.exitCode = code;
  });
}

export { AUDIT_SEMI_SPACE_MB as A, EXIT_OK as E, err as e, out as o, stderrReporter as s };
