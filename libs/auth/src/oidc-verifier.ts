import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Principal } from './principal';
import { isRole, type Role } from './roles';

/** An identity provider whose JWTs the API accepts (`BATON_OIDC_*`). */
export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  /** The provider's JWKS document (keys are fetched and cached by `jose`, refreshed on an unknown `kid`). */
  readonly jwksUrl: string;
  /** The claim naming the role: a string or an array of strings (e.g. `groups`). */
  readonly roleClaim: string;
  /**
   * Claim value -> role (`baton-admins=admin`); a value that is a role name
   * maps to itself. Several values: the strongest role wins.
   */
  readonly roleMap: Readonly<Record<string, Role>>;
  /** A claim holding workflow-id prefixes (string or array); absent: every workflow. */
  readonly scopeClaim: string | null;
}

/** Why a JWT was refused, for the 401's message (never the token itself). */
export type OidcResult =
  { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

const STRENGTH: readonly Role[] = ['viewer', 'operator', 'admin'];

/**
 * Verifies bearer JWTs: signature against the provider's JWKS, `iss`, `aud`,
 * `exp`/`nbf` (30 s of clock tolerance); then maps the role claim to a Baton
 * role. A valid token with no mapped role is refused: being known to the
 * provider is not the same as being allowed into Baton.
 */
export class OidcVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: OidcConfig) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5_000 });
  }

  async verify(jwt: string): Promise<OidcResult> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: 30,
      }));
    } catch (error) {
      return { ok: false, reason: describe(error) };
    }
    const role = this.roleOf(payload[this.config.roleClaim]);
    if (!role) {
      return { ok: false, reason: `the token's ${this.config.roleClaim} claim maps to no Baton role` };
    }
    const scopes = this.config.scopeClaim === null ? null : strings(payload[this.config.scopeClaim]);
    return {
      ok: true,
      principal: {
        subject: `oidc:${payload.sub ?? 'unknown'}`,
        role,
        scopes: scopes?.length ? scopes : null,
      },
    };
  }

  private roleOf(claim: unknown): Role | null {
    const roles = (strings(claim) ?? [])
      .map((value) => this.config.roleMap[value] ?? (isRole(value) ? value : null))
      .filter((role): role is Role => role !== null);
    if (roles.length === 0) return null;
    return roles.reduce((best, role) => (STRENGTH.indexOf(role) > STRENGTH.indexOf(best) ? role : best));
  }
}

function strings(claim: unknown): string[] | null {
  if (typeof claim === 'string') return [claim];
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === 'string');
  return null;
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey)
    return "no key of the identity provider's JWKS matches the token";
  if (error instanceof errors.JOSEError) return `the token is not accepted (${error.code})`;
  return 'the identity provider could not be reached to check the token';
}
