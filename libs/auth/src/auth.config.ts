import type { OidcConfig } from './oidc-verifier';
import { isRole, ROLES, type Role } from './roles';
import { hashSecretSync } from './token-secret';

/**
 * How the API authenticates, read once at start from the environment (the
 * README's configuration table):
 * - `BATON_AUTH` `on` (default) or `off` — off only by saying so, and every start then warns;
 * - `BATON_ADMIN_TOKEN`: a deployment's admin token, kept here only as a salted hash;
 * - `BATON_OIDC_ISSUER`, `_AUDIENCE`, `_JWKS_URL` (all three, or none), `_ROLE_CLAIM`
 *   (default `roles`), `_ROLE_MAP` (`group=role,...`), `_SCOPE_CLAIM`;
 * - `BATON_RATE_LIMIT_PER_MINUTE`: mutating requests per principal (default 600; 0 for none).
 */
export interface AuthConfig {
  readonly enabled: boolean;
  /** `hashSecret` of BATON_ADMIN_TOKEN, or null when unset. */
  readonly adminTokenHash: string | null;
  readonly oidc: OidcConfig | null;
  readonly mutationsPerMinute: number;
}

export const DEFAULT_MUTATIONS_PER_MINUTE = 600;

export function loadAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const mode = (env.BATON_AUTH ?? 'on').toLowerCase();
  if (mode !== 'on' && mode !== 'off')
    throw new Error(`BATON_AUTH must be 'on' or 'off', got '${env.BATON_AUTH}'`);
  const admin = env.BATON_ADMIN_TOKEN;
  if (admin !== undefined && admin.length > 0 && admin.length < 16) {
    throw new Error('BATON_ADMIN_TOKEN must be at least 16 characters (use e.g. `openssl rand -hex 32`)');
  }
  return {
    enabled: mode === 'on',
    adminTokenHash: admin ? hashSecretSync(admin) : null,
    oidc: loadOidc(env),
    mutationsPerMinute: nonNegativeInt(env, 'BATON_RATE_LIMIT_PER_MINUTE', DEFAULT_MUTATIONS_PER_MINUTE),
  };
}

function loadOidc(env: NodeJS.ProcessEnv): OidcConfig | null {
  const names = ['BATON_OIDC_ISSUER', 'BATON_OIDC_AUDIENCE', 'BATON_OIDC_JWKS_URL'] as const;
  const set = names.filter((name) => env[name]);
  if (set.length === 0) return null;
  if (set.length < names.length) {
    throw new Error(
      `OIDC needs ${names.join(', ')} together; missing ${names.filter((n) => !env[n]).join(', ')}`,
    );
  }
  return {
    issuer: env.BATON_OIDC_ISSUER as string,
    audience: env.BATON_OIDC_AUDIENCE as string,
    jwksUrl: new URL(env.BATON_OIDC_JWKS_URL as string).toString(),
    roleClaim: env.BATON_OIDC_ROLE_CLAIM || 'roles',
    roleMap: parseRoleMap(env.BATON_OIDC_ROLE_MAP ?? ''),
    scopeClaim: env.BATON_OIDC_SCOPE_CLAIM || null,
  };
}

/** `baton-admins=admin,data-team=operator` -> { 'baton-admins': 'admin', 'data-team': 'operator' }. */
export function parseRoleMap(text: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const value = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || !isRole(role)) {
      throw new Error(`BATON_OIDC_ROLE_MAP entry '${entry}' must be <claim value>=<${ROLES.join('|')}>`);
    }
    map[value] = role;
  }
  return map;
}

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number >= 0, got '${raw}'`);
  return value;
}
