// The only way the UI reaches Baton: the public REST API under /api/v1, with
// the bearer token from the sign-in form on every call. Errors become ApiError
// with the API's own message and field paths, so pages can show them in words.

const TOKEN_KEY = 'baton.token';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request path, shown with the message. */
    readonly path: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

export const token = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (value: string): void => localStorage.setItem(TOKEN_KEY, value),
  clear: (): void => localStorage.removeItem(TOKEN_KEY),
};

/** Listeners told when the API answers 401 (the app shows the sign-in form). */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const value = token.get();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const url = `/api/v1${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...authHeaders(),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, `the API is unreachable (${String(cause)})`, `${method} ${url}`);
  }
  if (response.status === 401) unauthorizedListeners.forEach((l) => l());
  const text = await response.text();
  const json = parseJson(text);
  if (!response.ok) throw toApiError(response.status, json, text, `${method} ${url}`);
  return json as T;
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toApiError(status: number, json: unknown, text: string, path: string): ApiError {
  const body = (json ?? {}) as { message?: unknown; errors?: unknown };
  const message = Array.isArray(body.message)
    ? body.message.join('; ')
    : typeof body.message === 'string'
      ? body.message
      : text.slice(0, 300) || `HTTP ${status}`;
  const errors = Array.isArray(body.errors)
    ? (body.errors as FieldError[]).filter((e) => typeof e?.path === 'string')
    : [];
  return new ApiError(status, message, path, errors);
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return '';
  return '?' + new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
}
