import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonApi } from './support/api-client';
import { freePort, tempDir, uniqueWorkflowId } from './support/env';
import { ProcessGroup } from './support/processes';

// Secret params end to end on the embedded all-in-one: a run gets a sealed
// literal and two references (env:, file:), its step writes each value to a
// proof file (they arrived) and prints them, and then nothing a person or
// another system can read holds any of them in clear: the data dir (the log
// with every topic, status events included, and PGlite's files), the API's
// answers, and the process log.

jest.setTimeout(180_000);

const SEALED = 'e2e-sealed-1b7f3c9a';
const FROM_ENV = 'e2e-env-4c2d8e1f';
const FROM_FILE = 'e2e-file-9a6b0d3e';
const SECRETS = [SEALED, FROM_ENV, FROM_FILE];

/** Every file under `dir`, whatever its format (log segments, PGlite pages, WAL). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function filesHolding(files: readonly string[], value: string): string[] {
  const needle = Buffer.from(value, 'utf8');
  return files.filter((file) => readFileSync(file).includes(needle));
}

describe('secret params on the all-in-one', () => {
  const dir = tempDir('secrets');
  const dataDir = join(dir.path, 'data');
  const proofDir = join(dir.path, 'proof');
  const secretFiles = join(dir.path, 'secret-files');
  const group = new ProcessGroup(dir.path);
  const workflowId = uniqueWorkflowId('secrets', 'echo');

  afterAll(async () => {
    await group.stopAll();
    dir.remove();
  });

  it('reach the step and appear nowhere else', () =>
    group.guard(async () => {
      mkdirSync(proofDir);
      mkdirSync(secretFiles);
      writeFileSync(join(secretFiles, 'db.pw'), `${FROM_FILE}\n`);
      const baton = group.add({
        name: 'baton',
        app: 'baton',
        port: await freePort(),
        env: {
          BATON_DATA_DIR: dataDir,
          BATON_EXAMPLES_DIR: '',
          BATON_ADMIN_TOKEN: 'e2e-admin-token',
          BATON_SECRET_FILES_DIR: secretFiles,
          E2E_REFERENCED_SECRET: FROM_ENV,
        },
      });
      await baton.start();
      const api = new BatonApi(baton.url);
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
      PROOF: ${proofDir}
      TOKEN: \${params.token}
      DB: \${params.db_password}
      FROM_ENV: \${params.from_env}
    outputs:
      copied: result.output.copied
`);
      const runId = await api.start(
        workflowId,
        { token: SEALED, from_env: 'env:E2E_REFERENCED_SECRET' },
        'secrets-1',
      );
      const run = await api.waitForRun(runId, (r) => r.status === 'succeeded', 60_000);

      // They arrived, each where the step reads it.
      expect(readFileSync(join(proofDir, 'token'), 'utf8')).toBe(SEALED);
      expect(readFileSync(join(proofDir, 'db'), 'utf8')).toBe(FROM_FILE);
      expect(readFileSync(join(proofDir, 'env'), 'utf8')).toBe(FROM_ENV);
      expect(readFileSync(join(proofDir, 'auth'), 'utf8')).toBe(`Bearer ${SEALED}`);

      // The API shows masks: params, the output the step tried to copy the secret into, the log tails.
      expect(run.params).toMatchObject({ token: '***', db_password: '***', from_env: '***' });
      const answers = JSON.stringify([run, await api.events(runId), await api.logs(runId, 'use')]);
      const logs = await api.logs(runId, 'use');
      expect(JSON.stringify(logs)).toContain('token=*** db=*** env=***');
      for (const secret of SECRETS) expect(answers).not.toContain(secret);

      await baton.stop();
      // The data dir: the log (run requests, commands, events, state, status events, dead letters) and PGlite.
      const stored = filesUnder(dataDir);
      expect(stored.length).toBeGreaterThan(10);
      // The search does see what is there: the run's id is in the log and in PGlite's files.
      expect(filesHolding(stored, runId).some((file) => file.includes(join(dataDir, 'log')))).toBe(true);
      expect(filesHolding(stored, runId).some((file) => file.includes(join(dataDir, 'db')))).toBe(true);
      // The all-in-one made its key on first start, readable by its owner only.
      expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
      for (const secret of SECRETS)
        expect({ secret, files: filesHolding(stored, secret) }).toEqual({ secret, files: [] });
      // The process log.
      const processLog = readFileSync(baton.logFile, 'utf8');
      expect(processLog.length).toBeGreaterThan(0);
      for (const secret of SECRETS) expect(processLog).not.toContain(secret);
    }));
});
