import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics, type DeadLetter, type StepCancellation } from '@baton/contracts';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { HandlerRegistry } from '../runtimes';
import {
  gate,
  partitionOf,
  PoolHarness,
  processGone,
  runIdsSpread,
  sleep,
  taskFor,
  TASKS_TOPIC,
} from './testing/pool-fixtures';

describe('ExecutorPool', () => {
  let harness: PoolHarness;

  beforeEach(async () => {
    harness = await PoolHarness.open();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('takes a noop task: ReportStepStarted, then CompleteStep, and commits the task offset', async () => {
    const sut = harness.pool();
    await sut.start();
    const task = taskFor('noop', {});

    await harness.publish(task);
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 1, {
      message: 'CompleteStep',
    });

    const commands = await harness.commands();
    expect(commands.map((command) => command.type)).toEqual(['ReportStepStarted', 'CompleteStep']);
    expect(commands[0]).toMatchObject({
      runId: task.runId,
      stepId: 'step',
      attempt: 1,
      executorId: 'executor-a',
      leaseDurationMs: 3_000,
    });
    expect(commands[1]).toMatchObject({ runId: task.runId, executorId: 'executor-a', result: {} });
    expect(commands[1].metadata.commandId).not.toEqual(commands[0].metadata.commandId);
    expect(harness.committedOffset(partitionOf(task.runId))).toBe(1);
    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'succeeded' }, 1);
    expect(await harness.metric('baton_executor_task_wait_seconds_count', { pool: 'default' })).toBe(1);
    expect(await harness.metric('baton_executor_attempt_duration_seconds_count', { pool: 'default' })).toBe(
      1,
    );
  });

  it('asks for the lease each task carries (the engine owns BATON_LEASE_MS), not one of its own', async () => {
    const sut = harness.pool();
    await sut.start();
    const short = taskFor('noop', {}, { leaseMs: 1_500 });
    const long = taskFor('noop', {}, { leaseMs: 45_000 });

    await harness.publish(short, long);
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 2, {
      message: 'both steps completed',
    });

    const leases = Object.fromEntries(
      (await harness.commandsOf('ReportStepStarted')).map((command) => [
        command.runId,
        command.leaseDurationMs,
      ]),
    );
    expect(leases).toEqual({ [short.runId]: 1_500, [long.runId]: 45_000 });
  });

  it('reports a failing shell step as FailStep{user} with its exit code and the stderr tail, its StepLogs written before', async () => {
    const sut = harness.pool();
    await sut.start();
    const task = taskFor('shell', {
      command: ['sh', '-c', 'echo working; echo disk full >&2; exit 3'],
      env: {},
    });

    await harness.publish(task);
    let logsWhenFailed: unknown[] = [];
    await waitUntil(
      async () => {
        const failed = await harness.commandsOf('FailStep');
        if (failed.length === 0) return false;
        logsWhenFailed = await harness.stepLogs();
        return true;
      },
      { message: 'FailStep' },
    );

    const [failed] = await harness.commandsOf('FailStep');
    // The engine decides from the exit code whether the step may be retried (non_retryable_exit_codes),
    // and the report says the tail went first, so the read model holds the run's end until it is stored.
    expect(failed).toMatchObject({
      runId: task.runId,
      errorKind: 'user',
      executorId: 'executor-a',
      exitCode: 3,
      logsWritten: true,
    });
    expect(failed.message).toContain('exited with code 3');
    expect(failed.message).toContain('disk full');
    // The logs were already in the log when the failure became visible.
    expect(logsWhenFailed).toEqual([
      {
        schemaVersion: 1,
        runId: task.runId,
        stepId: 'step',
        attempt: 1,
        stdout: 'working\n',
        stderr: 'disk full\n',
        truncatedBytes: { stdout: 0, stderr: 0 },
      },
    ]);
  });

  it('heartbeats a long step, and the batch handler takes the next task of the same partition meanwhile', async () => {
    const release = gate();
    const handlers = new HandlerRegistry().register('long', async () => {
      await release.opened;
      return { done: true };
    });
    const sut = harness.pool({ slots: 2 }, handlers);
    await sut.start();
    const long = taskFor('handler', { name: 'long' }, { leaseMs: 300 });
    const quick = taskFor('noop', {}, { runId: long.runId, stepId: 'quick' });

    await harness.publish(long, quick);
    await waitUntil(
      async () => (await harness.commandsOf('CompleteStep')).some((command) => command.stepId === 'quick'),
      { message: 'the quick step completed while the long one runs' },
    );
    await waitUntil(() => sut.attemptsRunning === 1, { message: 'only the long attempt running' });
    // Both offsets are committed although the long step is still running.
    expect(harness.committedOffset(partitionOf(long.runId))).toBe(2);
    await waitUntil(async () => (await harness.commandsOf('ReportStepHeartbeat')).length >= 3, {
      message: 'three heartbeats (every 100 ms for a 300 ms lease)',
    });
    release.open();
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 2, {
      message: 'the long step completed',
    });

    const commands = (await harness.commands()).filter(
      (command) => 'stepId' in command && command.stepId === 'step',
    );
    expect(commands[0].type).toBe('ReportStepStarted');
    expect(commands[0]).toMatchObject({ leaseDurationMs: 300 });
    expect(commands[commands.length - 1]).toMatchObject({ type: 'CompleteStep', result: { done: true } });
    const beats = commands.filter((command) => command.type === 'ReportStepHeartbeat');
    const gaps = beats.slice(1).map((beat, index) => beat.timestamp - beats[index].timestamp);
    // Every 100 ms: well inside the engine's rule (a beat before half of the lease is gone).
    const median = [...gaps].sort((x, y) => x - y)[Math.floor(gaps.length / 2)];
    expect(median).toBeGreaterThanOrEqual(90);
    expect(median).toBeLessThan(150);
  });

  it('never runs more attempts than slots (slots=1, three tasks on different partitions)', async () => {
    let active = 0;
    let most = 0;
    const handlers = new HandlerRegistry().register('slow', async () => {
      active += 1;
      most = Math.max(most, active);
      await sleep(100);
      active -= 1;
      return null;
    });
    const sut = harness.pool({ slots: 1 }, handlers);
    await sut.start();
    const [a, b, c] = runIdsSpread(1);

    await harness.publish(
      taskFor('handler', { name: 'slow' }, { runId: a }),
      taskFor('handler', { name: 'slow' }, { runId: b }),
      taskFor('handler', { name: 'slow' }, { runId: c }),
    );
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 3, {
      message: 'three steps completed',
    });

    expect(most).toBe(1);
    // Each start comes after the previous attempt's report (the slot is freed once it is written).
    const at = async (type: 'ReportStepStarted' | 'CompleteStep') =>
      (await harness.commandsOf(type)).map((command) => command.timestamp).sort((x, y) => x - y);
    const starts = await at('ReportStepStarted');
    const completes = await at('CompleteStep');
    for (let index = 1; index < 3; index += 1) {
      expect(starts[index]).toBeGreaterThanOrEqual(completes[index - 1]);
    }
    await harness.metricReaches('baton_executor_slots_busy', { pool: 'default' }, 0);
  });

  it('aborts a running shell step named by a StepCancellation: its process is gone and nothing is reported', async () => {
    const sut = harness.pool();
    await sut.start();
    const pidFile = join(tmpdir(), `baton-pool-pid-${process.pid}-${Date.now()}`);
    const task = taskFor('shell', {
      command: ['sh', '-c', 'echo $$ > "$PID_FILE"; exec sleep 30'],
      env: { PID_FILE: pidFile },
    });

    await harness.publish(task);
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', {
      message: 'the step wrote its pid',
    });
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(processGone(pid)).toBe(false);
    const cancellation: StepCancellation = {
      schemaVersion: 1,
      runId: task.runId,
      stepId: 'step',
      attempt: 1,
      reason: 'run cancelled',
    };
    await harness.publishRaw(Topics.stepCancellations, task.runId, JSON.stringify(cancellation));
    await waitUntil(async () => (await harness.stepLogs()).length === 1, { message: 'the attempt ended' });

    expect(processGone(pid)).toBe(true);
    expect((await harness.commands()).map((command) => command.type)).toEqual(['ReportStepStarted']);
    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'cancelled' }, 1);
  });

  it('kills an attempt whose lease it cannot keep (no heartbeat written for a whole lease)', async () => {
    const sut = harness.pool();
    await sut.start();
    const pidFile = join(tmpdir(), `baton-pool-pid-${process.pid}-${Date.now()}-lease`);
    const task = taskFor(
      'shell',
      { command: ['sh', '-c', 'echo $$ > "$PID_FILE"; exec sleep 30'], env: { PID_FILE: pidFile } },
      { leaseMs: 300 },
    );
    await harness.publish(task);
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', {
      message: 'the step wrote its pid',
    });
    const pid = Number(readFileSync(pidFile, 'utf8').trim());

    // The log goes away: heartbeats fail, and the engine would soon retry the step elsewhere.
    await harness.log.close();

    await waitUntil(() => processGone(pid), { message: 'the step process was killed' });
    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'lease_lost' }, 1);
  });

  it('skips a task whose cancellation went by while it was queued', async () => {
    const sut = harness.pool();
    await sut.start();
    const task = taskFor('noop', {});
    const cancellation: StepCancellation = {
      schemaVersion: 1,
      runId: task.runId,
      stepId: task.stepId,
      attempt: 1,
      reason: 'run cancelled',
    };
    await harness.publishRaw(Topics.stepCancellations, task.runId, JSON.stringify(cancellation));
    await sleep(50);

    await harness.publish(task);
    await waitUntil(() => harness.committedOffset(partitionOf(task.runId)) === 1, {
      message: 'task consumed',
    });

    expect(await harness.commands()).toEqual([]);
  });

  it('reports nothing when the step times out (the engine decides), but still writes its logs', async () => {
    const sut = harness.pool();
    await sut.start();
    const task = taskFor(
      'shell',
      { command: ['sh', '-c', 'echo started; exec sleep 30'], env: {} },
      { timeoutMs: 200 },
    );

    await harness.publish(task);
    await waitUntil(async () => (await harness.stepLogs()).length === 1, { message: 'the attempt ended' });

    expect((await harness.commands()).map((command) => command.type)).toEqual(['ReportStepStarted']);
    expect((await harness.stepLogs())[0]).toMatchObject({ stdout: 'started\n' });
    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'timeout' }, 1);
  });

  it('dead-letters a malformed task and still runs the next one', async () => {
    const sut = harness.pool();
    await sut.start();
    const next = taskFor('noop', {});

    await harness.publish({ key: next.runId, value: 'this is not json' }, next);
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 1, {
      message: 'the next task completed',
    });

    const letters = (await harness.records(Topics.deadLetters)).map(
      (r) => JSON.parse(String(r.value)) as DeadLetter,
    );
    expect(letters).toHaveLength(1);
    expect(letters[0].reason).toMatch(/^value is not JSON/);
    expect(letters[0]).toMatchObject({
      value: 'this is not json',
      source: { topic: TASKS_TOPIC, partition: partitionOf(next.runId), offset: 0, key: next.runId },
    });
    expect((await harness.commands()).map((command) => command.type)).toEqual([
      'ReportStepStarted',
      'CompleteStep',
    ]);
    expect(harness.committedOffset(partitionOf(next.runId))).toBe(2);
  });

  it('fails a refused task that still names its attempt as a platform error, so the engine can retry it', async () => {
    const sut = harness.pool();
    await sut.start();
    const task = { ...taskFor('noop', {}), type: 'spark', spec: { jar: 'x.jar' } };

    await harness.publish({ key: task.runId, value: JSON.stringify(task) });
    await waitUntil(async () => (await harness.commandsOf('FailStep')).length === 1, { message: 'FailStep' });

    const letters = (await harness.records(Topics.deadLetters)).map(
      (r) => JSON.parse(String(r.value)) as DeadLetter,
    );
    expect(letters[0]).toMatchObject({ reason: 'invalid step task', problems: [{ path: '$.type' }] });
    const commands = await harness.commands();
    expect(commands.map((command) => command.type)).toEqual(['ReportStepStarted', 'FailStep']);
    expect(commands[1]).toMatchObject({
      errorKind: 'platform',
      runId: task.runId,
      stepId: 'step',
      attempt: 1,
    });
    expect((commands[1] as { message: string }).message).toContain('$.type');
  });

  it('shares the work between two members of the pool group', async () => {
    const a = harness.pool({ executorId: 'executor-a' });
    const b = harness.pool({ executorId: 'executor-b' });
    await a.start();
    await b.start();
    await waitUntil(() => a.partitions().length === 2 && b.partitions().length === 2, {
      message: 'the four partitions split two and two',
    });

    await harness.publish(...runIdsSpread(2).map((runId) => taskFor('noop', {}, { runId })));
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 8, {
      message: 'eight steps completed',
    });

    const started = await harness.commandsOf('ReportStepStarted');
    expect(started).toHaveLength(8);
    expect(new Set(started.map((command) => command.executorId))).toEqual(
      new Set(['executor-a', 'executor-b']),
    );
  });

  it('gives a partition back when no slot frees up within slotWaitMs, and takes the task later exactly once', async () => {
    const release = gate();
    const handlers = new HandlerRegistry().register('long', async () => {
      await release.opened;
      return null;
    });
    const sut = harness.pool({ slots: 1, slotWaitMs: 100 }, handlers);
    await sut.start();
    const long = taskFor('handler', { name: 'long' });
    const queued = taskFor('noop', {}, { runId: long.runId, stepId: 'queued' });

    await harness.publish(long, queued);
    await waitUntil(() => harness.warnings.some((warning) => warning.startsWith('eachBatch failed')), {
      message: 'the batch handler gave up waiting',
    });
    expect(harness.committedOffset(partitionOf(long.runId))).toBe(1);
    release.open();
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 2, {
      message: 'both steps completed',
    });

    const started = await harness.commandsOf('ReportStepStarted');
    expect(started.map((command) => command.stepId)).toEqual(['step', 'queued']);
    expect(harness.committedOffset(partitionOf(long.runId))).toBe(2);
  });

  it('stops gracefully: waits for a running step to finish and report', async () => {
    const handlers = new HandlerRegistry().register('short', async () => {
      await sleep(300);
      return 'finished';
    });
    const sut = harness.pool({ stopGraceMs: 5_000 }, handlers);
    await sut.start();
    const task = taskFor('handler', { name: 'short' });
    await harness.publish(task);
    await waitUntil(async () => (await harness.commandsOf('ReportStepStarted')).length === 1, {
      message: 'started',
    });

    await sut.stop();

    const commands = await harness.commands();
    expect(commands.map((command) => command.type)).toEqual(['ReportStepStarted', 'CompleteStep']);
    expect(commands[1]).toMatchObject({ result: 'finished' });
  });

  it('stops after the grace period: aborts what still runs, reports it as a platform failure, leaves queued tasks uncommitted', async () => {
    const handlers = new HandlerRegistry().register('endless', (_params, ctx) => {
      return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(null)));
    });
    const sut = harness.pool({ slots: 1, stopGraceMs: 200, slotWaitMs: 60_000 }, handlers);
    await sut.start();
    const endless = taskFor('handler', { name: 'endless' });
    const queued = taskFor('noop', {}, { runId: endless.runId, stepId: 'queued' });
    await harness.publish(endless, queued);
    await waitUntil(async () => (await harness.commandsOf('ReportStepStarted')).length === 1, {
      message: 'started',
    });

    const stopping = Date.now();
    await sut.stop();

    expect(Date.now() - stopping).toBeLessThan(2_000);
    const commands = await harness.commands();
    expect(commands.map((command) => command.type)).toEqual(['ReportStepStarted', 'FailStep']);
    expect(commands[1]).toMatchObject({ errorKind: 'platform', stepId: 'step' });
    expect((commands[1] as { message: string }).message).toContain('shut down');
    // The queued task was never started: the next member of the group resumes at it.
    expect(harness.committedOffset(partitionOf(endless.runId))).toBe(1);
    expect(harness.warnings).toEqual([]);
  });
});
