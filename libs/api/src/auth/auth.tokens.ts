/** Nest injection tokens of the API's authentication (see `AUTH_PROVIDERS`). */
export const AUTH_CONFIG = Symbol('AuthConfig');
export const AUTHENTICATOR = Symbol('Authenticator');
export const RATE_LIMITER = Symbol('RateLimiter');
