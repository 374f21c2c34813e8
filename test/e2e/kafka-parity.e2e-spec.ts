import { seconds, tempDir } from './support/env';
import { startKafkaCluster, waitForEngineOwnership, type KafkaCluster } from './support/kafka-cluster';
import {
  actionsScenario,
  cronScenario,
  foreachScenario,
  pauseScenario,
  restartScenario,
  sequentialScenario,
  signalScenario,
  sleepScenario,
  subworkflowScenario,
  whileScenario,
} from './support/parity-scenarios';
import {
  signalAfterPushScenario,
  signalSetTriggerScenario,
  storedSignalScenario,
} from './support/signal-scenarios';
import {
  firstOnlyScenario,
  lastOnlyScenario,
  serialLatestOnlyScenario,
  parallelLimitScenario,
  strictSequentialScenario,
} from './support/strategy-scenarios';

// Maestro parity on the distributed layout (api, engine with the workflow
// queue, signal router and cron scheduler, projector, one executor) on a real
// Kafka broker and PostgreSQL. Every workflow id is unique to this test run.

jest.setTimeout(180_000);

describe('Maestro parity on Kafka and PostgreSQL', () => {
  const dir = tempDir('kafka-parity');
  const prefix = `parity${Date.now().toString(36)}`;
  let cluster: KafkaCluster;
  let failures = 0;
  let setupDone = false;
  const suiteStarted = Date.now();

  const guarded = (body: () => Promise<unknown>) => async () => {
    try {
      await cluster.group.guard(async () => {
        await body();
      });
    } catch (error) {
      failures++;
      throw error;
    }
  };

  beforeAll(async () => {
    cluster = await startKafkaCluster({
      suite: 'kafka-parity',
      dir: dir.path,
      executorCount: 1,
      leaseMs: 10_000,
      executorSlots: 8,
    });
    await cluster.group.guard(() => waitForEngineOwnership(cluster.engine));
    setupDone = true;
  });

  afterAll(async () => {
    await cluster?.dispose(!setupDone || failures > 0);
    console.log(
      `e2e kafka-parity: ${failures} failed; total ${seconds(Date.now() - suiteStarted)}; logs ${dir.path}`,
    );
    if (setupDone && failures === 0) dir.remove();
  });

  it(
    'runs nested foreach iterations as child runs and succeeds with their counts',
    guarded(() => foreachScenario(cluster.api, prefix)),
  );
  it(
    'repeats a while body while its condition holds, carrying outputs',
    guarded(() => whileScenario(cluster.api, prefix)),
  );
  it(
    'sleeps on an engine timer, not an executor slot',
    guarded(() => sleepScenario(cluster.api, prefix)),
  );
  it(
    'runs a subworkflow as a child run with inherited params, and fails for a missing one',
    guarded(() => subworkflowScenario(cluster.api, prefix)),
  );
  it(
    'resumes a waiting step on the matching signal only, and starts one run per signal trigger',
    guarded(() => signalScenario(cluster.api, prefix)),
  );
  it(
    'meets a stored signal with a wait that opens after it (signals: stored)',
    guarded(() => storedSignalScenario(cluster.api, prefix)),
  );
  it(
    'starts one run per set of a trigger on two signals (signals: joined)',
    guarded(() => signalSetTriggerScenario(cluster.api, prefix)),
  );
  it(
    'starts a run for a signal sent at once after each of 10 pushes (signals: after push)',
    guarded(() => signalAfterPushScenario(cluster.api, prefix, 10)),
  );
  it(
    'restarts a failed run from its incomplete steps with new params as attempt 2',
    guarded(() => restartScenario(cluster.api, prefix)),
  );
  it(
    'pauses at a breakpoint until resumed, skips a running step, kills a run, stops a run gracefully',
    guarded(() => actionsScenario(cluster.api, prefix)),
  );
  it(
    'queues new runs of a paused workflow until it is resumed',
    guarded(() => pauseScenario(cluster.api, prefix)),
  );
  it(
    'runs a sequential workflow one run at a time, with the queue visible',
    guarded(() => sequentialScenario(cluster.api, prefix)),
  );
  it(
    'blocks a strict_sequential workflow on a failed run until unblocked or the run is restarted to success',
    guarded(() => strictSequentialScenario(cluster.api, cluster.brokers, prefix)),
  );
  it(
    'drops requests to a first_only workflow while its run runs, and starts one after it ended',
    guarded(() => firstOnlyScenario(cluster.api, cluster.brokers, prefix)),
  );
  it(
    'runs only the newest request queued behind a serial_latest_only run, dropping the others as superseded',
    guarded(() => serialLatestOnlyScenario(cluster.api, cluster.brokers, prefix)),
  );
  it(
    'stops the running last_only run when a newer request arrives, then runs the newer one',
    guarded(() => lastOnlyScenario(cluster.api, cluster.brokers, prefix)),
  );
  it(
    'runs at most max_concurrent runs of a parallel workflow at once, the others in request order',
    guarded(() => parallelLimitScenario(cluster.api, cluster.brokers, prefix)),
  );
  it(
    'starts one run per cron tick until the workflow is deactivated',
    guarded(() => cronScenario(cluster.api, prefix)),
  );
});
