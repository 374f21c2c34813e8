import { createHash } from 'node:crypto';
import type { AuthConfig } from './auth.config';
import type { OidcVerifier } from './oidc-verifier';
import { ANONYMOUS_ADMIN, type Principal } from './principal';
import { verifySecret } from './token-secret';
import type { TokenStore } from './token-store';

export type Authentication =
  { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

/** The subject BATON_ADMIN_TOKEN authenticates as, in the audit trail. */
export const ENV_ADMIN_SUBJECT = 'env:BATON_ADMIN_TOKEN';

/**
 * How long a verified token is trusted without asking the store again. A
 * revocation takes effect at once on the process that revoked it, and within
 * this delay on the others.
 */
export const VERIFIED_TOKEN_TTL_MS = 10_000;
const MAX_CACHED = 10_000;

/**
 * Turns an `Authorization` header into a principal. A bearer is tried, in
 * order, as a Baton API token (`baton_<id>_<secret>`), as BATON_ADMIN_TOKEN,
 * and as a JWT of the configured identity provider. Successful scrypt
 * checks are cached for `VERIFIED_TOKEN_TTL_MS`, keyed by a SHA-256 of the
 * token, so a busy client pays for scrypt once per process and TTL.
 */
export class Authenticator {
  private readonly verified = new Map<string, { readonly principal: Principal; readonly until: number }>();

  constructor(
    private readonly config: AuthConfig,
    private readonly tokens: Pick<TokenStore, 'verify'>,
    private readonly oidc: Pick<OidcVerifier, 'verify'> | null,
    private readonly now: () => number,
  ) {}

  get enabled(): boolean {
    return this.config.enabled;
  }

  async authenticate(authorization: string | undefined): Promise<Authentication> {
    if (!this.config.enabled) return { ok: true, principal: ANONYMOUS_ADMIN };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) {
      return {
        ok: false,
        reason: authorization
          ? 'the Authorization header must be "Bearer <token>"'
          : 'authentication required: send "Authorization: Bearer <token>" (baton token create, or the admin token in the data directory)',
      };
    }
    const bearer = match[1];
    const key = createHash('sha256').update(bearer).digest('hex');
    const cached = this.verified.get(key);
    if (cached && cached.until > this.now()) return { ok: true, principal: cached.principal };
    const found = await this.check(bearer);
    if (found.ok && !found.principal.subject.startsWith('oidc:')) this.remember(key, found.principal);
    return found;
  }

  /** Drops cached verifications of a subject (after its token was revoked here). */
  forget(subject: string): void {
    for (const [key, entry] of this.verified)
      if (entry.principal.subject === subject) this.verified.delete(key);
  }

  private async check(bearer: string): Promise<Authentication> {
    const stored = await this.tokens.verify(bearer);
    if (stored) return { ok: true, principal: stored };
    if (this.config.adminTokenHash && (await verifySecret(bearer, this.config.adminTokenHash))) {
      return { ok: true, principal: { subject: ENV_ADMIN_SUBJECT, role: 'admin', scopes: null } };
    }
    if (this.oidc && bearer.split('.').length === 3) {
      const result = await this.oidc.verify(bearer);
      return result.ok ? result : { ok: false, reason: result.reason };
    }
    return { ok: false, reason: 'the bearer token is unknown, revoked or malformed' };
  }

  private remember(key: string, principal: Principal): void {
    if (this.verified.size >= MAX_CACHED) this.verified.clear();
    this.verified.set(key, { principal, until: this.now() + VERIFIED_TOKEN_TTL_MS });
  }
}
