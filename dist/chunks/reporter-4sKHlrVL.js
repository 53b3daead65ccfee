import { warning, notice, info } from './core-NnQO8tC0.js';
import { l as logLine } from './log-text-O5UIUIY4.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'http';
import 'https';
import './index-DSiugQJ4.js';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
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
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'child_process';
import 'timers';

const actionsReporter = {
  info: (message) => info(logLine(message)),
  notice: (message, properties) => notice(message, properties),
  warning: (message, properties) => warning(message, properties)
};

export { actionsReporter };
