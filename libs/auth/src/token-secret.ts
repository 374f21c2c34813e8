import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * API token text: `baton_<id>_<secret>`. The id (12 hex digits) finds the
 * stored row; the secret (32 random bytes, base64url) is checked against the
 * row's salted scrypt hash. Only the hash is ever stored; the text is shown
 * once, when the token is created.
 */
export interface TokenText {
  readonly id: string;
  readonly secret: string;
}

const PREFIX = 'baton';
const TOKEN_PATTERN = /^baton_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function newTokenText(): { readonly text: string } & TokenText {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, text: `${PREFIX}_${id}_${secret}` };
}

/** The parts of a Baton API token, or null for anything else (a JWT, a typo). */
export function parseTokenText(text: string): TokenText | null {
  const match = TOKEN_PATTERN.exec(text);
  return match ? { id: match[1], secret: match[2] } : null;
}

/**
 * scrypt's cost: N=2^14, r=8 (RFC 7914's interactive setting, ~16 MiB and
 * tens of milliseconds), so a leaked table is slow to attack even though the
 * secrets are random. Verification results are cached by the authenticator,
 * so the cost is paid once per token and process, not per request.
 */
const COST: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 32;

/** `scrypt$N$r$p$<salt>$<hash>` (base64url): self-describing, so the cost can rise without breaking old rows. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check of a secret against `hashSecret`'s output; false for a malformed hash. */
export async function verifySecret(secret: string, hashed: string): Promise<boolean> {
  const parts = hashed.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (![N, r, p].every(Number.isInteger) || expected.length !== KEY_BYTES) return false;
  const key = await derive(secret, salt, { N, r, p, maxmem: COST.maxmem });
  return timingSafeEqual(key, expected);
}

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `hashSecret`, synchronously: for the one secret hashed at start (`BATON_ADMIN_TOKEN`). */
export function hashSecretSync(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret, salt, KEY_BYTES, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}
