/**
 * What the API's services throw: plain errors with no HTTP in them (STYLE.md,
 * principle 5); `ApiExceptionFilter` turns each into its status and body.
 */

/** One problem in a request: a JSON path into the body (or the query) and how to fix it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
  /** 1-based, when the body was YAML/JSON text. */
  readonly line?: number;
  readonly column?: number;
}

/** 400: the request cannot be accepted as sent; `errors` lists every problem found. */
export class InvalidRequestError extends Error {
  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** 403: the caller may not do this (a scoped token and a workflow outside its scopes). */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** 404: the thing named in the path does not exist (or is not projected yet). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** 409: the request is valid but the current state refuses it (e.g. cancelling a finished run). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** 410: the thing named in the path will never exist (a run whose request its run strategy dropped). */
export class GoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoneError';
  }
}

/** 413: the body is larger than the API reads. */
export class PayloadTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}
