import { seconds, tempDir } from './support/env';
import { startKafkaCluster, waitForEngineOwnership, type KafkaCluster } from './support/kafka-cluster';
import { readAfterTerminalScenario } from './support/read-after-terminal';

// Issue 17, item 14, on the distributed layout: Kafka and PostgreSQL, two
// projector processes sharing the partitions (children, parents and log tails
// of one run tree land on different partitions, projected by different
// processes in concurrent transactions). A client reading a run the moment its
// status turns terminal finds every step, child run, output and log tail.

jest.setTimeout(400_000);

const RUNS = 12;

describe('read-after-terminal on Kafka and PostgreSQL', () => {
  const dir = tempDir('read-after-terminal-kafka');
  let cluster: KafkaCluster;
  let failures = 0;
  let setupDone = false;
  const figures: string[] = [];

  beforeAll(async () => {
    cluster = await startKafkaCluster({
      suite: 'read_after_terminal',
      dir: dir.path,
      executorCount: 1,
      leaseMs: 10_000,
      executorSlots: 8,
      projectorCount: 2,
    });
    await cluster.group.guard(() => waitForEngineOwnership(cluster.engine));
    setupDone = true;
  });

  afterAll(async () => {
    await cluster?.dispose(!setupDone || failures > 0);
    console.log(
      `e2e read-after-terminal (kafka): ${failures} failed; ${figures.join('; ')}; logs ${dir.path}`,
    );
    if (setupDone && failures === 0) dir.remove();
  });

  it('shows every step, child run, output and log tail of 12 concurrent runs the moment each turns terminal', async () => {
    try {
      await cluster.group.guard(async () => {
        const began = Date.now();
        const workflowId = `rat${Date.now().toString(36)}.tree`;
        const readings = await readAfterTerminalScenario(cluster.api, workflowId, RUNS, 240_000);
        figures.push(
          `${RUNS} runs x (1 + 3 + 9 runs, 10 shell steps) in ${seconds(Date.now() - began)}, ` +
            `slowest read ${Math.max(...readings.map((r) => r.readMs))} ms`,
        );
        expect(readings.flatMap((r) => r.problems)).toEqual([]);
      });
    } catch (error) {
      failures++;
      throw error;
    }
  });
});
