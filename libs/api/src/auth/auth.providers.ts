import { Logger, type Provider } from '@nestjs/common';
import {
  Authenticator,
  loadAuthConfig,
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
 * Authentication for `ApiModule`. The configuration is read once from the
 * environment at start (`loadAuthConfig`: a bad value stops the process with
 * its name), unless an app or a spec provides AUTH_CONFIG itself.
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
        new Logger('Auth').warn(
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

/** AUTH_CONFIG from the environment, for apps that do not provide their own. */
export const AUTH_CONFIG_FROM_ENV: Provider = {
  provide: AUTH_CONFIG,
  useFactory: () => loadAuthConfig(process.env),
};
