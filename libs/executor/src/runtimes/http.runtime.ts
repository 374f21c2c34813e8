import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, fetch, Headers, type Response } from 'undici';
import type { JsonObject, JsonValue } from '@baton/domain/shared/json';
import { HttpTargetPolicy, type HttpTargetPolicyOptions } from './http-target-policy';
import { AttemptSignal, stopMessage } from './attempt-signal';
import { LogCollector } from './log-tail';
import { describeError, isErrorLike, type RunContext, type StepRuntime } from './step-runtime';
import { parseStepOutput } from './step-output-json';
import { failed, succeeded, type HttpTask, type StepOutcome } from '@baton/contracts';

/**
 * Runs an HTTP step with undici's `fetch`.
 *
 * - Targets: checked against `HttpTargetPolicy` (link-local, cloud metadata
 *   and loopback refused unless allowed) before each request on the URL's
 *   host, and again on every address DNS answers, in the agent's `lookup`: the
 *   connection goes to the address that was checked, so a name that resolves
 *   to a refused address (or starts to, between two lookups) cannot get through.
 * - Redirects: followed by hand, at most `maxRedirects` (5), each hop checked
 *   like the first; a cross-origin hop drops authorization and cookie
 *   headers; 303 (and 301/302 after a POST) continue as GET without a body.
 * - Credentials in the URL (`https://user:pass@host/`) are sent as a basic
 *   Authorization header and never appear in a message or log.
 *
 * - Body: a string is sent as is; any other JSON value JSON-encoded, with
 *   `content-type: application/json` unless the step sets a content-type.
 * - Success: the status is in `spec.successStatuses` (default 200-299).
 * - Result, on success and on a failing status alike:
 *   `{ status, headers: {content-type, location, ...when present}, body, bodyTruncated }`
 *   where `body` is the parsed JSON when the response says JSON and arrived
 *   whole, else text. Only the first `maxBodyBytes` (1 MiB) are read; the
 *   rest is not downloaded (`bodyTruncated: true`), so a huge or endless
 *   response cannot exhaust the executor.
 * - A status outside the success set is a *user* error with the first 2 KiB
 *   of the body in the message.
 * - A network failure (connection refused, DNS, TLS, reset) is also a *user*
 *   error: the step chose the target, and the target is not reachable; the
 *   step's user retry budget decides how often to try again.
 * - `timeoutMs` covers the whole exchange, headers and body.
 * - Logs: one summary line on stdout. URLs in logs and messages keep only
 *   origin and path (query strings and credentials often carry secrets);
 *   headers are never logged.
 */
export interface HttpRuntimeOptions {
  /** Response bytes read at most. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Where steps may connect; default `DEFAULT_HTTP_DENY` with nothing allowed. */
  readonly policy?: HttpTargetPolicyOptions;
  /** Redirects followed at most; 0 hands the 3xx back as the response. Default 5. */
  readonly maxRedirects?: number;
  /** Name resolution (tests give their own). Default `dns.lookup`. */
  readonly lookup?: (hostname: string) => Promise<readonly LookupAddress[]>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];

const RESULT_HEADERS = ['content-type', 'content-length', 'location', 'etag', 'retry-after', 'x-request-id'];
const MESSAGE_BODY_CHARS = 2048;

export class HttpRuntime implements StepRuntime<'http'> {
  readonly type = 'http' as const;
  private readonly maxBodyBytes: number;
  private readonly maxRedirects: number;
  private readonly policy: HttpTargetPolicy;
  private readonly agent: Agent;

  constructor(options: HttpRuntimeOptions = {}) {
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.policy = new HttpTargetPolicy(options.policy);
    this.agent = new Agent({
      connect: { lookup: checkedLookup(this.policy, options.lookup ?? systemLookup) },
    });
  }

  async run(task: HttpTask, ctx: RunContext): Promise<StepOutcome> {
    const { method, headers, body } = task.spec;
    if (ctx.signal.aborted) return failed('cancelled', 'step cancelled');

    let url: URL;
    try {
      url = new URL(task.spec.url);
    } catch {
      // Never the URL itself in the message: it may carry credentials or a token.
      return failed('user', 'invalid url: not an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return failed('user', `url must be http or https, got ${url.protocol}`);
    }
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
      return failed('user', `a ${method} request cannot have a body`);
    }
    const target = `${method} ${url.origin}${url.pathname}`;
    const logs = new LogCollector(undefined, ctx.onLog);
    const requestHeaders = new Headers();
    try {
      for (const [name, value] of Object.entries(headers)) requestHeaders.set(name, value);
    } catch {
      // Never the header's value in the message: headers carry tokens.
      return failed('user', 'invalid request header (a name or value with characters HTTP does not allow)');
    }
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      if (!requestHeaders.has('authorization')) {
        requestHeaders.set('authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
      }
      url.username = '';
      url.password = '';
    }
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      if (typeof body !== 'string' && !requestHeaders.has('content-type')) {
        requestHeaders.set('content-type', 'application/json');
      }
    }

    const attempt = new AttemptSignal(ctx.signal, task.timeoutMs);
    const started = performance.now();
    try {
      const sent = await this.send(url, method, requestHeaders, payload, attempt.signal);
      if (typeof sent === 'string') {
        logs.line('stderr', `${target} refused: ${sent}`);
        return failed('user', `${target} refused: ${sent}`, logs.logs());
      }
      const response = sent;
      const read = await readBounded(response, this.maxBodyBytes);
      const elapsed = Math.round(performance.now() - started);
      logs.line('stdout', `${target} -> ${response.status} ${response.statusText} in ${elapsed} ms`);

      const result = responseResult(response, read);
      const successes = task.spec.successStatuses;
      const ok = successes
        ? successes.includes(response.status)
        : response.status >= 200 && response.status <= 299;
      if (ok) return succeeded(result, logs.logs());
      const text = read.bytes.toString('utf8');
      const excerpt = text.length > MESSAGE_BODY_CHARS ? `${text.slice(0, MESSAGE_BODY_CHARS)}…` : text;
      const message = `${target} returned HTTP ${response.status} ${response.statusText}${excerpt ? `; body: ${excerpt}` : ''}`;
      return failed('user', message, logs.logs(), result);
    } catch (error) {
      const reason = attempt.reason;
      if (reason !== undefined) {
        logs.line('stdout', `${target} -> ${reason}`);
        return failed(reason, stopMessage(reason, task.timeoutMs), logs.logs());
      }
      const message = `${target} failed: ${redactUrls(networkErrorText(error))}`;
      logs.line('stderr', message);
      return failed('user', message, logs.logs());
    } finally {
      attempt.dispose();
    }
  }

  /**
   * One request and the redirects after it, each hop's host checked first (a
   * literal address never reaches `lookup`). A string says why a hop was refused.
   */
  private async send(
    first: URL,
    firstMethod: string,
    headers: Headers,
    firstPayload: string | undefined,
    signal: AbortSignal,
  ): Promise<Response | string> {
    let url = first;
    let method = firstMethod;
    let payload = firstPayload;
    for (let hop = 0; ; hop++) {
      const refusal = this.policy.checkHost(url.hostname);
      if (refusal !== undefined) return hop === 0 ? refusal : `redirect to ${url.origin}: ${refusal}`;
      const response = await fetch(url, {
        method,
        headers,
        body: payload,
        signal,
        redirect: 'manual',
        dispatcher: this.agent,
      });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null || this.maxRedirects === 0) return response;
      await response.body?.cancel().catch(() => undefined);
      if (hop >= this.maxRedirects) return `more than ${this.maxRedirects} redirects`;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return 'a redirect to an invalid location';
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') return `a redirect to ${next.protocol}`;
      if (next.origin !== url.origin) for (const name of CROSS_ORIGIN_DROPPED) headers.delete(name);
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        payload = undefined;
        headers.delete('content-type');
      }
      url = next;
    }
  }
}

type Lookup = NonNullable<HttpRuntimeOptions['lookup']>;

const systemLookup: Lookup = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/**
 * The agent's `lookup`: resolves, drops every refused address, and hands the
 * socket only checked ones, so what was checked is what is connected to.
 */
function checkedLookup(policy: HttpTargetPolicy, resolve: Lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const allowed = addresses.filter((a) => policy.checkAddress(a.address) === undefined);
        if (allowed.length === 0) {
          const error: NodeJS.ErrnoException = new Error(
            addresses.length === 0
              ? `${hostname} has no address`
              : `${hostname} resolves to ${addresses.map((a) => a.address).join(', ')}: ${policy.checkAddress(addresses[0].address)}`,
          );
          error.code = 'EBATONREFUSED';
          callback(error, '', 0);
          return;
        }
        if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
        else callback(null, allowed[0].address, allowed[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

interface BoundedBody {
  readonly bytes: Buffer;
  readonly truncated: boolean;
}

/** Reads at most `max` bytes of the body, then cancels the rest of the download. */
async function readBounded(response: Response, max: number): Promise<BoundedBody> {
  if (response.body === null) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks, size), truncated: false };
    if (size + value.length > max) {
      chunks.push(value.subarray(0, max - size));
      await reader.cancel().catch(() => undefined);
      return { bytes: Buffer.concat(chunks, max), truncated: true };
    }
    chunks.push(value);
    size += value.length;
  }
}

function responseResult(response: Response, read: BoundedBody): JsonObject {
  const headers: JsonObject = {};
  for (const name of RESULT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return {
    status: response.status,
    headers,
    body: decodeBody(response, read),
    bodyTruncated: read.truncated,
  };
}

function decodeBody(response: Response, read: BoundedBody): JsonValue {
  const text = read.bytes.toString('utf8');
  const type = response.headers.get('content-type') ?? '';
  if (!read.truncated && /^application\/([\w.-]+\+)?json\b/i.test(type) && text.trim() !== '') {
    const parsed = parseStepOutput(text);
    if (parsed.ok) return parsed.value as JsonValue;
    // Says JSON but is not (or nests too deep to hand on): the text, rather than fail a call the target answered.
  }
  return text;
}

/** undici reports network failures as `TypeError('fetch failed')` with the system error as `cause`. */
function networkErrorText(error: unknown): string {
  const cause = isErrorLike(error) ? error.cause : undefined;
  if (isErrorLike(cause)) {
    const code =
      typeof cause.code === 'string' && !cause.message.includes(cause.code) ? `${cause.code} ` : '';
    return `${code}${cause.message}`.trim() || describeError(error);
  }
  return describeError(error);
}

/** URLs inside an error text with their credentials and query strings cut (`https://***@host/path?***`). */
export function redactUrls(text: string): string {
  return text.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@]*@)?([^\s/?#]*)([^\s?#]*)(\?[^\s#]*)?/gi,
    (...m: string[]) => {
      const [, scheme, userinfo, host, path, query] = m;
      return `${scheme}${userinfo ? '***@' : ''}${host}${path}${query ? '?***' : ''}`;
    },
  );
}
