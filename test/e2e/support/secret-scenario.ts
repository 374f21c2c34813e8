import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatonApi, RunDetail } from './api-client';
import { uniqueWorkflowId } from './env';

// A run with secret params whose step writes each value to a proof file (so
// they arrived) and prints them, shared by the embedded and Kafka suites;
// each suite then searches what it stores for the values.

export const SECRET_VALUES = {
  sealed: 'e2e-sealed-1b7f3c9a',
  fromEnv: 'e2e-env-4c2d8e1f',
  fromFile: 'e2e-file-9a6b0d3e',
} as const;
export const SECRETS: readonly string[] = Object.values(SECRET_VALUES);

/** Where the run's step writes its proofs and the executor reads `file:` references. */
export interface SecretDirs {
  readonly proof: string;
  readonly secretFiles: string;
}

export function secretDirs(root: string): SecretDirs {
  const dirs = { proof: join(root, 'proof'), secretFiles: join(root, 'secret-files') };
  mkdirSync(dirs.proof, { recursive: true });
  mkdirSync(dirs.secretFiles, { recursive: true });
  writeFileSync(join(dirs.secretFiles, 'db.pw'), `${SECRET_VALUES.fromFile}\n`);
  return dirs;
}

/** What an executor of the scenario needs in its environment. */
export function executorSecretEnv(dirs: SecretDirs): Record<string, string> {
  return { BATON_SECRET_FILES_DIR: dirs.secretFiles, E2E_REFERENCED_SECRET: SECRET_VALUES.fromEnv };
}

/**
 * Pushes the workflow, runs it with a literal secret (sealed by the API) and
 * an `env:` reference (its `file:` one is the default), waits for success,
 * checks the proofs and that the API answers show only masks. Answers the run.
 */
export async function runSecretScenario(api: BatonApi, suite: string, dirs: SecretDirs): Promise<RunDetail> {
  const workflowId = uniqueWorkflowId(suite, 'secrets');
  await api.push(`id: ${workflowId}
params:
  token: { type: string, secret: true }
  db_password: { type: string, secret: true, default: 'file:db.pw' }
  from_env: { type: string, secret: true }
steps:
  - id: use
    type: shell
    command:
      - sh
      - -c
      - >-
        printf %s "$TOKEN" > "$PROOF/token"; printf %s "$DB" > "$PROOF/db"; printf %s "$FROM_ENV" > "$PROOF/env";
        printf %s "$BATON_PARAM_AUTH" > "$PROOF/auth";
        echo "token=$TOKEN db=$DB env=$FROM_ENV"; echo "stderr $TOKEN" >&2;
        printf '{"copied": "%s"}' "$TOKEN" > "$BATON_OUTPUT_FILE"
    params:
      auth: \${'Bearer ' + params.token}
    env:
      PROOF: ${dirs.proof}
      TOKEN: \${params.token}
      DB: \${params.db_password}
      FROM_ENV: \${params.from_env}
    outputs:
      copied: result.output.copied
`);
  const runId = await api.start(
    workflowId,
    { token: SECRET_VALUES.sealed, from_env: 'env:E2E_REFERENCED_SECRET' },
    `${suite}-secrets-1`,
  );
  const run = await api.waitForRun(runId, (r) => r.status === 'succeeded', 60_000);

  // They arrived, each where the step reads it.
  const proof = (name: string) => readFileSync(join(dirs.proof, name), 'utf8');
  expect(proof('token')).toBe(SECRET_VALUES.sealed);
  expect(proof('db')).toBe(SECRET_VALUES.fromFile);
  expect(proof('env')).toBe(SECRET_VALUES.fromEnv);
  expect(proof('auth')).toBe(`Bearer ${SECRET_VALUES.sealed}`);

  // The API shows masks: params, the output the step copied the secret into, the log tails.
  expect(run.params).toMatchObject({ token: '***', db_password: '***', from_env: '***' });
  const logs = await api.logs(runId, 'use');
  expect(JSON.stringify(logs)).toContain('token=*** db=*** env=***');
  expectNoSecret('API answers', JSON.stringify([run, await api.events(runId), logs]));
  return run;
}

/** Fails naming `where` and the secret when `text` holds any of them. */
export function expectNoSecret(where: string, text: string): void {
  const found = SECRETS.filter((secret) => text.includes(secret));
  expect({ where, found }).toEqual({ where, found: [] });
}

/** Every file under `dir`, whatever its format (log segments, PGlite pages, WAL). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export function filesHolding(files: readonly string[], value: string): string[] {
  const needle = Buffer.from(value, 'utf8');
  return files.filter((file) => readFileSync(file).includes(needle));
}
