import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics, type StepCancellation, type StepStartGranted, type StepTask } from '@baton/contracts';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { partitionOf, PoolHarness, processGone, sleep, taskFor } from './testing/pool-fixtures';

let files = 0;
/** A shell step that writes its pid to a file, then sleeps. */
function sleeper(runId?: string): { task: StepTask; pidFile: string } {
  files += 1;
  const pidFile = join(tmpdir(), `baton-redelivery-${process.pid}-${Date.now()}-${files}`);
  const task = taskFor(
    'shell',
    { command: ['sh', '-c', 'echo $$ > "$PID_FILE"; exec sleep 30'], env: { PID_FILE: pidFile } },
    runId === undefined ? {} : { runId, stepId: `sleep-${files}` },
  );
  return { task, pidFile };
}

async function pidOf(pidFile: string): Promise<number> {
  await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', {
    message: 'the step wrote its pid',
  });
  return Number(readFileSync(pidFile, 'utf8').trim());
}

function refusal(task: StepTask, executorId: string): string {
  const value: StepCancellation = {
    schemaVersion: 1,
    runId: task.runId,
    stepId: task.stepId,
    attempt: task.attempt,
    reason: 'start_refused',
    executorId,
  };
  return JSON.stringify(value);
}

describe('ExecutorPool and tasks that may be redeliveries', () => {
  let harness: PoolHarness;

  beforeEach(async () => {
    harness = await PoolHarness.open();
  });

  afterEach(async () => {
    await harness.close();
  });

  /** Takes a noop on the run's partition first, so the next task of that partition is not its first one. */
  async function warmUp(runId: string): Promise<void> {
    await harness.publish(taskFor('noop', {}, { runId, stepId: 'warm-up' }));
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 1, {
      message: 'the warm-up task completed',
    });
  }

  it('confirms the first task of a partition it was given, and runs it once the engine grants it', async () => {
    const sut = harness.pool();
    await sut.start();
    const task = taskFor('noop', {});

    await harness.publish(task);
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 1, {
      message: 'CompleteStep',
    });

    const [started] = await harness.commandsOf('ReportStepStarted');
    expect(started).toMatchObject({ runId: task.runId, confirm: true });
    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'succeeded' }, 1);
  });

  it('starts a fresh task that is not the first of its partition at once, without confirm', async () => {
    const sut = harness.pool();
    await sut.start();
    const task = taskFor('noop', {});
    await warmUp(task.runId);

    await harness.publish(task);
    await waitUntil(async () => (await harness.commandsOf('CompleteStep')).length === 2, {
      message: 'CompleteStep',
    });

    const starts = await harness.commandsOf('ReportStepStarted');
    expect(starts.map((start) => start.confirm)).toEqual([true, undefined]);
  });

  it('never runs a confirmed start the engine refuses (a redelivered task, a run that has ended)', async () => {
    harness.answerConfirms = 'refuse';
    const sut = harness.pool();
    await sut.start();
    const { task, pidFile } = sleeper();

    await harness.publish(task);
    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'refused' }, 1);

    expect(existsSync(pidFile)).toBe(false);
    expect((await harness.commands()).map((command) => command.type)).toEqual(['ReportStepStarted']);
    expect(await harness.stepLogs()).toEqual([]);
    expect(harness.committedOffset(partitionOf(task.runId))).toBe(1);
  });

  it('confirms a task older than confirmAfterMs, even when it is not the first of its partition', async () => {
    let skew = 0;
    const sut = harness.pool({ confirmAfterMs: 60_000 }, undefined, { now: () => Date.now() + skew });
    await sut.start();
    const { task, pidFile } = sleeper();
    await warmUp(task.runId);
    harness.answerConfirms = 'refuse';

    // As if read an hour after the engine wrote it (a re-read after the group's offsets were reset).
    skew = 3_600_000;
    await harness.publish(task);

    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'refused' }, 1);
    expect(existsSync(pidFile)).toBe(false);
    const starts = await harness.commandsOf('ReportStepStarted');
    expect(starts.map((start) => start.confirm)).toEqual([true, true]);
  });

  it('leaves a confirmed start unrun when no answer comes within confirmWaitMs', async () => {
    harness.answerConfirms = 'none';
    const sut = harness.pool({ confirmWaitMs: 300 });
    await sut.start();
    const { task, pidFile } = sleeper();

    await harness.publish(task);
    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'unconfirmed' }, 1);

    expect(existsSync(pidFile)).toBe(false);
    expect((await harness.commands()).map((command) => command.type)).toEqual(['ReportStepStarted']);
  });

  it('counts the lease from a late grant (an engine taking over), so the attempt runs and heartbeats', async () => {
    harness.answerConfirms = 'none';
    const sut = harness.pool({ confirmWaitMs: 10_000 });
    await sut.start();
    const task = taskFor('shell', { command: ['sleep', '0.5'], env: {} }, { leaseMs: 300 });
    await harness.publish(task);
    await waitUntil(async () => (await harness.commandsOf('ReportStepStarted')).length === 1, {
      message: 'the start was sent',
    });

    await sleep(700);
    const grant: StepStartGranted = {
      schemaVersion: 1,
      runId: task.runId,
      stepId: task.stepId,
      attempt: 1,
      executorId: 'executor-a',
      leaseExpiresAt: Date.now() + 300,
    };
    await harness.publishRaw(Topics.stepGrants, task.runId, JSON.stringify(grant));

    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'succeeded' }, 1);
    expect((await harness.commandsOf('ReportStepHeartbeat')).length).toBeGreaterThan(0);
  });

  it('stops an optimistic start the engine refuses at once, and drops its outcome and logs', async () => {
    const sut = harness.pool();
    await sut.start();
    const { task, pidFile } = sleeper();
    await warmUp(task.runId);

    await harness.publish(task);
    const pid = await pidOf(pidFile);
    await harness.publishRaw(Topics.stepCancellations, task.runId, refusal(task, 'executor-a'));

    await waitUntil(() => processGone(pid), { message: 'the refused step process was killed' });
    await harness.metricReaches('baton_executor_attempts_total', { outcome: 'refused' }, 1);
    const about = (await harness.commands()).filter((command) => command.runId === task.runId);
    expect(about.filter((command) => 'stepId' in command && command.stepId === task.stepId)).toEqual([
      expect.objectContaining({ type: 'ReportStepStarted' }),
    ]);
    expect((await harness.stepLogs()).map((logs) => logs.stepId)).toEqual(['warm-up']);
  });

  it("ignores another executor's refusal: the lease holder's attempt goes on", async () => {
    const sut = harness.pool();
    await sut.start();
    const { task, pidFile } = sleeper();
    await warmUp(task.runId);

    await harness.publish(task);
    const pid = await pidOf(pidFile);
    await harness.publishRaw(Topics.stepCancellations, task.runId, refusal(task, 'executor-b'));
    await sleep(300);

    expect(processGone(pid)).toBe(false);
    expect(sut.attemptsRunning).toBe(1);
  });
});
