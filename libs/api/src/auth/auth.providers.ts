import type { Provider } from '@nestjs/common';
import { batonLogger } from '@baton/observability';
import {
  Authenticator,
  migrateAuthSchema,
  OidcVerifier,
  RateLimiter,
  TokenStore,
  type AuthConfig,
} from '@baton/auth';
import { CLOCK, SQL_CLIENT, type Clock } from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { AUTH_CONFIG, AUTHENTICATOR, RATE_LIMITER } from './auth.tokens';

/**
 * Authentication for `ApiModule`. AUTH_CONFIG is the process config's
 * (`ApiModule.forRoot(config)`, read once by `loadApiConfig`: a bad value stops
 * the process with its name).
 */
export const AUTH_PROVIDERS: Provider[] = [
  {
    provide: TokenStore,
    inject: [SQL_CLIENT, CLOCK],
    useFactory: async (sql: SqlClient, clock: Clock) => {
      await migrateAuthSchema(sql);
      return new TokenStore(sql, () => clock.now());
    },
  },
  {
    provide: AUTHENTICATOR,
    inject: [AUTH_CONFIG, TokenStore, CLOCK],
    useFactory: (config: AuthConfig, tokens: TokenStore, clock: Clock) => {
      if (!config.enabled) {
        batonLogger('Auth').warn(
          'BATON_AUTH=off: the API accepts every request without a token, as admin. ' +
            'Anyone who can reach this port can run code on the executors.',
        );
      }
      return new Authenticator(config, tokens, config.oidc && new OidcVerifier(config.oidc), () =>
        clock.now(),
      );
    },
  },
  {
    provide: RATE_LIMITER,
    inject: [AUTH_CONFIG, CLOCK],
    useFactory: (config: AuthConfig, clock: Clock) =>
      config.mutationsPerMinute > 0 ? new RateLimiter(config.mutationsPerMinute, () => clock.now()) : null,
  },
];
