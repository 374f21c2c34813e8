import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BatonApi } from './support/api-client';
import { freePort, tempDir, E2E_ADMIN_TOKEN } from './support/env';
import { ProcessGroup } from './support/processes';
import {
  SECRETS,
  executorSecretEnv,
  expectNoSecret,
  filesHolding,
  filesUnder,
  runSecretScenario,
  secretDirs,
} from './support/secret-scenario';

// Secret params end to end on the embedded all-in-one: a sealed literal and
// two references (env:, file:) reach the step, and then nothing a person or
// another system can read holds any of them in clear: the data dir (the log
// with every topic, status events and dead letters included, and PGlite's
// files), the API's answers, and the process log.

jest.setTimeout(180_000);

describe('secret params on the all-in-one', () => {
  const dir = tempDir('secrets');
  const dataDir = join(dir.path, 'data');
  const group = new ProcessGroup(dir.path);

  afterAll(async () => {
    await group.stopAll();
    dir.remove();
  });

  it('reach the step and appear nowhere else', () =>
    group.guard(async () => {
      const dirs = secretDirs(dir.path);
      const baton = group.add({
        name: 'baton',
        app: 'baton',
        port: await freePort(),
        env: {
          BATON_DATA_DIR: dataDir,
          BATON_EXAMPLES_DIR: '',
          BATON_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
          ...executorSecretEnv(dirs),
        },
      });
      await baton.start();
      const run = await runSecretScenario(new BatonApi(baton.url, E2E_ADMIN_TOKEN), 'embedded', dirs);
      await baton.stop();

      const stored = filesUnder(dataDir);
      // The search does see what is there: the run's id is in the log and in PGlite's files.
      const withRunId = filesHolding(stored, run.runId);
      expect(withRunId.some((file) => file.startsWith(join(dataDir, 'log')))).toBe(true);
      expect(withRunId.some((file) => file.startsWith(join(dataDir, 'db')))).toBe(true);
      for (const secret of SECRETS)
        expect({ secret, files: filesHolding(stored, secret) }).toEqual({ secret, files: [] });
      // The all-in-one made its key on first start, readable by its owner only.
      expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
      const processLog = readFileSync(baton.logFile, 'utf8');
      expect(processLog).toContain(run.runId);
      expectNoSecret('process log', processLog);
    }));
});
