import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (error?: unknown) => void;

/**
 * Reads a request body as UTF-8 text, up to `limitBytes`: past it the
 * request is answered 413 with `tooLarge` (and the connection closed)
 * without buffering more. `onText` gets the whole body; a stream error goes
 * to `next`.
 */
export function readBoundedBody(
  req: IncomingMessage,
  res: ServerResponse,
  next: Next,
  limits: { readonly limitBytes: number; readonly tooLarge: string },
  onText: (text: string) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > limits.limitBytes) {
      refused = true;
      chunks.length = 0;
      res.setHeader('Connection', 'close');
      answerError(res, 413, limits.tooLarge);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!refused) onText(Buffer.concat(chunks).toString('utf8'));
  });
  req.on('error', (error) => {
    if (!refused) next(error);
  });
}

/** An answer in the API's error shape, written before Nest sees the request. */
export function answerError(res: ServerResponse, statusCode: number, message: string): void {
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ statusCode, message, errors: [{ path: '$', message }] }));
}
