export {
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  isRole,
  roleAllows,
  type Permission,
  type Role,
} from './roles';
export { ANONYMOUS_ADMIN, inScope, isScoped, principalCan, type Principal } from './principal';
export { hashSecret, hashSecretSync, parseTokenText, verifySecret } from './token-secret';
export { TokenStore, type ApiToken, type NewApiToken } from './token-store';
export { migrateAuthSchema } from './migrations/auth-schema';
export { OidcVerifier, type OidcConfig } from './oidc-verifier';
export { DEFAULT_MUTATIONS_PER_MINUTE, loadAuthConfig, parseRoleMap, type AuthConfig } from './auth.config';
export {
  Authenticator,
  ENV_ADMIN_SUBJECT,
  VERIFIED_TOKEN_TTL_MS,
  type Authentication,
} from './authenticator';
export { RateLimiter, type RateDecision } from './rate-limiter';
export { ADMIN_TOKEN_FILE, adminTokenPath } from './admin-token-file';
