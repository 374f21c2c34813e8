import type { ScenarioContext } from '../harness/context';
import { machine, printReport, runsOnKafkaOnly } from '../harness/report';
import { Service, type LogLine } from '../harness/service';
import { Stack } from '../harness/stack';
import { distribution, median } from '../harness/stats';
import { dagWorkflow } from '../harness/workflows';
import { sleep } from '../harness/api-client';

/** The single writers of an engine process, by the log context they log under. */
const WRITERS = ['Engine', 'WorkflowQueue', 'SignalRouter'] as const;
type Writer = (typeof WRITERS)[number];
type Fault = 'SIGKILL' | 'SIGTERM' | 'SIGSTOP';
const FAULTS: readonly Fault[] = ['SIGKILL', 'SIGTERM', 'SIGSTOP'];
/** How long a SIGSTOP lasts: twice the default session timeout, so the group moves the partitions away. */
const PAUSE_MS = 20_000;

/**
 * Scenario 7 (Kafka only): how long an engine's partitions take to move to
 * the other engine after it dies (SIGKILL) or leaves (SIGTERM), and how long
 * runs started right at the fault take to finish.
 *
 * Two engines share the partitions. For each repetition and fault, the
 * engine owning the most run partitions is killed or stopped; takeover is the
 * time from the signal until the survivor has logged "owns partition p" for
 * every partition the victim held, for each of the three single writers (runs,
 * workflow queue, signal router). At the signal, `runs` runs are started (no
 * other traffic); their end-to-end time is compared with the same runs
 * without a fault. The victim is then started again and the group settles
 * before the next repetition.
 *
 * SIGSTOP pauses the victim for 20 s (longer than the session timeout), then
 * SIGCONT: the survivor takes the partitions over, the resumed engine finds
 * its producers fenced and re-joins. `runs` more runs are started after the
 * SIGCONT; the figure is the time until both sets succeeded (a fenced writer
 * that never recovers shows as a run that never ends).
 *
 * The consumer-group timeouts come from the harness's environment
 * (`BATON_KAFKA_SESSION_TIMEOUT_MS` ...), passed to every process.
 */
export async function takeover(ctx: ScenarioContext): Promise<void> {
  if (!runsOnKafkaOnly(ctx, 'takeover', 'two engine processes')) return;
  const reps = ctx.smoke ? 1 : ctx.repetitions;
  const runs = ctx.runs ?? 8;
  const stack = await Stack.start(ctx.root, { target: 'kafka', engines: 2, executors: 1 });
  const figures = Object.fromEntries(FAULTS.map((fault) => [fault, emptyFigures()])) as Record<
    Fault,
    ReturnType<typeof emptyFigures>
  >;
  const baseline: number[] = [];
  try {
    await stack.api.pushWorkflow(dagWorkflow('bench.takeover'));
    await settle(stack);
    for (let rep = 0; rep < reps; rep++) baseline.push(await runsToEnd(stack, runs, `base-${rep}`));
    for (let rep = 0; rep < reps; rep++) {
      for (const fault of FAULTS) {
        const result = await faultOnce(ctx, stack, fault, runs, `${fault}-${rep}`);
        figures[fault].takeover.push(result.takeover);
        for (const writer of WRITERS) figures[fault].byWriter[writer].push(result.byWriter[writer]);
        figures[fault].runs.push(result.runs);
      }
    }
  } finally {
    await stack.stop();
  }
  const summarise = (fault: Fault) => ({
    takeoverMs: distribution(figures[fault].takeover),
    byWriterMs: Object.fromEntries(WRITERS.map((w) => [w, distribution(figures[fault].byWriter[w])])),
    runsStartedAtFaultToEndMs: distribution(figures[fault].runs),
  });
  const timeouts = {
    sessionTimeoutMs: process.env.BATON_KAFKA_SESSION_TIMEOUT_MS ?? 'default (10000)',
    heartbeatIntervalMs: process.env.BATON_KAFKA_HEARTBEAT_INTERVAL_MS ?? 'default',
    rebalanceTimeoutMs: process.env.BATON_KAFKA_REBALANCE_TIMEOUT_MS ?? 'default (20000)',
  };
  printReport(
    {
      scenario: 'takeover',
      target: ctx.target,
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters: { engines: 2, runPartitions: 8, repetitions: reps, runsPerFault: runs, ...timeouts },
      figures: {
        ...Object.fromEntries(FAULTS.map((fault) => [fault, summarise(fault)])),
        runsWithoutFaultToEndMs: distribution(baseline),
      },
      notes: [
        'takeoverMs: signal -> the survivor owns every partition the victim held, all three writers',
        'runs: started at the signal (no other traffic), 10-step DAG each, until all succeeded',
        `SIGSTOP: paused ${PAUSE_MS} ms, then SIGCONT; runs: those started at the SIGSTOP and as many after the SIGCONT, until all succeeded`,
      ],
    },
    FAULTS.map(
      (fault) =>
        `takeover after ${fault}: median ${median(figures[fault].takeover)} ms, max ${Math.max(...figures[fault].takeover)} ms; ` +
        `${runs} runs started at the fault end in median ${median(figures[fault].runs)} ms (no fault: ${median(baseline)} ms)`,
    ),
  );
}

function emptyFigures() {
  return {
    takeover: [] as number[],
    byWriter: Object.fromEntries(WRITERS.map((w) => [w, [] as number[]])) as Record<Writer, number[]>,
    runs: [] as number[],
  };
}

async function faultOnce(
  ctx: ScenarioContext,
  stack: Stack,
  fault: Fault,
  runs: number,
  tag: string,
): Promise<{ takeover: number; byWriter: Record<Writer, number>; runs: number }> {
  const engines = stack.services.filter((s) => s.name.startsWith('engine'));
  const [victim, survivor] = [...engines].sort(
    (a, b) => ownedPartitions(b).Engine.size - ownedPartitions(a).Engine.size,
  );
  const held = ownedPartitions(victim);
  const from = survivor.lines.length;
  const signalledAt = Date.now();
  const stopped = fault === 'SIGKILL' ? victim.kill() : fault === 'SIGTERM' ? victim.stop() : pause(victim);
  const endToEnd = runsToEnd(stack, runs, tag);
  const byWriter = {} as Record<Writer, number>;
  await Promise.all(
    WRITERS.map(async (writer) => {
      let last = signalledAt;
      for (const partition of held[writer]) {
        const line = await waitForOwn(survivor, writer, partition, from);
        last = Math.max(last, line.receivedAt);
      }
      byWriter[writer] = last - signalledAt;
    }),
  );
  let runsMs: number;
  if (fault === 'SIGSTOP') {
    await stopped;
    // The resumed engine gets partitions back in the next rebalance; runs started now must end too.
    const [before, after] = await Promise.all([endToEnd, runsToEnd(stack, runs, `${tag}-after`)]);
    runsMs = Math.max(before, after + PAUSE_MS);
    await settle(stack);
  } else {
    runsMs = await endToEnd;
    await stopped;
    // The victim comes back; the group settles before the next fault.
    const restarted = Service.start(victim.spec, ctx.root, stack.workDir);
    stack.services[stack.services.indexOf(victim)] = restarted;
    await settle(stack);
  }
  return { takeover: Math.max(...Object.values(byWriter)), byWriter, runs: runsMs };
}

async function pause(victim: Service): Promise<void> {
  victim.signal('SIGSTOP');
  await sleep(PAUSE_MS);
  victim.signal('SIGCONT');
}

/** Starts `count` runs and waits until every one succeeded; the elapsed ms. */
async function runsToEnd(stack: Stack, count: number, tag: string): Promise<number> {
  const startedAt = Date.now();
  const ids = await Promise.all(
    Array.from(
      { length: count },
      async (_, i) => (await stack.api.startRun('bench.takeover', `${tag}-${i}`)).runId,
    ),
  );
  for (const runId of ids) {
    for (;;) {
      const run = await stack.api.run(runId);
      if (run?.status === 'succeeded') break;
      if (run && ['failed', 'cancelled'].includes(run.status))
        throw new Error(`run ${runId} ended ${run.status}`);
      if (Date.now() - startedAt > 180_000) throw new Error(`run ${runId} did not end within 180 s`);
      await sleep(50);
    }
  }
  return Date.now() - startedAt;
}

/** Both engines own run partitions and nothing moved for two seconds. */
async function settle(stack: Stack): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const engines = stack.services.filter((s) => s.name.startsWith('engine'));
    const lines = engines.map((s) => s.lines.length);
    await sleep(2_000);
    const quiet = engines.every((s, i) => s.lines.length === lines[i] || !movedSince(s, lines[i]));
    const total = engines.reduce((sum, s) => sum + ownedPartitions(s).Engine.size, 0);
    if (quiet && total === 8 && engines.every((s) => ownedPartitions(s).Engine.size > 0)) return;
    if (Date.now() > deadline) throw new Error('the engine group did not settle within 120 s');
  }
}

// The writers log `owns partition` / `released partition...` with the partition as a field.
const OWNS = /^owns partition$/;
const RELEASED = /^released partition/;

function movedSince(service: Service, from: number): boolean {
  return service.lines.slice(from).some((l) => OWNS.test(l.msg ?? '') || RELEASED.test(l.msg ?? ''));
}

/** The partitions each writer of `service` holds, replayed from its log. */
function ownedPartitions(service: Service): Record<Writer, Set<number>> {
  const owned = Object.fromEntries(WRITERS.map((w) => [w, new Set<number>()])) as Record<Writer, Set<number>>;
  for (const line of service.lines) {
    const writer = line.context as Writer;
    if (!WRITERS.includes(writer)) continue;
    if (OWNS.test(line.msg ?? '')) owned[writer].add(Number(line.partition));
    if (RELEASED.test(line.msg ?? '')) owned[writer].delete(Number(line.partition));
  }
  return owned;
}

async function waitForOwn(
  service: Service,
  writer: Writer,
  partition: number,
  from: number,
): Promise<LogLine> {
  for (let index = from; ;) {
    const line = await service.waitForLog(OWNS, 120_000, index);
    if (line.context === writer && line.partition === partition) return line;
    index = service.lines.indexOf(line) + 1;
  }
}
