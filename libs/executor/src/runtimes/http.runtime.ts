import type { JsonObject, JsonValue } from '@baton/domain/shared/json';
import { AttemptSignal, stopMessage } from './attempt-signal';
import { LogCollector } from './log-tail';
import { describeError, isErrorLike, type RunContext, type StepRuntime } from './step-runtime';
import { parseStepOutput } from './step-output-json';
import { failed, succeeded, type HttpTask, type StepOutcome } from './step-task';

/**
 * Runs an HTTP step with the global `fetch` (redirects followed).
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
}

const RESULT_HEADERS = ['content-type', 'content-length', 'location', 'etag', 'retry-after', 'x-request-id'];
const MESSAGE_BODY_CHARS = 2048;

export class HttpRuntime implements StepRuntime<'http'> {
  readonly type = 'http' as const;
  private readonly maxBodyBytes: number;

  constructor(options: HttpRuntimeOptions = {}) {
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  }

  async run(task: HttpTask, ctx: RunContext): Promise<StepOutcome> {
    const { method, headers, body } = task.spec;
    if (ctx.signal.aborted) return failed('cancelled', 'step cancelled');

    let url: URL;
    try {
      url = new URL(task.spec.url);
    } catch {
      return failed('user', `invalid url: ${JSON.stringify(task.spec.url)}`);
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
    } catch (error) {
      return failed('user', `invalid request header: ${describeError(error)}`);
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
      const response = await fetch(url, {
        method,
        headers: requestHeaders,
        body: payload,
        signal: attempt.signal,
      });
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
      const message = `${target} failed: ${networkErrorText(error)}`;
      logs.line('stderr', message);
      return failed('user', message, logs.logs());
    } finally {
      attempt.dispose();
    }
  }
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
