import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_DEFINITION_LIMITS } from '@baton/definitions';
import { readBoundedBody } from './bounded-body';

/** The route whose body is a workflow document (YAML or JSON text), read raw. */
export const WORKFLOW_PUSH_PATH = '/api/v1/workflows';
/** A Maestro workflow to convert: a document too. */
export const MAESTRO_IMPORT_PATH = '/api/v1/import/maestro';
/** The routes whose bodies are documents, read raw and accepted as YAML or JSON. */
export const DOCUMENT_PATHS: readonly string[] = [WORKFLOW_PUSH_PATH, MAESTRO_IMPORT_PATH];

/** Content types documented for a push; others are read as text too, and the format is guessed. */
export const WORKFLOW_CONTENT_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'application/json',
] as const;

type BodyRequest = IncomingMessage & { body?: unknown };
type Next = (error?: unknown) => void;

/**
 * Express middleware that reads the body of `POST /api/v1/workflows` (and
 * the other `DOCUMENT_PATHS`) as
 * UTF-8 text, byte for byte, whatever its content type, and leaves it in
 * `req.body`. It must run before Nest's JSON parser (register it with
 * `app.use` before `listen`, as `configureApi` does): the parser would
 * otherwise reject YAML, or re-serialize JSON and lose the text the registry
 * keeps as the version's source. Once the stream is consumed the body
 * parsers skip the request.
 *
 * Bodies over `limitBytes` are refused with 413 without being buffered.
 */
export function workflowSourceBody(limitBytes = DEFAULT_DEFINITION_LIMITS.maxDocumentBytes + 64 * 1024) {
  return (req: BodyRequest, res: ServerResponse, next: Next): void => {
    if (req.method !== 'POST' || !DOCUMENT_PATHS.includes(pathOf(req.url))) {
      next();
      return;
    }
    const tooLarge = `a workflow document is at most ${limitBytes} bytes`;
    readBoundedBody(req, res, next, { limitBytes, tooLarge }, (text) => {
      req.body = text;
      next();
    });
  };
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * The raw text `workflowSourceBody` left in the body. Should an app skip
 * `configureApi`, Nest's JSON parser will have parsed a JSON body already:
 * it is re-serialized (valid, though not byte for byte the text sent).
 */
export function documentText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  return JSON.stringify(body, null, 2);
}
