import type { Environment } from '@baton/platform';
import type { StepRuntimesOptions } from './create-step-runtimes';
import { DEFAULT_HTTP_DENY } from './http-target-policy';

/**
 * An executor process's sandboxing settings from its environment (README's
 * configuration table), read once in `apps/*`:
 * - `BATON_SHELL_STEPS` `on` (default) or `off`; `BATON_SHELL_ALLOW` programs, comma-separated;
 * - `BATON_HTTP_DENY` added to `DEFAULT_HTTP_DENY`; `BATON_HTTP_ALLOW` exceptions
 *   (`defaultAllow` when unset: the all-in-one allows `loopback`, see its config);
 *   `BATON_HTTP_MAX_REDIRECTS` (5);
 * - `BATON_SECRET_FILES_DIR` (`/run/secrets`) for `file:` secret references;
 *   `env:` references resolve in `env` itself (`secretEnv`).
 * The sealer is not here: the pool module takes it from the platform.
 */
export function stepRuntimesFromEnv(
  env: Environment,
  defaults: { readonly httpAllow?: readonly string[] } = {},
): Omit<StepRuntimesOptions, 'secrets'> & {
  readonly secretFilesDir: string;
  readonly secretEnv: Environment;
} {
  const shell = (env.BATON_SHELL_STEPS ?? 'on').toLowerCase();
  if (shell !== 'on' && shell !== 'off')
    throw new Error(`BATON_SHELL_STEPS must be 'on' or 'off', got '${env.BATON_SHELL_STEPS}'`);
  const allowed = list(env.BATON_SHELL_ALLOW);
  const redirects = Number(env.BATON_HTTP_MAX_REDIRECTS ?? 5);
  if (!Number.isInteger(redirects) || redirects < 0) {
    throw new Error(
      `BATON_HTTP_MAX_REDIRECTS must be a non-negative integer, got '${env.BATON_HTTP_MAX_REDIRECTS}'`,
    );
  }
  return {
    // The executor's own environment: shell steps inherit PATH, HOME, ... from it, `env:` secrets resolve in it.
    shell: { executorEnv: env },
    secretEnv: env,
    shellPolicy: { enabled: shell === 'on', ...(allowed === undefined ? {} : { allowedPrograms: allowed }) },
    http: {
      policy: {
        deny: [...DEFAULT_HTTP_DENY, ...(list(env.BATON_HTTP_DENY) ?? [])],
        allow: list(env.BATON_HTTP_ALLOW) ?? defaults.httpAllow ?? [],
      },
      maxRedirects: redirects,
    },
    secretFilesDir: env.BATON_SECRET_FILES_DIR ?? '/run/secrets',
  };
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
