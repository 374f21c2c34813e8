import { join } from 'node:path';
import { BatonApi } from './support/api-client';
import { freePort, seconds, tempDir } from './support/env';
import { ProcessGroup, type BatonProcess } from './support/processes';
import {
  signalAfterPushScenario,
  signalSetTriggerScenario,
  storedSignalScenario,
} from './support/signal-scenarios';

// Signals on the all-in-one process (embedded log, PGlite): stored signals,
// triggers on several signals, and signals sent right after a push. The
// Kafka side runs the same router code (KeyedStateProcessor over
// baton.signals); kafka-parity runs these scenarios there.

jest.setTimeout(180_000);

describe('signals on the embedded default', () => {
  const dir = tempDir('signals');
  const group = new ProcessGroup(dir.path);
  let baton: BatonProcess;
  let api: BatonApi;
  const runIds: string[] = [];
  const figures: string[] = [];
  let failures = 0;

  const guarded = (body: () => Promise<void>) => async () => {
    try {
      await group.guard(body);
    } catch (error) {
      failures++;
      throw error;
    }
  };

  beforeAll(async () => {
    const port = await freePort();
    baton = group.add({
      name: 'baton',
      app: 'baton',
      port,
      env: { BATON_DATA_DIR: join(dir.path, 'data'), BATON_EXAMPLES_DIR: '' },
    });
    await group.guard(() => baton.start());
    api = new BatonApi(baton.url);
  });

  afterAll(async () => {
    await group.stopAll();
    console.log(
      `e2e signals: ${failures === 0 ? 'passed' : `${failures} failed`}; ${runIds.length} runs; ` +
        `${figures.join('; ')}; logs ${dir.path}`,
    );
    if (failures === 0) dir.remove();
  });

  it(
    'a wait that opens after its signal was published meets the stored signal; one id twice is one signal',
    guarded(async () => {
      runIds.push(...(await storedSignalScenario(api, 'emb')));
    }),
  );

  it(
    'a trigger on two signals starts one run per set joined on date whose condition holds',
    guarded(async () => {
      runIds.push(...(await signalSetTriggerScenario(api, 'emb')));
    }),
  );

  it(
    'a signal sent at once after each of 30 pushes starts its run, none lost',
    guarded(async () => {
      const began = Date.now();
      runIds.push(...(await signalAfterPushScenario(api, 'emb', 30)));
      figures.push(`30 push+signal pairs, 30 runs in ${seconds(Date.now() - began)}`);
    }),
  );
});
