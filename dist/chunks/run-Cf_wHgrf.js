import * as os from 'os';
import os__default, { EOL } from 'os';
import * as require$$0 from 'crypto';
import * as fs from 'fs';
import { promises, constants } from 'fs';
import 'path';
import * as http from 'http';
import * as https from 'https';
import { r as requireTunnel, u as undiciExports, P as PER_PAGE, t as toGitHubError, s as statusOf$1, a as apiBaseUrl, b as retry, c as reread, e as expectObject, l as listAllPages, F as FileBody, d as downloadAndHashAsset, g as gitHubServiceError, i as isGitHubError, G as GITHUB_WORKFLOW_BUILD_TYPE, S as SLSA_PROVENANCE_V1, I as IN_TOTO_PAYLOAD_TYPE, f as distExports, B as BUNDLE_MEDIA_TYPE, h as distExports$1, j as serviceErrorFor, v as validateChangeRecordInput, k as formatViolations, m as readRegularFile, n as distExports$2, C as CHANGE_RECORD_ANNOTATION_KEY, o as CHANGE_RECORD_PREDICATE_TYPE, p as iteratePages, q as createGitHubClient, w as writeIntervalFor } from './schema-C6OBupwu.js';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import { I as InputError, a as errorMessage, S as ServiceError, l as logLine } from './log-text-Ct9KnBQZ.js';
import { randomBytes, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import 'node:stream/promises';
import { stat as stat$1, readFile, writeFile as writeFile$1, rename as rename$1, rm as rm$1, realpath } from 'node:fs/promises';
import path, { join, resolve, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { r as readInputs } from '../index.js';
import { C as COMMIT_SHA, S as SHA256_HEX, h as hashBytes, M as MANIFEST_FILE, I as IN_TOTO_STATEMENT_V1, i as isSha256Hex, s as silentReporter, c as canonicalJson, G as GIT_OBJECT_ID, a as CHANGE_RECORD_FILE, r as resolveSourceDateEpoch, P as PROVENANCE_BUNDLE_FILE, b as SHA256SUMS_FILE, d as CHANGE_RECORD_BUNDLE_FILE } from './source-date-epoch-Wk0nG86I.js';
import { isIPv6 } from 'node:net';
import { m as mapLimit, i as isInside, w as writeManifestFiles, b as buildManifest, p as parseSubjectPatterns } from './index-DG4XZ51e.js';
import 'node:stream';
import 'node:zlib';
import 'node:worker_threads';
import 'node:events';
import 'net';
import 'tls';
import 'util';
import 'node:assert';
import 'node:http';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'http2';
import 'url';
import 'buffer';
import 'node:string_decoder';
import 'zlib';
import 'dns';
import 'stream';
import 'fs/promises';
import 'tty';
import 'timers/promises';
import 'node:child_process';
import 'process';
import 'module';

// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}

/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + os.EOL);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}

// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!fs.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    fs.appendFileSync(filePath, `${toCommandValue(message)}${os.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${require$$0.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${os.EOL}${convertedValue}${os.EOL}${delimiter}`;
}

function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}

var tunnelExports = requireTunnel();

/* eslint-disable @typescript-eslint/no-explicit-any */
var __awaiter$4 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
var HttpCodes;
(function (HttpCodes) {
    HttpCodes[HttpCodes["OK"] = 200] = "OK";
    HttpCodes[HttpCodes["MultipleChoices"] = 300] = "MultipleChoices";
    HttpCodes[HttpCodes["MovedPermanently"] = 301] = "MovedPermanently";
    HttpCodes[HttpCodes["ResourceMoved"] = 302] = "ResourceMoved";
    HttpCodes[HttpCodes["SeeOther"] = 303] = "SeeOther";
    HttpCodes[HttpCodes["NotModified"] = 304] = "NotModified";
    HttpCodes[HttpCodes["UseProxy"] = 305] = "UseProxy";
    HttpCodes[HttpCodes["SwitchProxy"] = 306] = "SwitchProxy";
    HttpCodes[HttpCodes["TemporaryRedirect"] = 307] = "TemporaryRedirect";
    HttpCodes[HttpCodes["PermanentRedirect"] = 308] = "PermanentRedirect";
    HttpCodes[HttpCodes["BadRequest"] = 400] = "BadRequest";
    HttpCodes[HttpCodes["Unauthorized"] = 401] = "Unauthorized";
    HttpCodes[HttpCodes["PaymentRequired"] = 402] = "PaymentRequired";
    HttpCodes[HttpCodes["Forbidden"] = 403] = "Forbidden";
    HttpCodes[HttpCodes["NotFound"] = 404] = "NotFound";
    HttpCodes[HttpCodes["MethodNotAllowed"] = 405] = "MethodNotAllowed";
    HttpCodes[HttpCodes["NotAcceptable"] = 406] = "NotAcceptable";
    HttpCodes[HttpCodes["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
    HttpCodes[HttpCodes["RequestTimeout"] = 408] = "RequestTimeout";
    HttpCodes[HttpCodes["Conflict"] = 409] = "Conflict";
    HttpCodes[HttpCodes["Gone"] = 410] = "Gone";
    HttpCodes[HttpCodes["TooManyRequests"] = 429] = "TooManyRequests";
    HttpCodes[HttpCodes["InternalServerError"] = 500] = "InternalServerError";
    HttpCodes[HttpCodes["NotImplemented"] = 501] = "NotImplemented";
    HttpCodes[HttpCodes["BadGateway"] = 502] = "BadGateway";
    HttpCodes[HttpCodes["ServiceUnavailable"] = 503] = "ServiceUnavailable";
    HttpCodes[HttpCodes["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function (Headers) {
    Headers["Accept"] = "accept";
    Headers["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function (MediaTypes) {
    MediaTypes["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
const HttpRedirectCodes = [
    HttpCodes.MovedPermanently,
    HttpCodes.ResourceMoved,
    HttpCodes.SeeOther,
    HttpCodes.TemporaryRedirect,
    HttpCodes.PermanentRedirect
];
const HttpResponseRetryCodes = [
    HttpCodes.BadGateway,
    HttpCodes.ServiceUnavailable,
    HttpCodes.GatewayTimeout
];
const RetryableHttpVerbs = ['OPTIONS', 'GET', 'DELETE', 'HEAD'];
const ExponentialBackoffCeiling = 10;
const ExponentialBackoffTimeSlice = 5;
class HttpClientError extends Error {
    constructor(message, statusCode) {
        super(message);
        this.name = 'HttpClientError';
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, HttpClientError.prototype);
    }
}
class HttpClientResponse {
    constructor(message) {
        this.message = message;
    }
    readBody() {
        return __awaiter$4(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter$4(this, void 0, void 0, function* () {
                let output = Buffer.alloc(0);
                this.message.on('data', (chunk) => {
                    output = Buffer.concat([output, chunk]);
                });
                this.message.on('end', () => {
                    resolve(output.toString());
                });
            }));
        });
    }
    readBodyBuffer() {
        return __awaiter$4(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter$4(this, void 0, void 0, function* () {
                const chunks = [];
                this.message.on('data', (chunk) => {
                    chunks.push(chunk);
                });
                this.message.on('end', () => {
                    resolve(Buffer.concat(chunks));
                });
            }));
        });
    }
}
class HttpClient {
    constructor(userAgent, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
            if (requestOptions.ignoreSslError != null) {
                this._ignoreSslError = requestOptions.ignoreSslError;
            }
            this._socketTimeout = requestOptions.socketTimeout;
            if (requestOptions.allowRedirects != null) {
                this._allowRedirects = requestOptions.allowRedirects;
            }
            if (requestOptions.allowRedirectDowngrade != null) {
                this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
            }
            if (requestOptions.maxRedirects != null) {
                this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
            }
            if (requestOptions.keepAlive != null) {
                this._keepAlive = requestOptions.keepAlive;
            }
            if (requestOptions.allowRetries != null) {
                this._allowRetries = requestOptions.allowRetries;
            }
            if (requestOptions.maxRetries != null) {
                this._maxRetries = requestOptions.maxRetries;
            }
        }
    }
    options(requestUrl, additionalHeaders) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return this.request('OPTIONS', requestUrl, null, additionalHeaders || {});
        });
    }
    get(requestUrl, additionalHeaders) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return this.request('GET', requestUrl, null, additionalHeaders || {});
        });
    }
    del(requestUrl, additionalHeaders) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return this.request('DELETE', requestUrl, null, additionalHeaders || {});
        });
    }
    post(requestUrl, data, additionalHeaders) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return this.request('POST', requestUrl, data, additionalHeaders || {});
        });
    }
    patch(requestUrl, data, additionalHeaders) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return this.request('PATCH', requestUrl, data, additionalHeaders || {});
        });
    }
    put(requestUrl, data, additionalHeaders) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return this.request('PUT', requestUrl, data, additionalHeaders || {});
        });
    }
    head(requestUrl, additionalHeaders) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return this.request('HEAD', requestUrl, null, additionalHeaders || {});
        });
    }
    sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return this.request(verb, requestUrl, stream, additionalHeaders);
        });
    }
    /**
     * Gets a typed object from an endpoint
     * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
     */
    getJson(requestUrl_1) {
        return __awaiter$4(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            const res = yield this.get(requestUrl, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    postJson(requestUrl_1, obj_1) {
        return __awaiter$4(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.post(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    putJson(requestUrl_1, obj_1) {
        return __awaiter$4(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.put(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    patchJson(requestUrl_1, obj_1) {
        return __awaiter$4(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.patch(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    /**
     * Makes a raw http request.
     * All other methods such as get, post, patch, and request ultimately call this.
     * Prefer get, del, post and patch
     */
    request(verb, requestUrl, data, headers) {
        return __awaiter$4(this, void 0, void 0, function* () {
            if (this._disposed) {
                throw new Error('Client has already been disposed.');
            }
            const parsedUrl = new URL(requestUrl);
            let info = this._prepareRequest(verb, parsedUrl, headers);
            // Only perform retries on reads since writes may not be idempotent.
            const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb)
                ? this._maxRetries + 1
                : 1;
            let numTries = 0;
            let response;
            do {
                response = yield this.requestRaw(info, data);
                // Check if it's an authentication challenge
                if (response &&
                    response.message &&
                    response.message.statusCode === HttpCodes.Unauthorized) {
                    let authenticationHandler;
                    for (const handler of this.handlers) {
                        if (handler.canHandleAuthentication(response)) {
                            authenticationHandler = handler;
                            break;
                        }
                    }
                    if (authenticationHandler) {
                        return authenticationHandler.handleAuthentication(this, info, data);
                    }
                    else {
                        // We have received an unauthorized response but have no handlers to handle it.
                        // Let the response return to the caller.
                        return response;
                    }
                }
                let redirectsRemaining = this._maxRedirects;
                while (response.message.statusCode &&
                    HttpRedirectCodes.includes(response.message.statusCode) &&
                    this._allowRedirects &&
                    redirectsRemaining > 0) {
                    const redirectUrl = response.message.headers['location'];
                    if (!redirectUrl) {
                        // if there's no location to redirect to, we won't
                        break;
                    }
                    const parsedRedirectUrl = new URL(redirectUrl);
                    if (parsedUrl.protocol === 'https:' &&
                        parsedUrl.protocol !== parsedRedirectUrl.protocol &&
                        !this._allowRedirectDowngrade) {
                        throw new Error('Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.');
                    }
                    // we need to finish reading the response before reassigning response
                    // which will leak the open socket.
                    yield response.readBody();
                    // strip authorization header if redirected to a different hostname
                    if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                        for (const header in headers) {
                            // header names are case insensitive
                            if (header.toLowerCase() === 'authorization') {
                                delete headers[header];
                            }
                        }
                    }
                    // let's make the request with the new redirectUrl
                    info = this._prepareRequest(verb, parsedRedirectUrl, headers);
                    response = yield this.requestRaw(info, data);
                    redirectsRemaining--;
                }
                if (!response.message.statusCode ||
                    !HttpResponseRetryCodes.includes(response.message.statusCode)) {
                    // If not a retry code, return immediately instead of retrying
                    return response;
                }
                numTries += 1;
                if (numTries < maxTries) {
                    yield response.readBody();
                    yield this._performExponentialBackoff(numTries);
                }
            } while (numTries < maxTries);
            return response;
        });
    }
    /**
     * Needs to be called if keepAlive is set to true in request options.
     */
    dispose() {
        if (this._agent) {
            this._agent.destroy();
        }
        this._disposed = true;
    }
    /**
     * Raw request.
     * @param info
     * @param data
     */
    requestRaw(info, data) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => {
                function callbackForResult(err, res) {
                    if (err) {
                        reject(err);
                    }
                    else if (!res) {
                        // If `err` is not passed, then `res` must be passed.
                        reject(new Error('Unknown error'));
                    }
                    else {
                        resolve(res);
                    }
                }
                this.requestRawWithCallback(info, data, callbackForResult);
            });
        });
    }
    /**
     * Raw request with callback.
     * @param info
     * @param data
     * @param onResult
     */
    requestRawWithCallback(info, data, onResult) {
        if (typeof data === 'string') {
            if (!info.options.headers) {
                info.options.headers = {};
            }
            info.options.headers['Content-Length'] = Buffer.byteLength(data, 'utf8');
        }
        let callbackCalled = false;
        function handleResult(err, res) {
            if (!callbackCalled) {
                callbackCalled = true;
                onResult(err, res);
            }
        }
        const req = info.httpModule.request(info.options, (msg) => {
            const res = new HttpClientResponse(msg);
            handleResult(undefined, res);
        });
        let socket;
        req.on('socket', sock => {
            socket = sock;
        });
        // If we ever get disconnected, we want the socket to timeout eventually
        req.setTimeout(this._socketTimeout || 3 * 60000, () => {
            if (socket) {
                socket.end();
            }
            handleResult(new Error(`Request timeout: ${info.options.path}`));
        });
        req.on('error', function (err) {
            // err has statusCode property
            // res should have headers
            handleResult(err);
        });
        if (data && typeof data === 'string') {
            req.write(data, 'utf8');
        }
        if (data && typeof data !== 'string') {
            data.on('close', function () {
                req.end();
            });
            data.pipe(req);
        }
        else {
            req.end();
        }
    }
    /**
     * Gets an http agent. This function is useful when you need an http agent that handles
     * routing through a proxy server - depending upon the url and proxy environment variables.
     * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
     */
    getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
    }
    getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
            return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
    }
    _prepareRequest(method, requestUrl, headers) {
        const info = {};
        info.parsedUrl = requestUrl;
        const usingSsl = info.parsedUrl.protocol === 'https:';
        info.httpModule = usingSsl ? https : http;
        const defaultPort = usingSsl ? 443 : 80;
        info.options = {};
        info.options.host = info.parsedUrl.hostname;
        info.options.port = info.parsedUrl.port
            ? parseInt(info.parsedUrl.port)
            : defaultPort;
        info.options.path =
            (info.parsedUrl.pathname || '') + (info.parsedUrl.search || '');
        info.options.method = method;
        info.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
            info.options.headers['user-agent'] = this.userAgent;
        }
        info.options.agent = this._getAgent(info.parsedUrl);
        // gives handlers an opportunity to participate
        if (this.handlers) {
            for (const handler of this.handlers) {
                handler.prepareRequest(info.options);
            }
        }
        return info;
    }
    _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
            return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
    }
    /**
     * Gets an existing header value or returns a default.
     * Handles converting number header values to strings since HTTP headers must be strings.
     * Note: This returns string | string[] since some headers can have multiple values.
     * For headers that must always be a single string (like Content-Type), use the
     * specialized _getExistingOrDefaultContentTypeHeader method instead.
     */
    _getExistingOrDefaultHeader(additionalHeaders, header, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[header];
            if (headerValue) {
                clientHeader =
                    typeof headerValue === 'number' ? headerValue.toString() : headerValue;
            }
        }
        const additionalValue = additionalHeaders[header];
        if (additionalValue !== undefined) {
            return typeof additionalValue === 'number'
                ? additionalValue.toString()
                : additionalValue;
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    /**
     * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
     * Always returns a single string (not an array) since Content-Type should be a single value.
     * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
     * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
     * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
     */
    _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
            if (headerValue) {
                if (typeof headerValue === 'number') {
                    clientHeader = String(headerValue);
                }
                else if (Array.isArray(headerValue)) {
                    clientHeader = headerValue.join(', ');
                }
                else {
                    clientHeader = headerValue;
                }
            }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        // Return the first non-undefined value, converting numbers or arrays to strings if necessary
        if (additionalValue !== undefined) {
            if (typeof additionalValue === 'number') {
                return String(additionalValue);
            }
            else if (Array.isArray(additionalValue)) {
                return additionalValue.join(', ');
            }
            else {
                return additionalValue;
            }
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
            agent = this._proxyAgent;
        }
        if (!useProxy) {
            agent = this._agent;
        }
        // if agent is already assigned use that agent.
        if (agent) {
            return agent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        let maxSockets = 100;
        if (this.requestOptions) {
            maxSockets = this.requestOptions.maxSockets || http.globalAgent.maxSockets;
        }
        // This is `useProxy` again, but we need to check `proxyURl` directly for TypeScripts's flow analysis.
        if (proxyUrl && proxyUrl.hostname) {
            const agentOptions = {
                maxSockets,
                keepAlive: this._keepAlive,
                proxy: Object.assign(Object.assign({}, ((proxyUrl.username || proxyUrl.password) && {
                    proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
                })), { host: proxyUrl.hostname, port: proxyUrl.port })
            };
            let tunnelAgent;
            const overHttps = proxyUrl.protocol === 'https:';
            if (usingSsl) {
                tunnelAgent = overHttps ? tunnelExports.httpsOverHttps : tunnelExports.httpsOverHttp;
            }
            else {
                tunnelAgent = overHttps ? tunnelExports.httpOverHttps : tunnelExports.httpOverHttp;
            }
            agent = tunnelAgent(agentOptions);
            this._proxyAgent = agent;
        }
        // if tunneling agent isn't assigned create a new agent
        if (!agent) {
            const options = { keepAlive: this._keepAlive, maxSockets };
            agent = usingSsl ? new https.Agent(options) : new http.Agent(options);
            this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            agent.options = Object.assign(agent.options || {}, {
                rejectUnauthorized: false
            });
        }
        return agent;
    }
    _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
            proxyAgent = this._proxyAgentDispatcher;
        }
        // if agent is already assigned use that agent.
        if (proxyAgent) {
            return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        proxyAgent = new undiciExports.ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, ((proxyUrl.username || proxyUrl.password) && {
            token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}`
        })));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
                rejectUnauthorized: false
            });
        }
        return proxyAgent;
    }
    _getUserAgentWithOrchestrationId(userAgent) {
        const baseUserAgent = userAgent || 'actions/http-client';
        const orchId = process.env['ACTIONS_ORCHESTRATION_ID'];
        if (orchId) {
            // Sanitize the orchestration ID to ensure it contains only valid characters
            // Valid characters: 0-9, a-z, _, -, .
            const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, '_');
            return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
    }
    _performExponentialBackoff(retryNumber) {
        return __awaiter$4(this, void 0, void 0, function* () {
            retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
            const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
            return new Promise(resolve => setTimeout(() => resolve(), ms));
        });
    }
    _processResponse(res, options) {
        return __awaiter$4(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => __awaiter$4(this, void 0, void 0, function* () {
                const statusCode = res.message.statusCode || 0;
                const response = {
                    statusCode,
                    result: null,
                    headers: {}
                };
                // not found leads to null obj returned
                if (statusCode === HttpCodes.NotFound) {
                    resolve(response);
                }
                // get the result from the body
                function dateTimeDeserializer(key, value) {
                    if (typeof value === 'string') {
                        const a = new Date(value);
                        if (!isNaN(a.valueOf())) {
                            return a;
                        }
                    }
                    return value;
                }
                let obj;
                let contents;
                try {
                    contents = yield res.readBody();
                    if (contents && contents.length > 0) {
                        if (options && options.deserializeDates) {
                            obj = JSON.parse(contents, dateTimeDeserializer);
                        }
                        else {
                            obj = JSON.parse(contents);
                        }
                        response.result = obj;
                    }
                    response.headers = res.message.headers;
                }
                catch (err) {
                    // Invalid resource (contents not json);  leaving result obj null
                }
                // note that 3xx redirects are handled by the http layer.
                if (statusCode > 299) {
                    let msg;
                    // if exception/error in body, attempt to get better error
                    if (obj && obj.message) {
                        msg = obj.message;
                    }
                    else if (contents && contents.length > 0) {
                        // it may be the case that the exception is in the body message as string
                        msg = contents;
                    }
                    else {
                        msg = `Failed request: (${statusCode})`;
                    }
                    const err = new HttpClientError(msg, statusCode);
                    err.result = response.result;
                    reject(err);
                }
                else {
                    resolve(response);
                }
            }));
        });
    }
}
const lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => ((c[k.toLowerCase()] = obj[k]), c), {});

var __awaiter$3 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter$3(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}

var __awaiter$2 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return __awaiter$2(this, void 0, void 0, function* () {
            var _a;
            const httpclient = OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return __awaiter$2(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}

var __awaiter$1 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
const { access, appendFile, writeFile } = promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return __awaiter$1(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, constants.R_OK | constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return __awaiter$1(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return __awaiter$1(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
const summary = _summary;

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
const { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs.promises;
// export const {open} = 'fs'
process.platform === 'win32';
fs.constants.O_RDONLY;

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
/* eslint-disable @typescript-eslint/unbound-method */
process.platform === 'win32';

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
os__default.platform();
os__default.arch();

var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    }
    process.stdout.write(os.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function debug(message) {
    issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + os.EOL);
}
function getIDToken(aud) {
    return __awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}

async function compareCommits(client, params) {
  const { owner, repo, base, head, page } = params;
  const basehead = `${base}...${head}`;
  try {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead,
      per_page: PER_PAGE,
      page
    });
    return {
      totalCommits: data.total_commits,
      baseSha: data.base_commit.sha,
      status: data.status,
      commits: data.commits.map((c) => ({
        sha: c.sha,
        message: c.commit.message,
        ...c.commit.author ? { author: c.commit.author } : {}
      }))
    };
  } catch (error) {
    throw toGitHubError(error, `GET /repos/${owner}/${repo}/compare/${basehead}`);
  }
}

function attestationsUrl(client, owner, repo) {
  return `${apiBaseUrl(client)}/repos/${owner}/${repo}/attestations`;
}
async function storeAttestationBundle(client, request) {
  let data;
  try {
    ;
    ({ data } = await client.request("POST /repos/{owner}/{repo}/attestations", {
      owner: request.owner,
      repo: request.repo,
      bundle: request.bundle
    }));
  } catch (error) {
    const status = statusOf$1(error);
    if (status === 403 || status === 404)
      return { outcome: "unavailable", answer: `HTTP ${status}` };
    throw toGitHubError(error, `POST /repos/${request.owner}/${request.repo}/attestations`);
  }
  const id = data?.id;
  if (typeof id !== "number") throw new Error("the response has no attestation id");
  return { outcome: "stored", id };
}

async function readRepositoryFacts$1(client, owner, repo, onUnreadable = () => {
}) {
  try {
    const { data } = await client.rest.repos.get({ owner, repo });
    const visibility = data.visibility ?? (data.private ? "private" : "public");
    const ownerType = data.owner.type === "Organization" ? "Organization" : "User";
    return { visibility, ownerType };
  } catch (error) {
    onUnreadable(toGitHubError(error, `GET /repos/${owner}/${repo}`));
    return void 0;
  }
}

const TAG_MARKER = /immutable-release run (\S+) attempt (\d+)/;
const BODY_MARKER = /<!-- immutable-release: run_id=([^,\s]+), run_attempt=(\d+) -->/;
function tagClaimMessage(tag, run) {
  return `Release ${tag}

immutable-release run ${run.id} attempt ${run.attempt}
`;
}
function releaseBodyMarker(run) {
  return `<!-- immutable-release: run_id=${run.id}, run_attempt=${run.attempt} -->`;
}
function parseTagClaim(message) {
  const match = TAG_MARKER.exec(message ?? "");
  return match ? { id: match[1], attempt: Number(match[2]) } : void 0;
}
function parseReleaseMarker(body) {
  const match = BODY_MARKER.exec(body ?? "");
  return match ? { id: match[1], attempt: Number(match[2]) } : void 0;
}
function isResumableBy(owner, run) {
  return owner !== void 0 && owner.id === run.id && owner.attempt < run.attempt;
}
const NEVER_REPLACES = "This action never moves or replaces a tag or a release: choose a new tag (for example the next version).";
function decideStart(input) {
  const { tag, run, existingTag } = input;
  const releases = input.releases.filter((r) => r.tagName === tag);
  const published = releases.find((r) => !r.draft);
  if (published) {
    return {
      action: "refuse",
      reason: `a published release already uses tag "${tag}": ${published.htmlUrl}. ${NEVER_REPLACES}`
    };
  }
  const foreignDraft = releases.find((r) => !isResumableBy(parseReleaseMarker(r.body), run));
  if (foreignDraft) {
    return {
      action: "refuse",
      reason: `a draft release already uses tag "${tag}" (${foreignDraft.htmlUrl}); it was not created by an earlier attempt of this workflow run. ${NEVER_REPLACES} If that draft is abandoned, delete it first.`
    };
  }
  const ownDraft = releases[0];
  if (!existingTag) {
    return ownDraft ? { action: "resume", claimedObjectSha: void 0, draft: ownDraft } : { action: "claim" };
  }
  const claim = existingTag.tagObject ? parseTagClaim(existingTag.tagObject.message) : void 0;
  const pointsAt = existingTag.tagObject?.targetSha ?? existingTag.objectSha;
  if (existingTag.objectType === "commit" && ownDraft && pointsAt === input.commitSha) {
    return { action: "resume", claimedObjectSha: existingTag.objectSha, draft: ownDraft };
  }
  if (existingTag.objectType !== "tag" || !isResumableBy(claim, run)) {
    return {
      action: "refuse",
      reason: `tag "${tag}" already exists (commit ${pointsAt}). ${NEVER_REPLACES}`
    };
  }
  if (pointsAt !== input.commitSha) {
    return {
      action: "refuse",
      reason: `tag "${tag}" was claimed by attempt ${claim?.attempt} of this run at commit ${pointsAt}, but target-commitish now resolves to ${input.commitSha}. ${NEVER_REPLACES}`
    };
  }
  return { action: "resume", claimedObjectSha: existingTag.objectSha, draft: ownDraft };
}
function storedAssetProblem(asset, want) {
  if (asset.state !== "uploaded") return `an interrupted upload (state ${asset.state})`;
  if (asset.size !== want.size) return `size ${asset.size}, expected ${want.size}`;
  if (asset.digest !== null && asset.digest !== `sha256:${want.sha256}`) {
    return `digest ${asset.digest}, expected sha256:${want.sha256}`;
  }
  return void 0;
}
function uploadDigestProblem(uploaded, want) {
  if (uploaded.digest === null || uploaded.digest === `sha256:${want.sha256}`) return void 0;
  return `GitHub stored "${want.name}" with digest ${uploaded.digest}, expected sha256:${want.sha256}`;
}
function planAssets(expected, existing) {
  const byName = new Map(expected.map((a) => [a.name, a]));
  const plan = { keep: [], remove: [], upload: [] };
  const kept = /* @__PURE__ */ new Set();
  for (const asset of existing) {
    const want = byName.get(asset.name);
    let reason;
    if (!want) reason = "not part of this release";
    else if (kept.has(asset.name)) reason = "a duplicate";
    else reason = storedAssetProblem(asset, want);
    if (reason) plan.remove.push({ asset, reason });
    else {
      plan.keep.push(asset);
      kept.add(asset.name);
    }
  }
  plan.upload = expected.filter((a) => !kept.has(a.name));
  return plan;
}
function checkAssets(expected, actual) {
  const result = { problems: [], toHash: [] };
  const seen = /* @__PURE__ */ new Set();
  const byName = new Map(expected.map((a) => [a.name, a]));
  for (const asset of actual) {
    const want = byName.get(asset.name);
    if (!want) {
      result.problems.push(`unexpected asset "${asset.name}"`);
      continue;
    }
    if (seen.has(asset.name)) {
      result.problems.push(`asset "${asset.name}" appears twice`);
      continue;
    }
    seen.add(asset.name);
    if (asset.state !== "uploaded") {
      result.problems.push(`asset "${asset.name}" is not fully uploaded (state ${asset.state})`);
    } else if (asset.size !== want.size) {
      result.problems.push(`asset "${asset.name}" has ${asset.size} bytes, expected ${want.size}`);
    } else if (asset.digest === null) {
      result.toHash.push({ asset, expected: want });
    } else if (asset.digest !== `sha256:${want.sha256}`) {
      result.problems.push(
        `asset "${asset.name}" has digest ${asset.digest}, expected sha256:${want.sha256}`
      );
    }
  }
  for (const want of expected) {
    if (!seen.has(want.name)) result.problems.push(`asset "${want.name}" is missing`);
  }
  return result;
}
function draftRollback(release) {
  if (!release) return "gone";
  return release.draft ? "delete" : "keep-published";
}
function tagRollback(input) {
  if (input.target !== input.claimedObjectSha) return "not-ours";
  return input.publishedReleaseUsesTag ? "in-use" : "delete";
}
function cleanupSummary(leftBehind) {
  return leftBehind.length === 0 ? "Nothing was left behind: the draft, its assets and the tag were removed." : `Could not clean up: ${leftBehind.join("; ")}.`;
}

class ReleaseConflictError extends Error {
  tag;
  constructor(tag, message) {
    super(message);
    this.name = "ReleaseConflictError";
    this.tag = tag;
  }
}
class ReleaseFailedError extends Error {
  step;
  /** What could not be removed (empty when nothing was left behind). */
  leftBehind;
  constructor(step, message, leftBehind, options) {
    super(message, options);
    this.name = "ReleaseFailedError";
    this.step = step;
    this.leftBehind = leftBehind;
  }
}

function tagNameProblem(tag) {
  if (tag === "") return "the tag name is empty";
  if (tag === "@") return 'a tag cannot be named "@"';
  if (tag.startsWith("-")) return 'a tag name cannot start with "-"';
  if (tag.startsWith("/")) return 'a tag name cannot start with "/"';
  if (tag.endsWith("/")) return 'a tag name cannot end with "/"';
  if (tag.endsWith(".")) return 'a tag name cannot end with "."';
  if (tag.includes("//")) return 'a tag name cannot contain "//"';
  if (tag.includes("..")) return 'a tag name cannot contain ".."';
  if (tag.includes("@{")) return 'a tag name cannot contain "@{"';
  for (const char of tag) {
    const code = char.codePointAt(0);
    if (code < 32 || code === 127) {
      return `a tag name cannot contain control characters (found U+${code.toString(16).padStart(4, "0").toUpperCase()})`;
    }
    if (char === " ") return "a tag name cannot contain spaces";
    if ("~^:?*[\\".includes(char)) return `a tag name cannot contain "${char}"`;
  }
  for (const component of tag.split("/")) {
    if (component.startsWith(".")) return `the part "${component}" starts with "."`;
    if (component.endsWith(".lock")) return `the part "${component}" ends with ".lock"`;
  }
  return void 0;
}
function validateTagName(tag) {
  const problem = tagNameProblem(tag);
  if (problem) {
    throw new InputError(
      "tag",
      `"${tag}" is not a valid git tag name: ${problem}. Use a name such as v1.2.3.`
    );
  }
}

function notACommit(store, commitish) {
  return new InputError(
    "target-commitish",
    `"${commitish}" is not a branch, tag or commit of ${store.owner}/${store.repo}.`
  );
}
async function resolveCommit(store, commitish) {
  const sha = await store.resolveCommit(commitish);
  if (!sha) throw notACommit(store, commitish);
  return sha;
}
async function checkTagAvailable(store, tag, resume) {
  validateTagName(tag);
  let observed;
  try {
    observed = await store.readTag(tag);
  } catch (error) {
    throw store.describeFailure(`reading tag "${tag}" and its releases`, error);
  }
  const decision = decideStart({
    tag,
    commitSha: resume?.commitSha ?? "",
    run: resume?.run ?? { id: "", attempt: 0 },
    ...observed
  });
  if (decision.action === "refuse") throw new InputError("tag", decision.reason);
  return observed;
}
async function readStart(store, request) {
  const { tag, run } = request;
  try {
    const [sha, observed] = await Promise.all([
      // A full commit SHA (the run's own, by default) needs no lookup; creating the ref at it
      // fails by itself if the commit does not exist.
      COMMIT_SHA.test(request.targetCommitish) ? request.targetCommitish.toLowerCase() : store.resolveCommit(request.targetCommitish),
      request.observed ?? store.readTag(tag)
    ]);
    if (!sha) throw notACommit(store, request.targetCommitish);
    return { commitSha: sha, decision: decideStart({ tag, commitSha: sha, run, ...observed }) };
  } catch (error) {
    throw store.describeFailure(`reading tag "${tag}" and its releases`, error);
  }
}
async function claimTag(store, request, start, reporter) {
  const { tag, run } = request;
  const { commitSha, decision } = start;
  const resumedDraft = decision.action === "resume" ? decision.draft : void 0;
  if (decision.action === "resume") {
    reporter.info(
      `Resuming the release of ${tag} left by an earlier attempt of run ${run.id}` + (resumedDraft ? ` (draft ${resumedDraft.htmlUrl})` : " (tag claimed, no draft yet)")
    );
    if (decision.claimedObjectSha !== void 0) {
      return { tagObjectSha: decision.claimedObjectSha, resumedDraft };
    }
  }
  const claim = await store.claimTag(tag, commitSha, tagClaimMessage(tag, run));
  if (claim.lightweight) {
    reporter.info(
      `This server cannot create annotated tags (${claim.lightweight.reason}); claiming ${tag} with a lightweight tag.`
    );
  }
  if (claim.outcome === "refused") {
    throw new InputError(
      "target-commitish",
      `${claim.detail}. Check that the commit exists in ${store.owner}/${store.repo}.`
    );
  }
  if (claim.outcome === "taken") {
    throw new ReleaseConflictError(
      tag,
      `Tag "${tag}" was created by another run while this one was preparing (GitHub: ${claim.detail}). This action never moves or replaces a tag; nothing was written by this run.`
    );
  }
  reporter.info(`Claimed tag ${tag} at ${commitSha}`);
  return { tagObjectSha: claim.objectSha, resumedDraft };
}

const REPEAT_LOST_ANSWER = { attempts: 3, delayMs: 0 };
async function createDraft(store, request, commitSha) {
  const marker = releaseBodyMarker(request.run);
  const body = request.body ? `${request.body}

${marker}` : marker;
  let repeatable = false;
  return retry(
    async () => {
      repeatable = false;
      const result = await store.createDraft({
        tag: request.tag,
        commitSha,
        name: request.name ?? request.tag,
        body,
        prerelease: request.prerelease
      });
      if (result.outcome === "created") return result.draft;
      if (!result.mayExist) throw result.error;
      const mine = (await store.releasesWithTag(request.tag)).find(
        (r) => r.draft && (r.body ?? "").includes(marker)
      );
      if (mine) return resumeDraft(store, mine);
      repeatable = result.repeatable;
      throw result.error;
    },
    { ...REPEAT_LOST_ANSWER, retryable: () => repeatable }
  );
}
async function resumeDraft(store, existing) {
  const release = await store.getRelease(existing.id);
  if (!release || !release.draft)
    throw new Error(`draft ${existing.htmlUrl} is gone or was published meanwhile`);
  return {
    id: release.id,
    htmlUrl: release.htmlUrl,
    uploadUrl: release.uploadUrl,
    assets: await store.listAssets(release.id)
  };
}
async function publishDraft(store, releaseId, options) {
  let repeatable = false;
  const published = await retry(
    async () => {
      repeatable = false;
      const result = await store.publish(releaseId, options);
      if (result.outcome === "published") return result.release;
      const now = await store.getRelease(releaseId).catch(() => void 0);
      if (now && !now.draft) return now;
      repeatable = result.repeatable && now !== void 0;
      throw result.error;
    },
    { ...REPEAT_LOST_ANSWER, retryable: () => repeatable }
  );
  if (published.draft) {
    throw new Error("GitHub still reports the release as a draft after publishing it");
  }
  return published;
}

const MAKE_LATEST_VALUES = Object.freeze(["true", "false", "legacy"]);

async function validateAsset(asset, names) {
  if (!asset.name || asset.name.includes("/")) {
    throw new InputError(
      "assets",
      `"${asset.name}" is not a usable asset name (it must be non-empty and contain no "/").`
    );
  }
  if (names.has(asset.name)) {
    throw new InputError(
      "assets",
      `two assets are named "${asset.name}"; asset names must be unique.`
    );
  }
  names.add(asset.name);
  if (!SHA256_HEX.test(asset.sha256)) {
    throw new InputError(
      "assets",
      `the sha256 of "${asset.name}" must be 64 lower-case hex digits.`
    );
  }
  let size;
  try {
    size = (await stat$1(asset.path)).size;
  } catch {
    throw new InputError("assets", `cannot read "${asset.path}" for asset "${asset.name}".`);
  }
  if (size !== asset.size) {
    throw new InputError(
      "assets",
      `"${asset.path}" has ${size} bytes but the manifest says ${asset.size}; it changed after it was hashed.`
    );
  }
}
async function validateRequest(request) {
  validateTagName(request.tag);
  if (!request.targetCommitish.trim()) {
    throw new InputError("target-commitish", "is empty; give a branch, tag or commit SHA.");
  }
  const names = /* @__PURE__ */ new Set();
  for (const asset of request.assets) await validateAsset(asset, names);
  if (!MAKE_LATEST_VALUES.includes(request.makeLatest)) {
    throw new InputError(
      "make-latest",
      `must be 'true', 'false' or 'legacy', not '${String(request.makeLatest)}'.`
    );
  }
}

async function rollBackDraft(store, draftId, leftBehind, reporter) {
  try {
    const release = await store.getRelease(draftId);
    const action = draftRollback(release);
    if (release && action === "keep-published") {
      leftBehind.push(`release ${release.htmlUrl} was published and is left as it is`);
      return { tagInUse: true };
    }
    if (release && action === "delete") {
      await store.removeDraft(release.id);
      reporter.info(`Deleted draft release ${release.htmlUrl}`);
    }
    return { tagInUse: false };
  } catch (error) {
    leftBehind.push(`draft release ${draftId} (${errorMessage(error)})`);
    return { tagInUse: true };
  }
}
async function rollBackTag(store, tag, claimedObjectSha, leftBehind, reporter) {
  try {
    const target = await store.tagTarget(tag);
    const publishedReleaseUsesTag = (await store.releasesWithTag(tag)).some((r) => !r.draft);
    const action = tagRollback({ claimedObjectSha, target, publishedReleaseUsesTag });
    if (action === "delete") {
      await store.removeTag(tag);
      reporter.info(`Deleted tag ${tag}`);
    } else if (action === "in-use") {
      leftBehind.push(`tag ${tag} (a published release uses it)`);
    }
  } catch (error) {
    leftBehind.push(`tag ${tag} (${errorMessage(error)})`);
  }
}
async function rollBack(store, tag, created, reporter) {
  const leftBehind = [];
  const { tagInUse } = created.draftId === void 0 ? { tagInUse: false } : await rollBackDraft(store, created.draftId, leftBehind, reporter);
  if (created.tagObjectSha !== void 0 && !tagInUse) {
    await rollBackTag(store, tag, created.tagObjectSha, leftBehind, reporter);
  } else if (created.tagObjectSha !== void 0) {
    leftBehind.push(`tag ${tag}`);
  }
  return leftBehind;
}

async function uploadAssets(store, draft, request, reporter) {
  const plan = planAssets(request.assets, draft.assets);
  for (const { asset, reason } of plan.remove) {
    reporter.info(`Removing asset ${asset.name} from the draft: ${reason}`);
    await store.deleteAsset(asset.id);
  }
  const policy = request.uploadRetry ?? { attempts: 3, delayMs: 1e3 };
  let failure;
  await mapLimit(plan.upload, request.uploadConcurrency ?? 4, async (asset) => {
    if (failure) return;
    try {
      await uploadWithRetries(store, draft, asset, policy, reporter);
    } catch (error) {
      failure ??= { error };
    }
  });
  if (failure) throw failure.error;
}
function uploadFailure(result, asset) {
  if (result.outcome === "duplicate")
    return { error: result.error, retryable: true, duplicate: true };
  if (result.outcome === "failed") {
    return { error: result.error, retryable: result.retryable, duplicate: false };
  }
  const problem = uploadDigestProblem(result.asset, asset);
  return problem ? { error: new Error(problem), retryable: true, duplicate: false } : void 0;
}
async function uploadWithRetries(store, draft, asset, policy, reporter) {
  let retryable = false;
  await retry(
    async (attempt) => {
      retryable = false;
      const failure = uploadFailure(await store.upload(draft, asset), asset);
      if (!failure) return;
      const leftover = (await store.listAssets(draft.id)).filter((a) => a.name === asset.name);
      if (failure.duplicate && leftover.some((a) => storedAssetProblem(a, asset) === void 0)) {
        return;
      }
      if (!failure.retryable || attempt >= policy.attempts) {
        throw new Error(
          `uploading "${asset.name}" failed after ${attempt} attempt(s): ${errorMessage(failure.error)}`,
          { cause: failure.error }
        );
      }
      for (const partial of leftover) await store.deleteAsset(partial.id);
      reporter.info(
        `Upload of ${asset.name} failed (${errorMessage(failure.error)}); retrying (attempt ${attempt + 1})`
      );
      retryable = true;
      throw failure.error;
    },
    { ...policy, retryable: () => retryable }
  );
}
async function verifyAssets(store, releaseId, expected) {
  const actual = await store.listAssets(releaseId);
  const check = checkAssets(expected, actual);
  const digests = /* @__PURE__ */ new Map();
  for (const a of actual) if (a.digest) digests.set(a.id, a.digest);
  for (const { asset, expected: want } of check.toHash) {
    const { sha256, size } = await store.hashAsset(asset.id);
    if (sha256 !== want.sha256 || size !== want.size) {
      check.problems.push(
        `asset "${asset.name}" as downloaded has sha256 ${sha256} (${size} bytes), expected ${want.sha256}`
      );
    } else {
      digests.set(asset.id, `sha256:${sha256}`);
    }
  }
  if (check.problems.length > 0)
    throw new Error(`the uploaded assets do not match: ${check.problems.join("; ")}`);
  return actual.map((a) => ({
    id: a.id,
    name: a.name,
    digest: digests.get(a.id)
  }));
}

async function publishRelease(store, request, reporter) {
  await validateRequest(request);
  const { tag } = request;
  const { commitSha, decision } = await readStart(store, request);
  if (decision.action === "refuse") throw new InputError("tag", decision.reason);
  const claim = await claimTag(store, request, { commitSha, decision }, reporter);
  const created = { tagObjectSha: claim.tagObjectSha, draftId: void 0 };
  let step = "draft";
  try {
    const draft = claim.resumedDraft ? await resumeDraft(store, claim.resumedDraft) : await createDraft(store, request, commitSha);
    created.draftId = draft.id;
    step = "upload";
    await uploadAssets(store, draft, request, reporter);
    step = "check";
    const uploadedAssets = await verifyAssets(store, draft.id, request.assets);
    step = "publish";
    const published = await publishDraft(store, draft.id, {
      makeLatest: request.makeLatest,
      prerelease: request.prerelease
    });
    const immutable = published.immutable === true || await settingSaysImmutable(store, reporter);
    if (!immutable) {
      reporter.warning(
        `Release ${tag} is published but not immutable: the repository setting is off, so only this action's refusal protects the tag. Turn it on in Settings \u2192 General \u2192 Releases \u2192 "Enable release immutability".`
      );
    }
    return { id: published.id, url: published.htmlUrl, tag, commitSha, uploadedAssets, immutable };
  } catch (error) {
    const leftBehind = await rollBack(store, tag, created, reporter);
    const what = store.describeFailure(`the ${step} step`, error);
    throw new ReleaseFailedError(
      step,
      `Release ${tag} failed at the ${step} step: ${what.message}. ${cleanupSummary(leftBehind)}`,
      leftBehind,
      { cause: error }
    );
  }
}
async function settingSaysImmutable(store, reporter) {
  try {
    return await store.immutableReleasesEnabled() === true;
  } catch (error) {
    reporter.warning(`Could not read the immutable-releases setting: ${errorMessage(error)}`);
    return false;
  }
}

const CONTENT_TYPES = {
  text: "text/plain",
  json: "application/json"
};
function refuseMissingSubjects(subjects, dryRun) {
  const missing = subjects.filter((subject) => !subject.localPath);
  if (missing.length === 0 || dryRun) return;
  throw new InputError(
    "subject-checksums",
    `${missing.length} listed artifact(s) are not in the workspace, so they cannot be released: ${missing.slice(0, 10).map((s) => s.path).join(", ")}. Download them into the workspace before this step.`
  );
}
async function generatedAsset(file) {
  const bytes = await readFile(file.path);
  return {
    name: file.name,
    path: file.path,
    sha256: hashBytes(bytes),
    size: bytes.length,
    contentType: CONTENT_TYPES[file.format]
  };
}
async function releaseAssetFiles(subjects, generated) {
  const assets = subjects.map((subject) => ({
    name: subject.name,
    path: subject.localPath,
    sha256: subject.digest.sha256,
    size: subject.size ?? 0,
    contentType: subject.mediaType
  }));
  for (const file of generated) assets.push(await generatedAsset(file));
  return assets;
}

function assembleReleaseBody(notes, changeRecordMarkdown) {
  return [notes.trim(), changeRecordMarkdown].filter(Boolean).join("\n\n");
}

function validationCodes(error) {
  if (isGitHubError(error)) return error.validationCodes;
  if (statusOf$1(error) !== 422) return [];
  const data = error.response?.data;
  return (data?.errors ?? []).map((e) => e.code ?? "");
}
const answered = (error) => statusOf$1(error) !== void 0;
function isRetryableUploadFailure(error) {
  const status = statusOf$1(error);
  if (status === void 0) return true;
  return status >= 500 || status === 429 || status === 403 || status === 408;
}
function toView(data) {
  return {
    id: data.id,
    htmlUrl: data.html_url,
    uploadUrl: data.upload_url,
    draft: data.draft,
    immutable: data.immutable,
    tagName: data.tag_name
  };
}
function toAsset(a) {
  return { id: a.id, name: a.name, size: a.size, state: a.state, digest: a.digest ?? null };
}
const REPEAT_CUT_OFF = 3;
class GitHubReleaseStore {
  client;
  owner;
  repo;
  constructor(client, owner, repo) {
    this.client = client;
    this.owner = owner;
    this.repo = repo;
  }
  get repoParams() {
    return { owner: this.owner, repo: this.repo };
  }
  /** A read that answers undefined for a 404 (and the statuses in `missing`). */
  async readOrMissing(what, read, missing = [404]) {
    try {
      return await reread(async () => expectObject((await read()).data, what));
    } catch (error) {
      if (missing.includes(statusOf$1(error) ?? 0)) return void 0;
      throw error;
    }
  }
  async resolveCommit(ref) {
    const data = await this.readOrMissing(
      "GET commit",
      () => this.client.rest.repos.getCommit({ ...this.repoParams, ref }),
      [404, 422]
    );
    return data?.sha;
  }
  readTag(tag) {
    return Promise.all([this.getTag(tag), this.releasesWithTag(tag)]).then(
      ([existingTag, releases]) => ({ existingTag, releases })
    );
  }
  /** The tag ref and, for an annotated tag, the tag object it points at. */
  async getTag(tag) {
    const ref = await this.readOrMissing(
      "GET tag ref",
      () => this.client.rest.git.getRef({ ...this.repoParams, ref: `tags/${tag}` })
    );
    if (!ref) return void 0;
    const existing = { objectType: ref.object.type, objectSha: ref.object.sha };
    if (ref.object.type === "tag") {
      const sha = ref.object.sha;
      const data = await reread(
        async () => expectObject(
          (await this.client.rest.git.getTag({ ...this.repoParams, tag_sha: sha })).data,
          "GET tag object"
        )
      );
      existing.tagObject = { message: data.message, targetSha: data.object.sha };
    }
    return existing;
  }
  /** Every release using `tag`, drafts included (`GET /releases/tags/{tag}` hides drafts). */
  async releasesWithTag(tag) {
    const all = await listAllPages(
      this.client,
      "GET /repos/{owner}/{repo}/releases",
      this.repoParams,
      "GET /repos/{owner}/{repo}/releases"
    );
    return all.filter((r) => r.tag_name === tag).map((r) => ({
      id: r.id,
      draft: r.draft,
      htmlUrl: r.html_url,
      tagName: r.tag_name,
      body: r.body ?? null
    }));
  }
  async claimTag(tag, commitSha, message) {
    let objectSha;
    try {
      objectSha = await reread(async () => {
        const { data } = await this.client.rest.git.createTag({
          ...this.repoParams,
          tag,
          message,
          object: commitSha,
          type: "commit"
        });
        return expectObject(data, "POST git/tags").sha;
      });
    } catch (error) {
      const status = statusOf$1(error);
      if (status === 422) {
        return {
          outcome: "refused",
          detail: `GitHub refused a tag at ${commitSha}: ${errorMessage(error)}`
        };
      }
      if (status !== 404 && status !== 501) {
        throw this.describeFailure(`creating the tag object for "${tag}"`, error);
      }
      const outcome = await this.createTagRef(tag, commitSha, commitSha);
      return { ...outcome, lightweight: { reason: `HTTP ${status}` } };
    }
    return this.createTagRef(tag, objectSha, commitSha);
  }
  /**
   * POST /git/refs: the one atomic step that decides which run owns the tag. A cut-off answer
   * does not say whether the ref was written: the tag's target then does.
   */
  createTagRef(tag, objectSha, commitSha) {
    const claimed = { outcome: "claimed", objectSha };
    let repeatable = false;
    return retry(
      async (attempt) => {
        repeatable = false;
        try {
          const { data } = await this.client.rest.git.createRef({
            ...this.repoParams,
            ref: `refs/tags/${tag}`,
            sha: objectSha
          });
          expectObject(data, "POST git/refs");
          return claimed;
        } catch (error) {
          const target = await this.tagTarget(tag).catch(() => void 0);
          if (statusOf$1(error) === 422) {
            if (target === objectSha && objectSha !== commitSha) return claimed;
            if (target === void 0 && !/already exists/i.test(errorMessage(error))) {
              const detail = `GitHub refused to create tag "${tag}" at ${commitSha}: ${errorMessage(error)}`;
              return { outcome: "refused", detail };
            }
            return { outcome: "taken", detail: errorMessage(error) };
          }
          if (target === objectSha) return claimed;
          if (answered(error) || attempt >= REPEAT_CUT_OFF) {
            throw this.describeFailure(`creating tag "${tag}"`, error);
          }
          repeatable = true;
          throw error;
        }
      },
      { attempts: REPEAT_CUT_OFF, delayMs: 0, retryable: () => repeatable }
    );
  }
  async tagTarget(tag) {
    const ref = await this.readOrMissing(
      "GET tag ref",
      () => this.client.rest.git.getRef({ ...this.repoParams, ref: `tags/${tag}` })
    );
    return ref?.object.sha;
  }
  async removeTag(tag) {
    await this.client.rest.git.deleteRef({ ...this.repoParams, ref: `tags/${tag}` });
  }
  async createDraft(input) {
    try {
      const { data } = await this.client.rest.repos.createRelease({
        ...this.repoParams,
        tag_name: input.tag,
        target_commitish: input.commitSha,
        name: input.name,
        body: input.body,
        draft: true,
        prerelease: input.prerelease
      });
      expectObject(data, "POST releases");
      const draft = {
        id: data.id,
        htmlUrl: data.html_url,
        uploadUrl: data.upload_url,
        assets: data.assets.map(toAsset)
      };
      return { outcome: "created", draft };
    } catch (error) {
      const status = statusOf$1(error);
      const mayExist = status === void 0 || status >= 500 || validationCodes(error).includes("already_exists");
      return { outcome: "failed", error, mayExist, repeatable: !answered(error) };
    }
  }
  getRelease(id) {
    return this.readOrMissing(
      "GET release",
      () => this.client.rest.repos.getRelease({ ...this.repoParams, release_id: id })
    ).then((data) => data && toView(data));
  }
  async listAssets(releaseId) {
    const assets = await listAllPages(
      this.client,
      "GET /repos/{owner}/{repo}/releases/{release_id}/assets",
      { ...this.repoParams, release_id: releaseId },
      `GET release ${releaseId} assets`
    );
    return assets.map(toAsset);
  }
  /**
   * Streams one file to the release's own `upload_url` (GitHub Enterprise Server and the test
   * fake serve uploads elsewhere than uploads.github.com). Octokit's retry plugin is off for this
   * request: the flow retries after removing any partial asset an interrupted upload left.
   */
  async upload(draft, asset) {
    try {
      const { data } = await this.client.rest.repos.uploadReleaseAsset({
        ...this.repoParams,
        release_id: 0,
        url: draft.uploadUrl,
        name: asset.name,
        ...asset.label ? { label: asset.label } : {},
        // Octokit types the body as a string and hands it to the client's fetch as it is; that
        // fetch (client.ts) opens the file as a stream for each attempt.
        data: new FileBody(asset.path),
        headers: { "content-type": asset.contentType, "content-length": asset.size },
        request: { retries: 0 }
      });
      return { outcome: "uploaded", asset: toAsset(expectObject(data, `upload of ${asset.name}`)) };
    } catch (error) {
      if (validationCodes(error).includes("already_exists")) return { outcome: "duplicate", error };
      return { outcome: "failed", retryable: isRetryableUploadFailure(error), error };
    }
  }
  async deleteAsset(assetId) {
    await this.client.rest.repos.deleteReleaseAsset({ ...this.repoParams, asset_id: assetId });
  }
  /** SHA-256 of an asset's bytes, streamed from GitHub without holding the file in memory. */
  hashAsset(assetId) {
    return downloadAndHashAsset(this.client, { ...this.repoParams, assetId });
  }
  async publish(releaseId, options) {
    try {
      const { data } = await this.client.rest.repos.updateRelease({
        ...this.repoParams,
        release_id: releaseId,
        draft: false,
        prerelease: options.prerelease,
        make_latest: options.makeLatest
      });
      return { outcome: "published", release: toView(expectObject(data, "PATCH release")) };
    } catch (error) {
      return { outcome: "failed", error, repeatable: !answered(error) };
    }
  }
  async removeDraft(releaseId) {
    await this.client.rest.repos.deleteRelease({ ...this.repoParams, release_id: releaseId });
  }
  /**
   * The repository's immutable-releases setting: GitHub answers 404 when it is off. Reading it
   * needs admin read access, which a workflow token may lack: then the answer is unknown.
   */
  async immutableReleasesEnabled() {
    try {
      const { data } = await this.client.request(
        "GET /repos/{owner}/{repo}/immutable-releases",
        this.repoParams
      );
      return data.enabled === true;
    } catch (error) {
      if (statusOf$1(error) === 404) return false;
      if (statusOf$1(error) === 403) return void 0;
      throw error;
    }
  }
  describeFailure(what, error) {
    if (error instanceof InputError || error instanceof ReleaseConflictError || error instanceof ReleaseFailedError) {
      return error;
    }
    const resource = `repos/${this.owner}/${this.repo}`;
    return gitHubServiceError({ service: "GitHub API", resource, what }, error);
  }
}
function createReleaseStore(client, owner, repo) {
  return new GitHubReleaseStore(client, owner, repo);
}

function runUrl(context) {
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}/attempts/${context.runAttempt}`;
}

function digestHex(value, what) {
  const hex = value.toLowerCase().replace(/^sha256:/, "");
  if (!isSha256Hex(hex))
    throw new Error(`${what} is not a SHA-256 digest: ${JSON.stringify(value)}`);
  return hex;
}
function parseWorkflowRef(workflowRef) {
  const match = /^([^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+\.ya?ml)@(.+)$/.exec(workflowRef);
  if (!match) {
    throw new Error(
      `GITHUB_WORKFLOW_REF ${JSON.stringify(workflowRef)} is not of the form owner/repo/.github/workflows/<file>.yml@<ref>`
    );
  }
  return { repository: match[1], path: match[2], ref: match[3] };
}
function buildProvenanceStatement(input) {
  const { manifest, context, tag } = input;
  if (tag.trim() === "") throw new Error("the release tag is empty");
  const names = /* @__PURE__ */ new Set();
  const subject = [];
  const add = (name, sha256) => {
    if (names.has(name)) throw new Error(`two statement subjects are named ${JSON.stringify(name)}`);
    names.add(name);
    subject.push({
      name,
      digest: { sha256 },
      ...input.annotations ? { annotations: structuredClone(input.annotations) } : {}
    });
  };
  for (const s of manifest.subjects) add(s.name, digestHex(s.digest.sha256, `subject ${s.name}`));
  add(MANIFEST_FILE, digestHex(manifest.digest, "the manifest digest"));
  const workflow = parseWorkflowRef(context.workflowRef);
  const server = context.serverUrl.replace(/\/+$/, "");
  const github = {
    event_name: context.eventName
  };
  if (context.repositoryId) github.repository_id = context.repositoryId;
  if (context.repositoryOwnerId) github.repository_owner_id = context.repositoryOwnerId;
  if (input.workflow?.runnerEnvironment)
    github.runner_environment = input.workflow.runnerEnvironment;
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: {
          workflow: {
            ref: workflow.ref,
            repository: `${server}/${workflow.repository}`,
            path: workflow.path
          }
        },
        internalParameters: { github, release: { tag } },
        resolvedDependencies: [
          {
            uri: `git+${server}/${context.repository}@${context.ref}`,
            digest: { gitCommit: context.sha }
          }
        ]
      },
      runDetails: {
        builder: { id: `${server}/${input.workflow?.jobWorkflowRef ?? context.workflowRef}` },
        metadata: { invocationId: runUrl({ ...context, serverUrl: server }) }
      }
    }
  };
}

function workflowIdentityFromToken(token) {
  const payload = token.split(".")[1];
  let claims;
  try {
    claims = payload ? JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) : void 0;
  } catch {
    claims = void 0;
  }
  if (!claims || typeof claims !== "object") throw new Error("The OIDC identity token is not a JWT");
  const { job_workflow_ref: jobWorkflowRef, runner_environment: runnerEnvironment } = claims;
  return {
    ...typeof jobWorkflowRef === "string" ? { jobWorkflowRef } : {},
    ...typeof runnerEnvironment === "string" ? { runnerEnvironment } : {}
  };
}

const PUBLIC_GOOD_ENDPOINTS = {
  mode: "public-good",
  fulcioURL: "https://fulcio.sigstore.dev",
  rekorURL: "https://rekor.sigstore.dev"
};
const GITHUB_ENDPOINTS = {
  mode: "github",
  fulcioURL: "https://fulcio.githubapp.com",
  tsaURL: "https://timestamp.githubapp.com"
};
const MODES = ["auto", "public-good", "github", "custom"];
function serviceURL(input, raw) {
  const value = raw.trim();
  if (/[\s\p{Cc}]/u.test(value)) {
    throw new InputError(
      input,
      `${JSON.stringify(value)} holds a line break, space or control character; give one http(s) URL on one line`
    );
  }
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, `${JSON.stringify(value)} is not a URL; give an https:// URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(input, `${JSON.stringify(value)} must be an http(s) URL`);
  }
  if (url.username || url.password) {
    throw new InputError(input, "must not carry credentials; give the bare service URL");
  }
  return url.href.replace(/\/+$/, "");
}
function present(value) {
  return value !== void 0 && value.trim() !== "";
}
function resolveSigstoreEndpoints(options) {
  const mode = options.mode.trim();
  if (!MODES.includes(mode)) {
    throw new InputError(
      "sigstore",
      `${JSON.stringify(options.mode)} is not one of ${MODES.join(", ")}`
    );
  }
  const custom = {
    "fulcio-url": options.fulcioUrl,
    "rekor-url": options.rekorUrl,
    "tsa-url": options.tsaUrl
  };
  if (mode !== "custom") {
    for (const [input, value] of Object.entries(custom)) {
      if (present(value)) {
        throw new InputError(
          input,
          `is only used with 'sigstore: custom' (sigstore is '${mode}'); remove it or set sigstore to custom`
        );
      }
    }
  }
  switch (mode) {
    case "public-good":
      return { ...PUBLIC_GOOD_ENDPOINTS };
    case "github":
      return { ...GITHUB_ENDPOINTS };
    case "auto":
      return options.visibility === "public" ? { ...PUBLIC_GOOD_ENDPOINTS } : { ...GITHUB_ENDPOINTS };
    default: {
      if (!present(options.fulcioUrl)) {
        throw new InputError("fulcio-url", "is required with 'sigstore: custom'");
      }
      if (!present(options.rekorUrl) && !present(options.tsaUrl)) {
        throw new InputError(
          "rekor-url",
          "'sigstore: custom' needs a transparency log (rekor-url), a timestamp authority (tsa-url), or both"
        );
      }
      return {
        mode: "custom",
        fulcioURL: serviceURL("fulcio-url", options.fulcioUrl),
        ...present(options.rekorUrl) ? { rekorURL: serviceURL("rekor-url", options.rekorUrl) } : {},
        ...present(options.tsaUrl) ? { tsaURL: serviceURL("tsa-url", options.tsaUrl) } : {}
      };
    }
  }
}

const DEFAULT_RETRY = { retries: 3, minTimeoutMs: 1e3, maxTimeoutMs: 8e3 };
const DEFAULT_REQUEST_TIMEOUT_MS = 15e3;
async function signStatement(statement, options) {
  const { endpoints } = options;
  checkSignable(statement, endpoints);
  const reporter = options.reporter ?? silentReporter;
  const issuedTokens = [];
  const builder = bundleBuilder(options, issuedTokens);
  reporter.info(
    `Signing with Sigstore (${endpoints.mode}): Fulcio ${endpoints.fulcioURL}` + (endpoints.rekorURL ? `, Rekor ${endpoints.rekorURL}` : "") + (endpoints.tsaURL ? `, timestamp authority ${endpoints.tsaURL}` : "")
  );
  const stopRetryLog = reportRetries(reporter, issuedTokens);
  try {
    const bundle = await builder.create({
      data: canonicalJson(statement),
      type: IN_TOTO_PAYLOAD_TYPE
    });
    const json = distExports.bundleToJSON(bundle);
    if (json.mediaType !== BUNDLE_MEDIA_TYPE) {
      throw new Error(
        `@sigstore/sign produced a ${json.mediaType} bundle, expected ${BUNDLE_MEDIA_TYPE}`
      );
    }
    return json;
  } catch (error) {
    throw describeSigningError(error, endpoints, issuedTokens);
  } finally {
    stopRetryLog();
  }
}
function checkSignable(statement, endpoints) {
  if (statement._type !== IN_TOTO_STATEMENT_V1 || !Array.isArray(statement.subject) || statement.subject.length === 0) {
    throw new Error(`only ${IN_TOTO_STATEMENT_V1} statements with at least one subject are signed`);
  }
  if (!endpoints.rekorURL && !endpoints.tsaURL) {
    throw new InputError(
      "sigstore",
      "signing needs a transparency log or a timestamp authority to witness the signature"
    );
  }
}
function bundleBuilder(options, issuedTokens) {
  const { endpoints } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const fetchOptions = {
    retry: {
      retries: retry.retries,
      minTimeout: retry.minTimeoutMs,
      maxTimeout: retry.maxTimeoutMs,
      factor: 2
    },
    timeout: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  };
  const identityProvider = {
    getToken: async () => {
      const token = await options.getIdentityToken();
      issuedTokens.push(token);
      return token;
    }
  };
  const witnesses = [];
  if (endpoints.rekorURL) {
    witnesses.push(
      new distExports$1.RekorWitness({
        rekorBaseURL: endpoints.rekorURL,
        entryType: "dsse",
        fetchOnConflict: true,
        ...fetchOptions
      })
    );
  }
  if (endpoints.tsaURL) {
    witnesses.push(new distExports$1.TSAWitness({ tsaBaseURL: endpoints.tsaURL, ...fetchOptions }));
  }
  return new distExports$1.DSSEBundleBuilder({
    signer: new distExports$1.FulcioSigner({
      fulcioBaseURL: endpoints.fulcioURL,
      identityProvider,
      ...fetchOptions
    }),
    witnesses
  });
}
function isInternalError(error) {
  return error instanceof Error && error.name === "InternalError" && typeof error.code === "string";
}
const TOKEN_LIKE = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
function scrubTokens(message, tokens) {
  let scrubbed = message;
  for (const token of tokens) if (token) scrubbed = scrubbed.split(token).join("***");
  return scrubbed.replace(TOKEN_LIKE, "***");
}
function causeDetail(cause) {
  if (cause && typeof cause === "object") {
    const status = cause.statusCode;
    if (typeof status === "number")
      return `HTTP ${errorMessage(cause).replace(/^\(\d+\)\s*/, `${status} `)}`;
    const code = cause.code;
    if (typeof code === "string" && code !== "FETCH_ERROR") return `${code}: ${errorMessage(cause)}`;
  }
  return errorMessage(cause);
}
function statusOf(cause) {
  const status = cause?.statusCode;
  return typeof status === "number" ? status : void 0;
}
function describeSigningError(error, endpoints, tokens) {
  if (error instanceof InputError || error instanceof ServiceError) return error;
  if (!isInternalError(error))
    return new Error(scrubTokens(`Sigstore signing failed: ${errorMessage(error)}`, tokens));
  const detail = scrubTokens(causeDetail(error.cause ?? error), tokens);
  const status = statusOf(error.cause);
  switch (error.code) {
    case "CA_CREATE_SIGNING_CERTIFICATE_ERROR": {
      const hint = status === 401 || status === 403 ? "; Fulcio rejected the identity token: the workflow needs `permissions: id-token: write` and the token audience `sigstore`" : "";
      return new ServiceError(
        "Fulcio",
        endpoints.fulcioURL,
        `could not get a signing certificate (${detail})${hint}`
      );
    }
    case "TLOG_CREATE_ENTRY_ERROR":
      return new ServiceError(
        "Rekor",
        endpoints.rekorURL ?? "",
        `could not log the signature (${detail})`
      );
    case "TLOG_FETCH_ENTRY_ERROR":
      return new ServiceError(
        "Rekor",
        endpoints.rekorURL ?? "",
        `the entry exists but could not be read back (${detail})`
      );
    case "TSA_CREATE_TIMESTAMP_ERROR":
      return new ServiceError(
        "timestamp authority",
        endpoints.tsaURL ?? "",
        `could not timestamp the signature (${detail})`
      );
    case "IDENTITY_TOKEN_READ_ERROR": {
      const cause = error.cause;
      if (cause instanceof InputError || cause instanceof ServiceError) return cause;
      return new Error(
        `Could not get an OIDC identity token for Sigstore (${detail}); the workflow needs \`permissions: id-token: write\``
      );
    }
    case "IDENTITY_TOKEN_PARSE_ERROR":
      return new Error("The OIDC identity token is not a JWT with a `sub` or `email` claim");
    default:
      return new Error(
        scrubTokens(
          `Sigstore signing failed (${error.code}): ${error.message} (${detail})`,
          tokens
        )
      );
  }
}
function reportRetries(reporter, tokens) {
  const listener = (level, ...args) => {
    if (level !== "http" || args[0] !== "fetch") return;
    reporter.info(scrubTokens(`Sigstore: ${args.slice(1).map(String).join(" ")}`, tokens));
  };
  const emitter = process;
  emitter.on("log", listener);
  return () => emitter.off("log", listener);
}

async function writeBundle(bundle, file) {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`
  );
  try {
    await writeFile$1(temporary, `${JSON.stringify(bundle, null, 2)}
`, { flag: "wx" });
    await rename$1(temporary, file);
  } catch (error) {
    await rm$1(temporary, { force: true });
    throw error;
  }
  return file;
}

async function storeAttestation(client, request, reporter) {
  const { owner, repo } = request;
  let stored;
  try {
    stored = await storeAttestationBundle(client, request);
  } catch (error) {
    throw serviceErrorFor("storing the attestation", error, attestationsUrl(client, owner, repo));
  }
  if (stored.outcome === "stored") return stored.id;
  reporter.warning(
    `The attestation was not stored in ${owner}/${repo} (${stored.answer}): the workflow needs \`permissions: attestations: write\`, and GitHub Enterprise Server or the repository's plan may not offer artifact attestations. The signed bundle is still published with the release.`
  );
  return void 0;
}

function tokenServiceStatus(error) {
  return /Error Code\s*:\s*(\d+)/.exec(errorMessage(error))?.[1];
}
const OIDC_RETRY_POLICY = {
  attempts: 3,
  delayMs: 1e3,
  retryable: (error) => !["401", "403", "404"].includes(tokenServiceStatus(error) ?? "")
};
function tokenServiceError(error, requestUrl) {
  const url = URL.parse(requestUrl ?? "");
  const detail = errorMessage(error).replace(/\s+/g, " ").trim();
  const refused = /Error Code\s*:\s*(401|403)\b/.test(detail);
  return new ServiceError(
    "GitHub Actions OIDC token service",
    url ? `${url.origin}${url.pathname}` : "ACTIONS_ID_TOKEN_REQUEST_URL",
    `could not get an identity token for Sigstore (${detail}).${refused ? " The job needs 'permissions: id-token: write'." : ""} Nothing was signed or written.`
  );
}
function actionsIdentityProvider(options) {
  return {
    async getToken() {
      try {
        return await retry(
          () => options.requestToken("sigstore"),
          options.policy ?? OIDC_RETRY_POLICY
        );
      } catch (error) {
        throw tokenServiceError(error, options.requestUrl);
      }
    }
  };
}

function env(name, fallback) {
  const value = process.env[name];
  if (value) return value;
  if (fallback !== void 0) return fallback;
  throw new InputError(
    name,
    "is not set. The action reads the standard GitHub Actions environment; run it as a workflow step."
  );
}
function readRunContext() {
  const workspace = env("GITHUB_WORKSPACE", process.cwd());
  const runnerTemp = process.env["RUNNER_TEMP"];
  const tempDir = mkdtempSync(join(runnerTemp || tmpdir(), "immutable-release-"));
  return {
    serverUrl: env("GITHUB_SERVER_URL", "https://github.com").replace(/\/+$/, ""),
    apiUrl: env("GITHUB_API_URL", "https://api.github.com").replace(/\/+$/, ""),
    repository: env("GITHUB_REPOSITORY"),
    repositoryId: process.env["GITHUB_REPOSITORY_ID"],
    repositoryOwnerId: process.env["GITHUB_REPOSITORY_OWNER_ID"],
    sha: env("GITHUB_SHA"),
    ref: env("GITHUB_REF", ""),
    workflowRef: env("GITHUB_WORKFLOW_REF", ""),
    eventName: env("GITHUB_EVENT_NAME", ""),
    runId: env("GITHUB_RUN_ID"),
    runAttempt: env("GITHUB_RUN_ATTEMPT", "1"),
    workspace,
    tempDir
  };
}
function readRepositoryFacts() {
  const path = process.env["GITHUB_EVENT_PATH"];
  if (!path) return {};
  try {
    const payload = JSON.parse(readFileSync(path, "utf8"));
    const repository = payload.repository;
    if (!repository) return {};
    const visibility = repository.visibility === "public" || repository.visibility === "private" || repository.visibility === "internal" ? repository.visibility : repository.private === true ? "private" : repository.private === false ? "public" : void 0;
    const ownerType = repository.owner?.type === "User" || repository.owner?.type === "Organization" ? repository.owner.type : void 0;
    return { visibility, ownerType };
  } catch {
    return {};
  }
}

const actionsReporter = {
  info: (message) => info(logLine(message)),
  notice: (message, properties) => notice(message, properties),
  warning: (message, properties) => warning(message, properties)
};

const INPUT$1 = "change-record";
const MAX_CHANGE_RECORD_BYTES = 256 * 1024;
const MAX_ALIAS_COUNT = 50;
const MAX_DEPTH = 32;
async function loadChangeRecordInput(path, workspace) {
  if (path === void 0 || path.trim() === "") return void 0;
  const text = await readConfined(path.trim(), workspace);
  const doc = parseChangeRecordText(text, path);
  const violations = validateChangeRecordInput(doc);
  if (violations.length > 0) {
    throw new InputError(
      INPUT$1,
      `${path} is not a valid change record (schemas/change-record.v1.json): ${formatViolations(violations)}`
    );
  }
  const { $schema: _schema, ...input } = doc;
  return input;
}
async function readConfined(path, workspace) {
  const root = await realpath(workspace);
  let target;
  try {
    target = await realpath(resolve(root, path));
  } catch (error) {
    const code = error.code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new InputError(INPUT$1, `${path} does not exist in the workspace`);
    }
    throw error;
  }
  const inside = relative(root, target);
  if (inside === "" || inside.startsWith("..") || !isInside(root, target)) {
    throw new InputError(
      INPUT$1,
      `${path} is outside the workspace; give a path inside the repository checkout`
    );
  }
  const bytes = await readRegularFile(target, { input: INPUT$1, maxBytes: MAX_CHANGE_RECORD_BYTES });
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(INPUT$1, `${path} is not UTF-8 text`);
  }
}
function parseChangeRecordText(text, name = "the change record") {
  if (Buffer.byteLength(text, "utf8") > MAX_CHANGE_RECORD_BYTES) {
    throw new InputError(INPUT$1, `${name} is larger than ${MAX_CHANGE_RECORD_BYTES} bytes`);
  }
  let docs;
  const lineCounter = new distExports$2.LineCounter();
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    docs = distExports$2.parseAllDocuments(text, {
      lineCounter,
      version: "1.2",
      schema: "core",
      resolveKnownTags: false,
      merge: false,
      stringKeys: true,
      uniqueKeys: true,
      strict: true,
      // Pretty errors quote the text around every error, which is quadratic in a garbage
      // file with 100,000 errors (minutes for 200 KB of '"'); only the shown ones get a position.
      prettyErrors: false,
      logLevel: "silent"
    });
  } catch (error) {
    throw new InputError(INPUT$1, `${name} could not be parsed: ${error.message}`);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (!Array.isArray(docs)) docs = [];
  const [doc, ...extra] = docs;
  if (!doc || extra.length > 0) {
    throw new InputError(
      INPUT$1,
      `${name} must hold exactly one YAML document; it holds ${docs.length}`
    );
  }
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    const at = (offset) => {
      const { line, col } = lineCounter.linePos(offset);
      return ` at line ${line}, column ${col}`;
    };
    const shown = problems.slice(0, 5).map((e) => e.message.split("\n")[0] + at(e.pos[0])).join("; ") + (problems.length > 5 ? "; ..." : "");
    throw new InputError(INPUT$1, `${name} is not valid YAML or JSON: ${shown}`);
  }
  let tag = "";
  distExports$2.visit(doc, (_key, node) => {
    const nodeTag = node?.tag;
    if (!tag && nodeTag?.startsWith("tag:yaml.org,2002:") === false) tag = nodeTag;
  });
  if (tag) throw new InputError(INPUT$1, `${name} uses an unsupported YAML tag: ${tag}`);
  let value;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new InputError(
        INPUT$1,
        `${name} expands YAML aliases too much (more than ${MAX_ALIAS_COUNT}); write the values out`
      );
    }
    throw new InputError(INPUT$1, `${name} could not be read: ${error.message}`);
  }
  assertPlainJson(value, "", 0, name);
  return value;
}
function assertPlainJson(value, path, depth, name) {
  const fail = (what) => {
    throw new InputError(INPUT$1, `${name}: ${path || "/"} ${what}`);
  };
  if (depth > MAX_DEPTH) fail(`is nested more than ${MAX_DEPTH} levels deep`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail("is not a finite number (.nan and .inf are not JSON)");
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}/${i}`, depth + 1, name));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "__proto__") fail("has a __proto__ key");
      assertPlainJson(item, `${path}/${key}`, depth + 1, name);
    }
    return;
  }
  fail(`holds a value JSON cannot represent (${typeof value})`);
}

const INPUT = "pseudonymization-key";
const MIN_KEY_BYTES = 32;
const PSEUDONYM_HEX_LENGTH = 32;
const KEY_ID_PATTERN = /^[0-9a-z-]{1,32}$/;
class Pseudonymizer {
  keyId;
  // A private field: util.inspect, JSON.stringify and error reporters never see the key.
  #key;
  constructor(key, keyId) {
    this.#key = key;
    this.keyId = keyId;
  }
  /**
   * The key is the UTF-8 bytes of the secret, without surrounding whitespace. Generate one with
   * `openssl rand -base64 48`.
   */
  static fromKey(secret, options = {}) {
    const key = Buffer.from(secret.trim(), "utf8");
    if (key.length < MIN_KEY_BYTES) {
      throw new InputError(
        INPUT,
        `the key is ${key.length} bytes; it must be at least ${MIN_KEY_BYTES} random bytes (generate one with: openssl rand -base64 48)`
      );
    }
    if (new Set(key).size < 8) {
      throw new InputError(
        INPUT,
        "the key repeats a handful of characters; use random bytes (openssl rand -base64 48)"
      );
    }
    let keyId = options.keyId;
    if (keyId === void 0) {
      keyId = createHmac("sha256", key).update("immutable-release key-id").digest("hex").slice(0, 8);
    } else if (!KEY_ID_PATTERN.test(keyId)) {
      throw new InputError(
        INPUT,
        "the key id must be 1 to 32 lower-case letters, digits or hyphens, e.g. 2025-h1"
      );
    }
    return new Pseudonymizer(key, keyId);
  }
  pseudonym(domain, identifier) {
    const normalised = normaliseIdentifier(domain, identifier);
    const mac = createHmac("sha256", this.#key).update(`${domain}:${normalised}`).digest("hex");
    return `ps:${this.keyId}:${mac.slice(0, PSEUDONYM_HEX_LENGTH)}`;
  }
  /**
   * An approver as written in a change record: `@login` or `github:login` is a GitHub account
   * (the same pseudonym as that account triggering a run, so self-approval shows), an e-mail
   * address is an e-mail, anything else an opaque approver identifier.
   */
  approver(value) {
    const trimmed = value.trim();
    const github = /^(?:@|github:)([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?)$/i.exec(
      trimmed
    );
    if (github?.[1]) return this.pseudonym("github-user", github[1]);
    if (/^[^\s@]+@[^\s@]+$/.test(trimmed)) return this.pseudonym("email", trimmed);
    return this.pseudonym("approver", trimmed);
  }
  toJSON() {
    return { keyId: this.keyId };
  }
}
function normaliseIdentifier(domain, identifier) {
  const text = identifier.normalize("NFKC").trim();
  switch (domain) {
    case "github-user":
      return text.replace(/^@/, "").toLowerCase();
    case "email":
      return text.toLowerCase();
    case "approver":
      return text.replace(/\s+/g, " ").toLowerCase();
  }
}

const NONCE = /^[0-9a-f]{32}$/;
function buildChangeRecord(params, reporter) {
  const { input, run, pseudonymizer } = params;
  if (!params.tag) throw new TypeError("tag is required");
  const nonce = params.nonce ?? randomBytes(16).toString("hex");
  if (!NONCE.test(nonce)) throw new TypeError("nonce must be 32 lower-case hex digits");
  if (!input) {
    reporter.warning(
      "No change-record file was given: the change record holds only what the workflow run knows and marks the personal-data impact as 'unassessed'. Set the change-record input to document the change (see docs/gdpr.md)."
    );
  }
  if (!pseudonymizer) {
    reporter.info(
      "No pseudonymization-key is set: approvers and the account that triggered the run are left out of the change record."
    );
  }
  const record = {
    recordVersion: 1,
    release: {
      repository: run.repository,
      commit: commitSha(params.commit ?? run.sha, "release commit"),
      tag: params.tag,
      manifest: { name: MANIFEST_FILE, digest: digestSet(params.manifestDigest) }
    },
    chain: { previous: params.previous ? chainLink(params.previous) : null },
    run: {
      url: runUrl(run),
      workflowRef: run.workflowRef,
      eventName: run.eventName
    },
    createdAt: (params.now ?? /* @__PURE__ */ new Date()).toISOString(),
    nonce,
    identifiers: pseudonymizer ? { scheme: "hmac-sha256-128", keyId: pseudonymizer.keyId } : "omitted-no-key",
    signing: assessIdentityExposure(params.signing, run.repository, reporter),
    personalData: input ? structuredClone(input.personalData) : { impact: "unassessed" }
  };
  if (params.commits) {
    const { from, to, count } = params.commits;
    if (!Number.isInteger(count) || count < 0) throw new TypeError("commit count must be >= 0");
    record.chain.commits = {
      ...from ? { from: commitSha(from, "range start") } : {},
      to: commitSha(to, "range end"),
      count
    };
  }
  if (params.triggeredBy && pseudonymizer) {
    record.run.triggeredBy = pseudonymizer.pseudonym("github-user", params.triggeredBy);
  }
  if (input) {
    const change = structuredClone(input.change);
    if (change.approvals) {
      change.approvals = change.approvals.map(
        ({ approver, ...approval }) => approver && pseudonymizer ? { ...approval, approver: pseudonymizer.approver(approver) } : approval
      );
    }
    record.change = change;
  }
  return record;
}
function assessIdentityExposure(signing, repository, reporter) {
  const owner = repository.split("/")[0] ?? repository;
  const ownerIsPersonalAccount = signing.ownerType === "User" ? true : signing.ownerType === "Organization" ? false : null;
  if (signing.transparencyLog && ownerIsPersonalAccount) {
    reporter.warning(
      `Signing with a public transparency log: the signing certificate names the repository ${repository}, and the log will permanently and publicly link the personal account '${owner}' to this release. It cannot be erased. Use an organisation-owned repository, or a private Sigstore instance, if that is not intended.`
    );
  } else if (signing.transparencyLog && ownerIsPersonalAccount === null) {
    reporter.warning(
      `Signing with a public transparency log: the certificate names the repository ${repository}; if '${owner}' is a personal account, the log will permanently link that person to this release.`
    );
  }
  return { transparencyLog: signing.transparencyLog, ownerIsPersonalAccount };
}
function serializeChangeRecord(record) {
  const bytes = canonicalJson(record);
  return { bytes, sha256: hashBytes(bytes) };
}
function digestSet(value) {
  const hex = value.replace(/^sha256:/, "").toLowerCase();
  if (!isSha256Hex(hex)) throw new TypeError("a manifest digest must be 64 hex digits (sha256)");
  return { sha256: hex };
}
function chainLink(previous) {
  return {
    tag: previous.tag,
    manifestDigest: digestSet(previous.manifestDigest),
    ...previous.changeRecordDigest ? { changeRecordDigest: digestSet(previous.changeRecordDigest) } : {}
  };
}
function commitSha(value, what) {
  const sha = value.toLowerCase();
  if (!GIT_OBJECT_ID.test(sha)) throw new TypeError(`${what} must be a full commit SHA`);
  return sha;
}

function buildChangeRecordStatement(record, manifestDigest = record.release.manifest.digest.sha256) {
  const sha256 = manifestDigest.replace(/^sha256:/, "").toLowerCase();
  if (sha256 !== record.release.manifest.digest.sha256) {
    throw new Error("the manifest digest differs from the one the change record names");
  }
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: MANIFEST_FILE, digest: { sha256 } }],
    predicateType: CHANGE_RECORD_PREDICATE_TYPE,
    predicate: record
  };
}
function changeRecordAnnotation(sha256) {
  if (!isSha256Hex(sha256)) throw new TypeError("sha256 must be 64 lower-case hex digits");
  return { [CHANGE_RECORD_ANNOTATION_KEY]: { name: CHANGE_RECORD_FILE, digest: { sha256 } } };
}

function escapeMarkdown(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\\`*_{}[\]()#+\-.!|~@:]/g, "\\$&").replace(/\s+/g, " ").trim();
}
function code(text) {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\s+/g, " ")}\``;
}
function link(text, url) {
  if (!/^https?:\/\//.test(url)) return escapeMarkdown(url);
  const href = encodeURI(decodeURIComponentSafe(url)).replace(
    /[()]/g,
    (c) => c === "(" ? "%28" : "%29"
  );
  return `[${escapeMarkdown(text)}](${href})`;
}
function decodeURIComponentSafe(url) {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
function delta(label, change) {
  if (!change) return void 0;
  const parts = [
    ...(change.added ?? []).map((item) => `+${code(item)}`),
    ...(change.removed ?? []).map((item) => `\u2212${code(item)}`)
  ];
  return parts.length > 0 ? `${label}: ${parts.join(" ")}` : void 0;
}
function personalDataDeltas(pd) {
  const named = (d, name) => d && {
    ...d.added ? { added: d.added.map(name) } : {},
    ...d.removed ? { removed: d.removed.map(name) } : {}
  };
  return [
    delta("purposes", pd.purposes),
    delta("data categories", pd.dataCategories),
    delta("data subjects", pd.dataSubjects),
    delta(
      "special categories",
      pd.specialCategories && {
        ...pd.specialCategories.added ? { added: pd.specialCategories.added.map((s) => `${s.category} ${s.condition}`) } : {},
        ...pd.specialCategories.removed ? { removed: pd.specialCategories.removed } : {}
      }
    ),
    delta(
      "lawful basis",
      named(pd.lawfulBasis, (b) => b.purpose ? `${b.basis} ${b.purpose}` : b.basis)
    ),
    delta(
      "recipients",
      named(pd.recipients, (p) => p.name)
    ),
    delta(
      "processors",
      named(pd.processors, (p) => p.name)
    ),
    delta(
      "transfers",
      named(pd.transfers, (t) => `${t.country} ${t.mechanism}`)
    ),
    delta(
      "retention",
      named(pd.retention, (r) => `${r.dataCategory ?? "all"} ${r.period}`)
    ),
    delta("security measures", pd.securityMeasures)
  ].filter((line) => line !== void 0);
}
function renderChangeRecordMarkdown(record, options = {}) {
  const rows = [
    ...changeRows(record.change),
    ...personalDataRows(record.personalData),
    ...chainRows(record.chain),
    ...releaseRows(record, options)
  ];
  return [
    "### Change record",
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([label, value]) => `| ${label} | ${value} |`),
    ""
  ].join("\n");
}
function changeRows(change) {
  if (!change) return [["Change", "no change record file was given"]];
  const rows = [];
  rows.push(["Change", `${escapeMarkdown(change.id)}: ${escapeMarkdown(change.title)}`]);
  rows.push(["Reason", escapeMarkdown(change.reason)]);
  if (change.summary) rows.push(["Summary", escapeMarkdown(change.summary)]);
  rows.push(["Type", escapeMarkdown(change.type)]);
  if (change.risk || change.impact) {
    rows.push([
      "Risk / impact",
      `${change.risk ?? "not stated"} / ${change.impact ?? "not stated"}`
    ]);
  }
  if (change.ticketUrl) rows.push(["Ticket", link(change.ticketUrl, change.ticketUrl)]);
  if (change.configurationItems?.length) {
    rows.push(["Configuration items", change.configurationItems.map(escapeMarkdown).join(", ")]);
  }
  const approvals = (change.approvals ?? []).map(
    (a) => [
      `${escapeMarkdown(a.role)}: ${escapeMarkdown(a.decision)}`,
      a.approver ? `by ${code(a.approver)}` : "",
      a.time ? `at ${escapeMarkdown(a.time)}` : ""
    ].filter(Boolean).join(" ")
  );
  rows.push(["Approvals", approvals.length > 0 ? approvals.join("<br>") : "none"]);
  if (change.cab) {
    rows.push([
      "CAB",
      `${change.cab.required ? "required" : "not required"}${change.cab.recommendation ? `, ${escapeMarkdown(change.cab.recommendation)}` : ""}`
    ]);
  }
  return rows;
}
function personalDataRows(pd) {
  const rows = [["Personal-data impact", `**${escapeMarkdown(pd.impact)}**`]];
  if (pd.impact === "unassessed") return rows;
  if (pd.role) rows.push(["Role", escapeMarkdown(pd.role)]);
  if (pd.ropaReference) rows.push(["Record of processing", escapeMarkdown(pd.ropaReference)]);
  if (pd.dpia) {
    const dpia = [
      pd.dpia.reference ? escapeMarkdown(pd.dpia.reference) : "no reference",
      pd.dpia.status ? `(${escapeMarkdown(pd.dpia.status)})` : ""
    ];
    rows.push(["DPIA", dpia.filter(Boolean).join(" ")]);
  }
  if (pd.breachReference) rows.push(["Breach reference", escapeMarkdown(pd.breachReference)]);
  const deltas = personalDataDeltas(pd);
  if (deltas.length > 0) rows.push(["Personal-data changes", deltas.join("<br>")]);
  return rows;
}
function chainRows(chain) {
  const previous = chain.previous;
  const rows = [
    [
      "Previous release",
      previous ? `${escapeMarkdown(previous.tag)}, manifest ${code(`sha256:${previous.manifestDigest.sha256}`)}${previous.changeRecordDigest ? `, change record ${code(`sha256:${previous.changeRecordDigest.sha256}`)}` : ""}` : "none (first release in the chain)"
    ]
  ];
  if (chain.commits) {
    const { from, to, count } = chain.commits;
    rows.push([
      "Commits",
      `${count}${from ? ` (${code(from.slice(0, 12))}\u2026${code(to.slice(0, 12))})` : ""}`
    ]);
  }
  return rows;
}
function releaseRows(record, options) {
  const rows = [["Manifest", code(`sha256:${record.release.manifest.digest.sha256}`)]];
  if (options.recordSha256) {
    rows.push([escapeMarkdown(CHANGE_RECORD_FILE), code(`sha256:${options.recordSha256}`)]);
  }
  rows.push([
    "Identifiers",
    record.identifiers === "omitted-no-key" ? "left out (no pseudonymization key)" : `keyed pseudonyms, key ${code(record.identifiers.keyId)}`
  ]);
  if (record.run.triggeredBy) rows.push(["Triggered by", code(record.run.triggeredBy)]);
  rows.push(["Workflow run", link("run", record.run.url)]);
  rows.push([
    "Transparency log",
    record.signing.transparencyLog ? `public${record.signing.ownerIsPersonalAccount ? " (names a personal account)" : ""}` : "not used"
  ]);
  return rows;
}

const KIND_LABEL = {
  email: "e-mail address",
  phone: "phone number",
  ipv4: "IPv4 address",
  ipv6: "IPv6 address",
  "author-name": "a commit author's name",
  "author-login": "a commit author's GitHub login",
  "author-email": "a commit author's e-mail address",
  mention: "an @mention of a person's GitHub account"
};
const SERVICE_ADDRESSES = /* @__PURE__ */ new Set(["git@github.com", "noreply@github.com"]);
const BOT_NOREPLY = /^(?:\d+\+)?[a-z0-9-]+\[bot\]@users\.noreply\.github\.com$/i;
const NOREPLY_LOGIN = /^(?:\d+\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)@users\.noreply\.github\.com$/i;
const GENERIC_AUTHOR_NAMES = /* @__PURE__ */ new Set(["github", "git", "root", "admin", "ci", "bot", "unknown"]);
const EMAIL = new RegExp("(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+\\p{L}{2,}(?![\\p{L}\\p{N}-])", "gu");
const BEFORE = String.raw`(?<![\p{L}\p{N}_.+\-/])`;
const AFTER = String.raw`(?![\p{L}\p{N}_]|[.\-/:]\p{N})`;
const DATE_SHAPED = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$/;
const PHONE_PATTERNS = [
  // E.164 and international notation: +44 20 7946 0958, +1-202-555-0143, +49 (0)30 1234567.
  {
    // A + after a digit is semver build metadata (1.0.0+20250603), not a number.
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}+])\+\p{N}[\p{N}\s().\-/]{5,30}\p{N}${AFTER}`,
      "gu"
    ),
    minDigits: 8,
    maxDigits: 15
    // E.164's maximum
  },
  // National numbers with a trunk prefix, grouped: 020 7946 0958, (030) 1234567, 06 12 34 56 78.
  // The first group must be 0 + digit, so versions (0.12.3) and ISO dates never match; ungrouped
  // digit runs (0123456789) are ids as often as numbers and are left alone.
  {
    pattern: new RegExp(
      String.raw`${BEFORE}\(?0\p{N}{1,5}\)?(?:[\s.\-/]{1,2}\p{N}{2,8}){1,5}${AFTER}`,
      "gu"
    ),
    minDigits: 9,
    maxDigits: 13
  },
  // North American: (202) 555-0143, 202-555-0143, 202 555 0143 (not dotted: that is a version).
  {
    pattern: new RegExp(
      String.raw`${BEFORE}(?:\(\p{N}{3}\)\s?|\p{N}{3}[\s\-])\p{N}{3}[\s\-]\p{N}{4}${AFTER}`,
      "gu"
    ),
    minDigits: 10,
    maxDigits: 10
  }
];
function phoneIn(candidate, { minDigits, maxDigits }) {
  if (DATE_SHAPED.test(candidate)) return void 0;
  let text = candidate;
  let digits = text.replace(/\D/g, "").length;
  while (digits > maxDigits) {
    const cut = text.search(new RegExp("[\\s().\\-/]+\\p{N}*$", "u"));
    if (cut <= 0) return void 0;
    text = text.slice(0, cut);
    digits = text.replace(/\D/g, "").length;
  }
  return digits >= minDigits ? text : void 0;
}
const IPV4 = new RegExp("(?<![\\p{N}.vV])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?!\\.?\\p{N})", "gu");
const MENTION = /(?<=^|[\s(,;:"'])@([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})(?![\p{L}\p{N}_/@-])/gu;
const IPV6_RUN = /[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/g;
function scanForPersonalData(fields, options = {}) {
  const matchers = authorMatchers(options.authors ?? [], options.publicNames ?? []);
  const allowed = new Set((options.allowedContacts ?? []).map((c) => c.trim().toLowerCase()));
  const findings = [];
  const seen = /* @__PURE__ */ new Set();
  for (const field of fields) {
    const value = field.value.normalize("NFC");
    const report = findingReporter(field, seen, findings);
    findEmailAddresses(value, matchers, allowed, report);
    findNamesAndMentions(value, matchers, report);
    findPhoneNumbers(value, report);
    findIpAddresses(value, report);
  }
  return findings;
}
function findingReporter(field, seen, findings) {
  const claimed = [];
  return (kind, masked, start, length) => {
    const end = start + length;
    if (claimed.some(([s, e]) => start < e && s < end)) return;
    claimed.push([start, end]);
    const key = `${field.path}\0${kind}\0${masked}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({
      path: field.path,
      kind,
      masked,
      ...field.input ? { input: field.input } : {}
    });
  };
}
function findEmailAddresses(value, matchers, allowed, report) {
  const lower = value.toLowerCase();
  for (const email of matchers.emails) {
    for (let at = lower.indexOf(email); at >= 0; at = lower.indexOf(email, at + 1)) {
      report("author-email", maskEmail(email), at, email.length);
    }
  }
  for (const match of value.matchAll(EMAIL)) {
    const address = match[0].toLowerCase();
    if (matchers.emails.has(address)) {
      report("author-email", maskEmail(address), match.index, match[0].length);
    } else if (!allowed.has(address) && !SERVICE_ADDRESSES.has(address) && !BOT_NOREPLY.test(address)) {
      report("email", maskEmail(match[0]), match.index, match[0].length);
    }
  }
}
function findNamesAndMentions(value, matchers, report) {
  for (const { pattern, kind } of matchers.names) {
    for (const match of value.matchAll(pattern)) {
      report(kind, maskWords(match[0]), match.index, match[0].length);
    }
  }
  for (const match of value.matchAll(MENTION)) {
    report("mention", `@${[...match[1] ?? ""][0] ?? ""}***`, match.index, match[0].length);
  }
}
function findPhoneNumbers(value, report) {
  for (const phone of PHONE_PATTERNS) {
    for (const match of value.matchAll(phone.pattern)) {
      const number = phoneIn(match[0], phone);
      if (number) report("phone", maskPhone(number), match.index, number.length);
    }
  }
}
function findIpAddresses(value, report) {
  for (const match of value.matchAll(IPV4)) {
    const octets = match.slice(1, 5).map((o) => o ?? "");
    if (octets.some((o) => Number(o) > 255 || o.length > 1 && o.startsWith("0"))) continue;
    const [first] = octets;
    if (match[0] === "0.0.0.0" || first === "127" || first === "255") continue;
    report("ipv4", `${first}.***.***.***`, match.index, match[0].length);
  }
  for (const match of value.matchAll(IPV6_RUN)) {
    const candidate = match[0].replace(/^\.+|\.+$/g, "");
    for (const address of [candidate, candidate.replace(/^:(?!:)/, "").replace(/(?<!:):$/, "")]) {
      if (!isIPv6(address)) continue;
      if (address === "::" || address === "::1") break;
      report("ipv6", `${address.split(":")[0] || ":"}:***`, match.index, match[0].length);
      break;
    }
  }
}
class PersonalDataError extends InputError {
  findings;
  constructor(findings) {
    const inputs = [...new Set(findings.map((f) => f.input ?? "change-record"))];
    const list = findings.map((f) => `${f.path}: ${KIND_LABEL[f.kind]} (${f.masked})`).join("; ");
    super(
      inputs.join(", "),
      `personal data would enter the signed, public release record, which cannot be erased: ${list}. Remove it or replace it with a role, a ticket reference or a pseudonym; list functional mailboxes under personalData.roleContacts; write a four-part version with a leading v (v1.2.3.4).`
    );
    this.name = "PersonalDataError";
    this.findings = findings;
  }
}
function assertNoPersonalData(first, second, third) {
  let fields;
  let options;
  if (Array.isArray(first)) {
    fields = first;
    options = second ?? {};
  } else {
    const record = first;
    const given = third ?? {};
    fields = [
      ...recordFieldsToScan(record),
      ...(second ?? []).map((f) => ({
        ...f,
        input: f.input ?? "subject-path"
      }))
    ];
    options = {
      ...given,
      allowedContacts: [...given.allowedContacts ?? [], ...allowedContactsOf(record)],
      publicNames: [...given.publicNames ?? [], ...record.release.repository.split("/")]
    };
  }
  const findings = scanForPersonalData(fields, options);
  if (findings.length > 0) throw new PersonalDataError(findings);
}
function recordFieldsToScan(record) {
  const input = "change-record";
  return [
    { path: "/release/tag", value: record.release.tag, input: "tag" },
    ...record.chain.previous ? [{ path: "/chain/previous/tag", value: record.chain.previous.tag, input }] : [],
    ...record.change ? stringFields(record.change, "/change", input) : [],
    ...stringFields(record.personalData, "/personalData", input)
  ];
}
function allowedContactsOf(record) {
  const personalData = record.personalData;
  return "roleContacts" in personalData && personalData.roleContacts ? personalData.roleContacts.map((c) => c.email) : [];
}
function stringFields(value, prefix = "", input) {
  const fields = [];
  const walk = (node, path) => {
    if (typeof node === "string") {
      fields.push({ path: path || "/", value: node, ...{ input }  });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}/${i}`));
    } else if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        const pointer = `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        fields.push({
          path: `${path || "/"} (name of a field)`,
          value: key,
          ...{ input } 
        });
        walk(item, pointer);
      }
    }
  };
  walk(value, prefix);
  return fields;
}
function authorMatchers(authors, publicNames) {
  const exempt = new Set(publicNames.map((n) => n.normalize("NFC").trim().toLowerCase()));
  const emails = /* @__PURE__ */ new Set();
  const names = /* @__PURE__ */ new Map();
  for (const author of authors) {
    const email = author.email?.trim().toLowerCase();
    if (email && email.includes("@") && !SERVICE_ADDRESSES.has(email) && !BOT_NOREPLY.test(email)) {
      emails.add(email);
      const login = NOREPLY_LOGIN.exec(email)?.[1];
      if (login) names.set(login, "author-login");
    }
    const name = author.name?.normalize("NFC").trim().replace(/\s+/g, " ");
    if (name && !/\[bot\]$/i.test(name)) names.set(name.toLowerCase(), "author-name");
  }
  const matchers = [];
  for (const [name, kind] of names) {
    if ([...name.matchAll(/[\p{L}\p{N}]/gu)].length < 3) continue;
    if (GENERIC_AUTHOR_NAMES.has(name) || exempt.has(name)) continue;
    const body = name.split(" ").map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(String.raw`[\s._-]+`);
    matchers.push({
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, "giu"),
      kind
    });
  }
  return { emails, names: matchers };
}
function maskEmail(address) {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const tld = domain.slice(domain.lastIndexOf(".") + 1);
  return `${[...local][0] ?? ""}***@${[...domain][0] ?? ""}***.${tld}`;
}
function maskPhone(text) {
  const compact = text.replace(/[^\d+]/g, "");
  return `${compact.slice(0, 2)}***${compact.slice(-2)}`;
}
function maskWords(text) {
  return text.split(/[\s._-]+/).map((word) => `${[...word][0] ?? ""}***`).join(" ");
}

function guardedSubjectFields(subjects, sources) {
  const input = [
    ...sources.subjectPath.trim() ? ["subject-path"] : [],
    ...sources.subjectChecksums ? ["subject-checksums"] : []
  ].join(", ");
  const fields = [];
  subjects.forEach((subject, i) => {
    fields.push({ path: `manifest/subjects/${i}/name`, value: subject.name, input });
    fields.push({ path: `manifest/subjects/${i}/path`, value: subject.path, input });
    subject.archive?.members.forEach((member, j) => {
      fields.push({
        path: `manifest/subjects/${i}/archive/members/${j}/path`,
        value: member.path,
        input
      });
    });
  });
  return fields;
}

const MAX_RELEASE_PAGES = 10;
const MAX_COMPARE_PAGES = 100;
async function findPreviousRelease(client, params) {
  const { owner, repo, tag } = params;
  const route = "GET /repos/{owner}/{repo}/releases";
  try {
    const pages = iteratePages(
      client,
      route,
      { owner, repo },
      route,
      MAX_RELEASE_PAGES
    );
    for await (const releases of pages) {
      for (const release of releases) {
        if (release.draft || !release.published_at || release.tag_name === tag) continue;
        const manifest = release.assets.find((a) => a.name === MANIFEST_FILE);
        if (!manifest) continue;
        const record = release.assets.find((a) => a.name === CHANGE_RECORD_FILE);
        const manifestDigest = await assetSha256(client, params, manifest);
        const changeRecordDigest = record ? await assetSha256(client, params, record) : void 0;
        return {
          tag: release.tag_name,
          releaseId: release.id,
          publishedAt: release.published_at,
          manifestDigest,
          ...changeRecordDigest ? { changeRecordDigest } : {}
        };
      }
    }
  } catch (error) {
    throw historyError("reading releases", error, client, `/repos/${owner}/${repo}/releases`);
  }
  return void 0;
}
async function commitRange(client, params) {
  const { owner, repo, base, head } = params;
  const seenCommits = /* @__PURE__ */ new Set();
  const authors = /* @__PURE__ */ new Map();
  let total = 0;
  let from = "";
  let last = "";
  let status = "";
  try {
    for (let page = 1; page <= MAX_COMPARE_PAGES; page++) {
      const compared = await compareCommits(client, { owner, repo, base, head, page });
      total = compared.totalCommits;
      from = compared.baseSha;
      status = compared.status;
      let fresh = 0;
      for (const commit of compared.commits) {
        if (seenCommits.has(commit.sha)) continue;
        seenCommits.add(commit.sha);
        fresh++;
        last = commit.sha;
        addAuthor(authors, commit.author);
        for (const coAuthor of coAuthors(commit.message)) addAuthor(authors, coAuthor);
      }
      if (fresh === 0 || seenCommits.size >= total) break;
    }
  } catch (error) {
    const path = `/repos/${owner}/${repo}/compare/${base}...${head}`;
    throw historyError("comparing commits", error, client, path);
  }
  const to = /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head) ? head : last || from;
  return {
    from,
    to,
    count: total,
    authors: [...authors.values()],
    authorsComplete: seenCommits.size >= total,
    status
  };
}
function addAuthor(authors, person) {
  if (!person) return;
  const name = person.name?.trim() || void 0;
  const email = person.email?.trim() || void 0;
  if (!name && !email) return;
  const key = `${name?.toLowerCase() ?? ""}\0${email?.toLowerCase() ?? ""}`;
  if (!authors.has(key))
    authors.set(key, { ...name ? { name } : {}, ...email ? { email } : {} });
}
function coAuthors(message) {
  const found = [];
  for (const match of message.matchAll(/^co-authored-by:[ \t]*(.*?)[ \t]*<([^>\s]+)>[ \t]*$/gim)) {
    found.push({ ...match[1] ? { name: match[1] } : {}, email: match[2] });
  }
  return found;
}
async function assetSha256(client, { owner, repo }, asset) {
  const reported = /^sha256:([0-9a-f]{64})$/.exec(asset.digest ?? "")?.[1];
  if (reported) return reported;
  const { sha256, size } = await downloadAndHashAsset(client, { owner, repo, assetId: asset.id });
  const url = `/repos/${owner}/${repo}/releases/assets/${asset.id}`;
  if (size !== asset.size) {
    throw new ServiceError("GitHub", url, `${asset.name} downloaded ${size} of ${asset.size} bytes`);
  }
  if (asset.digest && asset.digest !== `sha256:${sha256}`) {
    throw new ServiceError(
      "GitHub",
      url,
      `${asset.name} hashes to sha256:${sha256}, but GitHub lists ${asset.digest}`
    );
  }
  return sha256;
}
function historyError(what, error, client, path) {
  return serviceErrorFor(what, error, `${apiBaseUrl(client)}${path}`);
}

async function readCommitRange(step, base) {
  const { client, owner, repo, commit: head } = step;
  try {
    return await commitRange(client, { owner, repo, base, head });
  } catch (error) {
    step.reporter.warning(
      `Could not compare ${base}...${head} (${errorMessage(error)}): the change record has no commit range, and the personal-data guard does not know the commit authors' names. Check the record and artifact names by hand.`
    );
    return void 0;
  }
}
async function hashSubjects(step) {
  const { inputs, context, commit, reporter } = step;
  const built = await buildManifest({
    workspace: context.workspace,
    patterns: parseSubjectPatterns(inputs.subjectPath),
    checksumsFile: inputs.subjectChecksums || void 0,
    source: { repository: context.repository, commit, tag: inputs.tag },
    outDir: context.tempDir,
    sourceDateEpoch: await resolveSourceDateEpoch({
      env: process.env,
      workspace: context.workspace,
      commit,
      reporter
    }),
    reporter
  });
  refuseMissingSubjects(built.subjects, inputs.dryRun);
  return built;
}
async function recordChange(step, built) {
  const { inputs, context, reporter } = step;
  const previous = await findPreviousRelease(step.client, {
    owner: step.owner,
    repo: step.repo,
    tag: inputs.tag
  });
  const commits = previous ? await readCommitRange(step, previous.tag) : void 0;
  if (commits && !commits.authorsComplete) {
    reporter.warning(
      `Only some of the ${commits.count} commits since ${previous?.tag} could be read, so the personal-data guard knows only their authors' names and e-mails. Check the change record and artifact names by hand.`
    );
  }
  const record = buildChangeRecord(
    {
      input: step.changeRecordInput,
      run: context,
      tag: inputs.tag,
      commit: step.commit,
      manifestDigest: built.digest,
      previous,
      commits,
      triggeredBy: process.env["GITHUB_TRIGGERING_ACTOR"] || process.env["GITHUB_ACTOR"],
      pseudonymizer: step.pseudonymizer,
      signing: {
        transparencyLog: Boolean(step.endpoints.rekorURL),
        ownerType: step.ownerType ?? "unknown"
      }
    },
    reporter
  );
  assertNoPersonalData(record, guardedSubjectFields(built.manifest.subjects, inputs), {
    authors: commits?.authors ?? []
  });
  return record;
}
async function build(step) {
  const built = await hashSubjects(step);
  const record = await recordChange(step, built);
  const serialized = serializeChangeRecord(record);
  const outDir = step.context.tempDir;
  const { manifestPath, sha256sumsPath } = await writeManifestFiles(built, outDir);
  const changeRecordPath = join(outDir, CHANGE_RECORD_FILE);
  await writeFile$1(changeRecordPath, serialized.bytes);
  step.setOutput("manifest-digest", built.digest);
  step.setOutput("manifest-path", manifestPath);
  step.setOutput("change-record-path", changeRecordPath);
  return {
    ...step,
    built,
    record,
    recordBytes: serialized.bytes,
    recordSha256: serialized.sha256,
    manifestPath,
    sha256sumsPath,
    changeRecordPath
  };
}

function checkBeforeStart(inputs) {
  validateTagName(inputs.tag);
  if (inputs.dryRun) return;
  if (!process.env["ACTIONS_ID_TOKEN_REQUEST_URL"] || !process.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]) {
    throw new InputError(
      "permissions",
      "the job cannot request an OIDC token for keyless signing. Add 'permissions: id-token: write' to the job (and 'contents: write', 'attestations: write')."
    );
  }
}
async function repositoryFacts(deps) {
  const facts = readRepositoryFacts();
  if (facts.visibility && facts.ownerType) return facts;
  const read = await readRepositoryFacts$1(deps.client, deps.owner, deps.repo, (error) => {
    deps.reporter.warning(
      `Could not read the repository's visibility (${errorMessage(error)}); assuming it is private, so nothing is written to a public transparency log.`
    );
  });
  if (!read) return facts;
  return {
    visibility: facts.visibility ?? read.visibility,
    ownerType: facts.ownerType ?? read.ownerType
  };
}
const MAX_BODY_FILE_BYTES = 1024 * 1024;
async function releaseNotes(inputs, workspace) {
  if (!inputs.bodyPath) return inputs.body;
  let bytes;
  try {
    const path = await realpath(resolve(workspace, inputs.bodyPath));
    bytes = await readRegularFile(path, { input: "body-path", maxBytes: MAX_BODY_FILE_BYTES });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      "body-path",
      `cannot read ${JSON.stringify(inputs.bodyPath)}: ${errorMessage(error)}`
    );
  }
  return bytes.toString("utf8");
}
async function prepare(deps) {
  const { inputs, context, store } = deps;
  const facts = await repositoryFacts(deps);
  const endpoints = resolveSigstoreEndpoints({
    mode: inputs.sigstore,
    fulcioUrl: inputs.fulcioUrl || void 0,
    rekorUrl: inputs.rekorUrl || void 0,
    tsaUrl: inputs.tsaUrl || void 0,
    visibility: facts.visibility
  });
  const pseudonymizer = inputs.pseudonymizationKey ? Pseudonymizer.fromKey(inputs.pseudonymizationKey) : void 0;
  const changeRecordInput = await loadChangeRecordInput(
    inputs.changeRecord || void 0,
    context.workspace
  );
  const notes = await releaseNotes(inputs, context.workspace);
  const commit = inputs.targetCommitish ? await resolveCommit(store, inputs.targetCommitish) : context.sha;
  const run = { id: context.runId, attempt: Number(context.runAttempt) };
  const observed = await checkTagAvailable(
    store,
    inputs.tag,
    inputs.dryRun ? void 0 : { run, commitSha: commit }
  );
  return {
    ...deps,
    endpoints,
    ownerType: facts.ownerType,
    pseudonymizer,
    changeRecordInput,
    notes,
    commit,
    run,
    observed
  };
}

async function storeAttestationAfterRelease(client, repository, bundle, reporter) {
  try {
    await storeAttestation(client, { ...repository, bundle }, reporter);
  } catch (error) {
    reporter.warning(
      `The release is published, but storing its provenance in the attestations API failed: ${errorMessage(error)}. The bundle is the release asset ${PROVENANCE_BUNDLE_FILE}; 'gh attestation verify --bundle' can use it.`
    );
  }
}
async function publish(step) {
  const { inputs, record, recordSha256 } = step;
  const assets = await releaseAssetFiles(step.built.subjects, [
    { name: MANIFEST_FILE, path: step.manifestPath, format: "json" },
    { name: SHA256SUMS_FILE, path: step.sha256sumsPath, format: "text" },
    { name: PROVENANCE_BUNDLE_FILE, path: step.provenanceBundlePath, format: "json" },
    { name: CHANGE_RECORD_FILE, path: step.changeRecordPath, format: "json" },
    { name: CHANGE_RECORD_BUNDLE_FILE, path: step.changeRecordBundlePath, format: "json" }
  ]);
  const body = assembleReleaseBody(step.notes, renderChangeRecordMarkdown(record, { recordSha256 }));
  const published = await publishRelease(
    step.store,
    {
      tag: inputs.tag,
      targetCommitish: step.commit,
      name: inputs.name || inputs.tag,
      body,
      prerelease: inputs.prerelease,
      makeLatest: inputs.makeLatest,
      assets,
      run: step.run,
      observed: step.observed
    },
    step.reporter
  );
  step.setOutput("release-id", String(published.id));
  step.setOutput("release-url", published.url);
  if (inputs.pushToAttestations) {
    const repository = { owner: step.owner, repo: step.repo };
    await storeAttestationAfterRelease(
      step.client,
      repository,
      step.provenanceBundle,
      step.reporter
    );
  }
  return { ...step, published };
}

const MAX_SUBJECT_ROWS = 500;
function humanSize(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
function witnessDescription(bundle) {
  const material = bundle?.verificationMaterial;
  const parts = [];
  const entry = material?.tlogEntries?.[0];
  if (entry?.logIndex !== void 0) parts.push(`Rekor log index ${entry.logIndex}`);
  const timestamps = material?.timestampVerificationData?.rfc3161Timestamps?.length ?? 0;
  if (timestamps > 0) parts.push(`${timestamps} RFC 3161 timestamp(s)`);
  return parts.join(", ") || "none";
}
const HTML_ENTITIES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
};
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}
async function writeJobSummary(facts) {
  if (!process.env["GITHUB_STEP_SUMMARY"]) return;
  const { built, published } = facts;
  const summary$1 = summary.addHeading(
    // git allows < and > in a tag name; the heading is HTML too.
    `${facts.dryRun ? "Dry run for" : "Release"} ${escapeHtml(facts.inputs.tag)}`,
    2
  );
  if (published) summary$1.addRaw(`Published: ${published.url}`, true);
  summary$1.addRaw(`Manifest digest: \`${built.digest}\``, true);
  if (facts.provenanceBundle) {
    summary$1.addRaw(`Sigstore: ${witnessDescription(facts.provenanceBundle)}`, true);
  }
  const rows = built.manifest.subjects.slice(0, MAX_SUBJECT_ROWS).map((subject) => [
    escapeHtml(subject.name),
    subject.size === void 0 ? "" : humanSize(subject.size),
    `sha256:${subject.digest.sha256}`
  ]);
  summary$1.addTable([
    [
      { data: "Asset", header: true },
      { data: "Size", header: true },
      { data: "Digest", header: true }
    ],
    ...rows
  ]);
  if (built.manifest.subjects.length > MAX_SUBJECT_ROWS) {
    summary$1.addRaw(
      `\u2026 and ${built.manifest.subjects.length - MAX_SUBJECT_ROWS} more subjects (see release-manifest.json).`,
      true
    );
  }
  summary$1.addRaw(
    renderChangeRecordMarkdown(
      facts.record,
      facts.recordSha256 ? { recordSha256: facts.recordSha256 } : {}
    ),
    true
  );
  await summary$1.write();
}

async function reportDryRun(step) {
  const { inputs, built, record } = step;
  step.reporter.notice(
    `Dry run: ${built.subjects.length} subjects, manifest ${built.digest}; tag ${inputs.tag} is free. Nothing was signed or written to GitHub.`
  );
  await writeJobSummary({ inputs, built, record, dryRun: true });
}
async function report(step) {
  const { inputs, built, record, recordSha256, published, provenanceBundle } = step;
  step.reporter.notice(
    `Released ${inputs.tag}: manifest ${built.digest}, change record ${record.change?.id ?? "(none)"} sha256:${recordSha256}`,
    { title: "immutable-release" }
  );
  await writeJobSummary({
    inputs,
    built,
    record,
    recordSha256,
    published,
    provenanceBundle,
    dryRun: false
  });
}

async function sign(step) {
  const { built, record, endpoints, reporter, context } = step;
  const identityToken = await step.identity.getToken();
  const getIdentityToken = async () => identityToken;
  const provenance = buildProvenanceStatement({
    manifest: built,
    context: { ...context, sha: step.commit },
    tag: step.inputs.tag,
    annotations: changeRecordAnnotation(step.recordSha256),
    workflow: workflowIdentityFromToken(identityToken)
  });
  const provenanceBundle = await signStatement(provenance, {
    endpoints,
    getIdentityToken,
    reporter
  });
  const recordBundle = await signStatement(buildChangeRecordStatement(record, built.digest), {
    endpoints,
    getIdentityToken,
    reporter
  });
  const provenanceBundlePath = join(context.tempDir, PROVENANCE_BUNDLE_FILE);
  const changeRecordBundlePath = join(context.tempDir, CHANGE_RECORD_BUNDLE_FILE);
  await writeBundle(provenanceBundle, provenanceBundlePath);
  await writeBundle(recordBundle, changeRecordBundlePath);
  step.setOutput("provenance-bundle-path", provenanceBundlePath);
  step.setOutput("change-record-bundle-path", changeRecordBundlePath);
  return { ...step, provenanceBundle, provenanceBundlePath, changeRecordBundlePath };
}

async function run(inputs) {
  try {
    await release(inputs ?? readInputs());
  } catch (error) {
    setFailed(errorMessage(error));
  }
}
function dependencies(inputs) {
  const context = readRunContext();
  const [owner, repo] = context.repository.split("/");
  checkBeforeStart(inputs);
  const client = createGitHubClient({
    token: inputs.githubToken,
    apiUrl: context.apiUrl,
    reporter: actionsReporter,
    writeIntervalMs: writeIntervalFor(context.apiUrl)
  });
  const identity = actionsIdentityProvider({
    requestToken: (audience) => getIDToken(audience),
    requestUrl: process.env["ACTIONS_ID_TOKEN_REQUEST_URL"]
  });
  const store = createReleaseStore(client, owner, repo);
  const setOutput$1 = (name, value) => setOutput(name, value);
  return { inputs, context, owner, repo, client, store, identity, reporter: actionsReporter, setOutput: setOutput$1 };
}
async function release(inputs) {
  const built = await build(await prepare(dependencies(inputs)));
  if (inputs.dryRun) return reportDryRun(built);
  await report(await publish(await sign(built)));
}

export { run, storeAttestationAfterRelease };
