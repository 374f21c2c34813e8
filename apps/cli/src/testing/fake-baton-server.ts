import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/v1/runs?limit=20`. */
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface CannedResponse {
  readonly status: number;
  readonly body?: unknown;
}

export type Route = (request: RecordedRequest) => CannedResponse | undefined;

/**
 * A stand-in for Baton's REST API on 127.0.0.1 (a real socket, so the CLI's
 * fetch, URLs, headers and bodies are exercised): each test sets `route`;
 * unmatched requests get Nest's 404 shape.
 */
export class FakeBatonServer {
  readonly requests: RecordedRequest[] = [];
  /** The Authorization header of each request, in order (kept apart so `requests` stays comparable). */
  readonly authorizations: (string | undefined)[] = [];
  route: Route = () => undefined;
  private server: Server | undefined;

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests other than polling reads, for asserting what the CLI sent. */
  sent(method: string, pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.url.startsWith(pathPrefix));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      contentType: req.headers['content-type'],
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    this.authorizations.push(req.headers.authorization);
    const answer = this.route(request) ?? {
      status: 404,
      body: { statusCode: 404, message: `Cannot ${request.method} ${request.url}`, error: 'Not Found' },
    };
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, text === '' ? {} : { 'content-type': 'application/json' });
    res.end(text);
  }
}

/** Answers with each response in turn, then repeats the last one (a run advancing between polls). */
export function inTurn(responses: readonly CannedResponse[]): () => CannedResponse {
  let next = 0;
  return () => responses[Math.min(next++, responses.length - 1)]!;
}
