import { join } from 'node:path';
import { BatonApi } from './support/api-client';
import { CRON_PERIOD_MS, cronAcrossRestartScenario } from './support/cron-restart';
import { freePort, seconds, tempDir, uniqueWorkflowId } from './support/env';
import { ProcessGroup, type BatonProcess } from './support/processes';
import { readAfterTerminalScenario } from './support/read-after-terminal';

// Issue 17, items 13 and 14, on the embedded default (one all-in-one process):
// what a client reads at the first moment a run is terminal is complete, under
// concurrent load; a cron trigger keeps ticking across a SIGKILL and restart.

jest.setTimeout(400_000);

const RUNS = 8;

describe('read-after-terminal and cron across a restart, embedded', () => {
  const dir = tempDir('read-after-terminal');
  const group = new ProcessGroup(dir.path);
  let baton: BatonProcess;
  let api: BatonApi;
  let failures = 0;
  const figures: string[] = [];

  const guarded = (body: () => Promise<void>) => async () => {
    try {
      await group.guard(body);
    } catch (error) {
      failures++;
      throw error;
    }
  };

  beforeAll(async () => {
    baton = group.add({
      name: 'baton',
      app: 'baton',
      port: await freePort(),
      env: {
        BATON_DATA_DIR: join(dir.path, 'data'),
        BATON_EXAMPLES_DIR: '',
        BATON_EXECUTOR_SLOTS: '8',
      },
    });
    await group.guard(() => baton.start());
    api = new BatonApi(baton.url);
  });

  afterAll(async () => {
    await group.stopAll();
    console.log(
      `e2e read-after-terminal (embedded): ${failures} failed; ${figures.join('; ')}; logs ${dir.path}`,
    );
    if (failures === 0) dir.remove();
  });

  it(
    'shows every step, child run, output and log tail of 8 concurrent runs the moment each turns terminal',
    guarded(async () => {
      const began = Date.now();
      const readings = await readAfterTerminalScenario(api, uniqueWorkflowId('rat', 'tree'), 8, 240_000);
      figures.push(
        `${RUNS} runs x (1 + 3 + 9 runs, 10 shell steps) in ${seconds(Date.now() - began)}, ` +
          `slowest read ${Math.max(...readings.map((r) => r.readMs))} ms`,
      );
      expect(readings.flatMap((r) => r.problems)).toEqual([]);
    }),
  );

  it(
    'keeps a cron trigger ticking across SIGKILL and restart: no tick lost or doubled',
    guarded(async () => {
      const result = await cronAcrossRestartScenario(api, baton, uniqueWorkflowId('rat', 'cron'), 5_000);
      figures.push(
        `cron: ${result.ticks.length} ticks, ${result.caughtUp.length} caught up after the restart`,
      );
      expect(result.duplicates).toEqual([]);
      // Every 2 s from the first tick to the last: nothing missing across the outage.
      const gaps = result.ticks.slice(1).map((tick, i) => tick - result.ticks[i]);
      expect(gaps.every((gap) => gap === CRON_PERIOD_MS)).toBe(true);
      // The ticks of the 5 s outage were started once the process was back (late, within the 60 s look-back).
      expect(result.caughtUp.length).toBeGreaterThanOrEqual(2);
      for (const run of result.caughtUp) expect(run.startedAt).toBeGreaterThanOrEqual(result.killedAt);
    }),
  );
});
