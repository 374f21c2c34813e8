/**
 * How a secret param's value travels through Baton. The domain never sees a
 * secret in clear: a value is either
 * - a *sealed token* `baton:sealed:v1:<base64url>`, AES-256-GCM ciphertext
 *   made at the edge (the API, run-request admission) under a key only the
 *   edge and the executors hold; or
 * - a *reference* `baton:secret-ref:env:NAME` / `baton:secret-ref:file:PATH`,
 *   resolved by the executor that runs the step. A run request or a default
 *   writes it `env:NAME` / `file:PATH`; `secretParamValue` canonicalises it.
 * Both are opaque strings here: CEL can pass them on (they stay sealed), but
 * never see, compare or transform the clear value; only an executor turns
 * them back, and only into a step's environment, headers or body.
 */
export const SEALED_SECRET_PREFIX = 'baton:sealed:v1:';
export const SECRET_REF_PREFIX = 'baton:secret-ref:';

/** A sealed token or a reference marker, anywhere in a string (the executor resolves each; the API masks each). */
export const SECRET_TOKEN_PATTERN = /baton:(?:sealed:v1:[A-Za-z0-9_-]+|secret-ref:(?:env|file):[^\s"',;]+)/g;

/** `env:NAME` or `file:PATH`, as a user writes a reference. */
const USER_REFERENCE = /^(env|file):\S+$/;

export function isSealedSecret(value: string): boolean {
  return (
    value.startsWith(SEALED_SECRET_PREFIX) &&
    /^[A-Za-z0-9_-]+$/.test(value.slice(SEALED_SECRET_PREFIX.length))
  );
}

/** Whether a run request's value for a secret param is a reference rather than a literal to seal. */
export function isSecretReference(value: string): boolean {
  return USER_REFERENCE.test(value);
}

/**
 * The value a secret param holds in a run: a sealed token or reference
 * marker unchanged, a user reference turned into its marker, or undefined
 * for anything else (a clear value that no edge sealed: the run is refused).
 */
export function secretParamValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (isSealedSecret(value)) return value;
  if (value.startsWith(SECRET_REF_PREFIX) && isSecretReference(value.slice(SECRET_REF_PREFIX.length))) {
    return value;
  }
  return isSecretReference(value) ? `${SECRET_REF_PREFIX}${value}` : undefined;
}
