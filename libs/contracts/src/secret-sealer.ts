import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  SEALED_SECRET_PREFIX,
  SECRET_TOKEN_PATTERN,
  isSealedSecret,
  isSecretReference,
  type JsonObject,
  type JsonValue,
  type WorkflowDefinition,
} from '@baton/domain';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** What a sealed token or reference marker becomes in anything a person or another system reads. */
export const SECRET_MASK = '***';

/**
 * Seals and unseals secret param values with AES-256-GCM under one key that
 * the edge (API, run-request admission) and the executors share. A token is
 * `baton:sealed:v1:` + base64url(iv ‖ tag ‖ ciphertext): a fresh random IV per
 * value, so equal secrets give different tokens, and the tag makes a tampered
 * or foreign token fail to unseal instead of yielding garbage.
 *
 * @example
 *   const sealer = new SecretSealer(key);          // 32 bytes
 *   const token = sealer.seal('hunter2');          // goes into the log
 *   sealer.unseal(token);                          // 'hunter2', on the executor
 */
export class SecretSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`a secrets key is ${KEY_BYTES} bytes, got ${key.length}`);
  }

  static generateKey(): Buffer {
    return randomBytes(KEY_BYTES);
  }

  seal(clear: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
    return SEALED_SECRET_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The clear value; throws when the token is malformed or was sealed under another key. */
  unseal(token: string): string {
    if (!isSealedSecret(token)) throw new Error('not a sealed secret');
    const raw = Buffer.from(token.slice(SEALED_SECRET_PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new Error('sealed secret does not open with this key (sealed under another BATON_SECRETS_KEY?)');
    }
  }
}

/**
 * `value` with every sealed token and reference marker inside its strings
 * replaced by `***`: what API answers and the SSE stream show. Returns the
 * same object when there was nothing to mask, so the common case costs a walk.
 */
export function maskSecretTokens<T extends JsonValue | undefined>(value: T): T {
  return maskValue(value) as T;
}

function maskValue(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.includes('baton:') ? value.replace(SECRET_TOKEN_PATTERN, SECRET_MASK) : value;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const masked = maskValue(item);
      changed ||= masked !== item;
      return masked;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const masked = maskValue(item);
      changed ||= masked !== item;
      out[key] = masked;
    }
    return changed ? out : value;
  }
  return value;
}

export type SealedParams =
  | { readonly ok: true; readonly params: JsonObject }
  /** A secret arrived in clear and there is no key to seal it; `param` names it (never its value). */
  | { readonly ok: false; readonly param: string };

/**
 * `params` with each of the workflow's secret params sealed, at the edge
 * (the API, run-request admission) before anything is published, so the
 * log, the read model and the archive only ever hold ciphertext. References
 * (`env:NAME`, `file:PATH`) and sealed tokens pass as they are; params that
 * are not secret are untouched. Returns the same object when nothing changed.
 */
export function sealSecretParams(
  definition: WorkflowDefinition,
  params: JsonObject,
  sealer: SecretSealer | null,
): SealedParams {
  let out: JsonObject | undefined;
  for (const param of definition.params) {
    const value = params[param.name];
    if (!param.secret || typeof value !== 'string') continue;
    if (isSecretReference(value) || isSealedSecret(value)) continue;
    if (sealer === null) return { ok: false, param: param.name };
    out ??= { ...params };
    out[param.name] = sealer.seal(value);
  }
  return { ok: true, params: out ?? params };
}

/** `params` with every secret param's value (whatever it is) replaced by `***`: for dead letters. */
export function maskSecretParams(definition: WorkflowDefinition, params: JsonObject): JsonObject {
  const out: JsonObject = { ...params };
  for (const param of definition.params) if (param.secret && param.name in out) out[param.name] = SECRET_MASK;
  return out;
}
