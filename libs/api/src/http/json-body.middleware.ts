import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonNesting } from '@baton/domain';
import { answerError, readBoundedBody } from './bounded-body';

/** Bodies of the JSON routes (start a run, signals, actions) are small; a run's params are at most this. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
/** Run params nest at most 32 levels (`maxValueDepth`); the body around them adds two. */
export const JSON_BODY_MAX_NESTING = 64;

type BodyRequest = IncomingMessage & { body?: unknown };
type Next = (error?: unknown) => void;

/**
 * Express middleware that parses JSON request bodies in place of Nest's
 * parser (it is named `jsonParser`, so Nest does not add its own): the body
 * is read up to `limitBytes` (413 past it, without buffering more), its
 * bracket nesting is checked by a one-pass scan before anything recursive
 * parses it (400 past `maxNesting`), and bad JSON is a 400 in the API's error
 * shape. Other content types pass through untouched (the workflow push reads
 * its own body, `workflowSourceBody`).
 */
export function jsonBody(limitBytes = JSON_BODY_LIMIT_BYTES, maxNesting = JSON_BODY_MAX_NESTING) {
  return function jsonParser(req: BodyRequest, res: ServerResponse, next: Next): void {
    if (req.body !== undefined || !isJson(req.headers['content-type'])) {
      next();
      return;
    }
    const tooLarge = `a JSON request body is at most ${limitBytes} bytes`;
    readBoundedBody(req, res, next, { limitBytes, tooLarge }, (text) => {
      if (/^[ \t\n\r]*$/.test(text)) {
        next();
        return;
      }
      if (jsonNesting(text, maxNesting) > maxNesting) {
        answerError(res, 400, `the JSON body nests deeper than ${maxNesting} levels`);
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        answerError(res, 400, `the body is not valid JSON: ${(error as Error).message}`);
        return;
      }
      // Every JSON body of the API is an object.
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        answerError(res, 400, 'the body must be a JSON object');
        return;
      }
      req.body = body;
      next();
    });
  };
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}
