import { join } from 'node:path';
import { freePort } from '@baton/platform/free-port';
import type { StepKind } from '../harness/workflows';
import type { BenchSystem, ChainTimes, SystemProcess } from '../workloads/system';
import { QUEUE, connection, type BullMq, type FlowJob, type Job, type JobNode } from './bullmq-types';
import { requirePeer } from './peer-modules';
import { PeerProcess } from './peer-process';

/** Jobs a worker runs at once: Baton's embedded executor slots. */
const WORKER_CONCURRENCY = 8;
const REDIS = '/usr/bin/redis-server';

/**
 * BullMQ 6 on Debian's redis-server (append-only file, fsync every second),
 * one worker process; the harness adds flows with a `FlowProducer` (a
 * parent job waits for its children, so a chain is a flow nested 10 deep)
 * and reads each job's `processedOn` / `finishedOn`.
 */
export class BullMqSystem implements BenchSystem {
  readonly name = 'bullmq';
  readonly stepKinds: readonly StepKind[] = ['noop'];

  private constructor(
    private readonly bull: BullMq,
    private readonly redis: PeerProcess,
    private readonly worker: PeerProcess,
    private readonly flows: InstanceType<BullMq['FlowProducer']>,
    private readonly queue: InstanceType<BullMq['Queue']>,
    private readonly events: InstanceType<BullMq['QueueEvents']>,
  ) {}

  static async start(root: string, workDir: string): Promise<BullMqSystem> {
    const bull = requirePeer<BullMq>(root, 'bullmq');
    const port = await freePort();
    const redis = PeerProcess.start(
      'redis-server',
      REDIS,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        workDir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
      ],
      join(workDir, 'redis.log'),
    );
    const worker = PeerProcess.start(
      'bullmq-worker',
      process.execPath,
      [join(__dirname, 'bullmq-worker.js'), root, String(port), String(WORKER_CONCURRENCY)],
      join(workDir, 'bullmq-worker.log'),
    );
    const options = { connection: connection(port) };
    const flows = new bull.FlowProducer(options);
    const queue = new bull.Queue(QUEUE, options);
    const events = new bull.QueueEvents(QUEUE, options);
    for (const emitter of [flows, queue, events]) emitter.setMaxListeners(0);
    try {
      await Promise.all([flows.waitUntilReady(), queue.waitUntilReady(), events.waitUntilReady()]);
      const system = new BullMqSystem(bull, redis, worker, flows, queue, events);
      await worker.waitUntil('a finished job', async () => {
        await system.chain(1);
        return true;
      });
      return system;
    } catch (error) {
      await Promise.all([flows.close(), queue.close(), events.close()]);
      await Promise.all([worker.stop(), redis.stop()]);
      throw new Error(`${(error as Error).message} (logs in ${workDir})`);
    }
  }

  processes(): SystemProcess[] {
    return [this.redis, this.worker].map((p) => ({ name: p.name, pid: p.pid, own: true }));
  }

  async chain(steps: number): Promise<ChainTimes> {
    const sentAt = Date.now();
    const root = await this.flows.add(chainFlow(steps));
    await root.job.waitUntilFinished(this.events);
    // The flow's root is the last step; its only child the one before, down to s1.
    const chain: Job[] = [];
    for (let node: JobNode | undefined = root; node; node = node.children?.[0])
      chain.unshift(await this.reload(node.job));
    return {
      sentAt,
      stepStarts: chain.map((job) => job.processedOn ?? Number.NaN),
      stepEnds: chain.map((job) => job.finishedOn ?? Number.NaN),
      endedAt: chain[chain.length - 1].finishedOn ?? Number.NaN,
    };
  }

  async burst(runs: number, steps: number): Promise<{ acceptedAt: number; lastEndedAt: number }> {
    const roots = await Promise.all(Array.from({ length: runs }, () => this.flows.add(chainFlow(steps))));
    const acceptedAt = Date.now();
    await Promise.all(roots.map((root) => root.job.waitUntilFinished(this.events)));
    const ended = await Promise.all(
      roots.map(async (root) => (await this.reload(root.job)).finishedOn ?? Number.NaN),
    );
    return { acceptedAt, lastEndedAt: Math.max(...ended) };
  }

  async fanout(children: number): Promise<{ sentAt: number; endedAt: number }> {
    const sentAt = Date.now();
    const root = await this.flows.add({
      name: 'parent',
      queueName: QUEUE,
      children: Array.from({ length: children }, (_, i) => ({
        name: 'child',
        queueName: QUEUE,
        data: { i },
      })),
    });
    await root.job.waitUntilFinished(this.events);
    return { sentAt, endedAt: (await this.reload(root.job)).finishedOn ?? Number.NaN };
  }

  async stop(): Promise<void> {
    await Promise.all([this.flows.close(), this.queue.close(), this.events.close()]);
    await this.worker.stop();
    await this.redis.stop();
  }

  private async reload(job: Job): Promise<Job> {
    const fresh = await this.bull.Job.fromId(this.queue, job.id ?? '');
    if (!fresh) throw new Error(`bullmq: job ${job.id} is gone`);
    return fresh;
  }
}

function chainFlow(steps: number): FlowJob {
  let flow: FlowJob = { name: 's1', queueName: QUEUE, data: {} };
  for (let i = 2; i <= steps; i++) flow = { name: `s${i}`, queueName: QUEUE, data: {}, children: [flow] };
  return flow;
}
