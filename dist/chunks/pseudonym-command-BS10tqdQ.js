import { parseArgs } from 'node:util';
import 'node:fs/promises';
import 'node:path';
import './policy-DjAvqSWB.js';
import { I as InputError } from './log-text-O5UIUIY4.js';
import './open-flags-BT7QmZNK.js';
import { P as Pseudonymizer } from './pseudonymizer-BoyR4zr4.js';
import 'node:crypto';
import 'node:net';
import 'node:fs';
import 'node:stream/promises';
import { o as out, E as EXIT_OK } from './main-tEkZ3sEr.js';
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
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'process';
import 'buffer';

const PSEUDONYMIZATION_KEY_ENV = "IMMUTABLE_RELEASE_PSEUDONYMIZATION_KEY";
const TYPES = ["github-user", "email", "approver"];
function identifierType(identifier, given) {
  if (given !== void 0) {
    if (TYPES.includes(given)) return given;
    throw new InputError("--type", `expected one of ${TYPES.join(", ")}, got '${given}'`);
  }
  return /^[^\s@]+@[^\s@]+$/.test(identifier.trim()) ? "email" : "github-user";
}
function keyedPseudonymizer(key, keyId, domain) {
  try {
    return Pseudonymizer.fromKey(key, { keyId, domain });
  } catch (error) {
    if (error instanceof InputError && error.input === "pseudonymization-key") {
      throw new InputError(PSEUDONYMIZATION_KEY_ENV, error.message.replace(/^Input '[^']*': /, ""));
    }
    throw error;
  }
}
function runPseudonymCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      domain: { type: "string" },
      "key-id": { type: "string", default: "k1" },
      type: { type: "string" }
    }
  });
  if (!values.domain) {
    throw new InputError(
      "--domain",
      "is required: the record's identifiers.domain (the repository id, or the pseudonymization-domain input)"
    );
  }
  const [identifier, ...extra] = positionals;
  if (identifier === void 0 || extra.length > 0 || identifier.trim() === "") {
    throw new InputError("identifier", "give exactly one GitHub login or e-mail address");
  }
  const key = process.env[PSEUDONYMIZATION_KEY_ENV] ?? "";
  if (!key.trim()) {
    throw new InputError(
      PSEUDONYMIZATION_KEY_ENV,
      "is not set: export the pseudonymization key in this variable (it is never taken as an argument)"
    );
  }
  const pseudonymizer = keyedPseudonymizer(key, values["key-id"], values.domain);
  const type = identifierType(identifier, values.type);
  const pseudonym = type === "github-user" ? pseudonymizer.approver(`github:${identifier.trim().replace(/^(?:@|github:)/i, "")}`) : pseudonymizer.pseudonym(type, identifier);
  out(`${pseudonym}
`);
  return EXIT_OK;
}

export { PSEUDONYMIZATION_KEY_ENV, runPseudonymCommand };
