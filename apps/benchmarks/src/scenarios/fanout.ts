import { scrapeMetric, sleep, type RunDetail, type RunEvent } from '../harness/api-client';
import type { ScenarioContext } from '../harness/context';
import { ProcessMonitor, readProcUsage, type ProcessFigures } from '../harness/procfs';
import { countReadModelRows, type ReadModelRows } from '../harness/read-model-rows';
import { machine, printReport } from '../harness/report';
import type { Service } from '../harness/service';
import { Stack } from '../harness/stack';
import { distribution, round, type Distribution } from '../harness/stats';
import { FOREACH_STEP_ID, foreachWorkflow } from '../harness/workflows';

const WORKFLOW_ID = 'bench.fanout';
/** Child runs of a foreach belong to workflow `<workflow id>.<step id>`. */
const CHILD_WORKFLOW_ID = `${WORKFLOW_ID}.${FOREACH_STEP_ID}`;
/** Iterations in flight at once: a constant of the scenario (the harness has no option for it). */
const CONCURRENCY = 100;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** Neither a new parent event nor a new run in the engine for this long: stuck, not slow. */
const STALL_MS = 180_000;
const SAMPLE_EVERY_MS = 10_000;

interface IdleSampling {
  readonly samples: number;
  readonly everyMs: number;
}

/** Idle samples before the start and after the end: RSS and heap used settle (heap used counts garbage). */
const IDLE: IdleSampling = { samples: 6, everyMs: 5_000 };
/** `--smoke` measures nothing, so it does not wait a minute for idle samples. */
const SMOKE_IDLE: IdleSampling = { samples: 2, everyMs: 500 };
const HEAP_METRIC = 'nodejs_heap_size_used_bytes';
const RUNS_OWNED_METRIC = 'baton_engine_runs_owned';

/** The engine's memory and the loop's progress at one instant. */
interface Sample {
  /** Idle before the start request, while the loop runs, idle after the end. */
  readonly phase: 'before' | 'loop' | 'after';
  /** Since the start request (0 before it). */
  readonly seconds: number;
  /**
   * Runs the engine holds: the parent and its running iterations (an
   * iteration is forgotten once it ended), so at most concurrency + 1.
   */
  readonly runsOwned: number;
  /** The loop's counter in the parent's last progress event in the read model; null when it holds none. */
  readonly succeeded: number | null;
  readonly parentSeq: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
}

// A type, not an interface: the report takes it as a Record.
type FanoutFigures = {
  readonly iterations: number;
  /** Harness clock before the start request to the engine's RunSucceeded `at` (same machine clock). */
  readonly requestToRunSucceededSeconds: number;
  /** Engine clock: RunStarted to RunSucceeded. */
  readonly runStartedToSucceededSeconds: number;
  /** Harness clock: the start request to the poll that first showed the run ended (the read model caught up). */
  readonly requestToReadModelEndedSeconds: number;
  readonly iterationsPerSecond: number;
  /** The parent's last seq: its number of events. */
  readonly parentEvents: number;
  readonly foreachOutputs: Record<string, unknown> | null;
  /** Null when the read model holds no ChildRun* event of the parent. */
  readonly lastProgress: Record<string, unknown> | null;
  readonly engine: {
    readonly name: string;
    readonly rssStartMiB: number;
    readonly rssPeakMiB: number;
    /** When the harness saw the run ended. */
    readonly rssEndMiB: number;
    /** After the idle samples. */
    readonly rssSettledMiB: number;
    readonly heapUsedStartMiB: number;
    /** Taken when the harness saw the run ended (API and metrics may not answer while the loop runs). */
    readonly heapUsedEndMiB: number;
    /** Heap used: the least of the idle samples before the start, the last while the loop ran, the least after. */
    readonly heapUsedSettledMiB: number;
    /** Heap used right after a full GC, before the start request and after the idle samples at the end. */
    readonly liveHeapStartMiB: number;
    readonly liveHeapEndMiB: number;
    /** (live end - live start) / iterations: what the engine keeps per finished iteration (and the read side, embedded). */
    readonly heapRetainedBytesPerIteration: number;
    readonly runsOwnedAtEnd: number;
  };
  /**
   * Response times of the harness's `GET /runs/{id}` polls (one a second)
   * while the loop ran: how responsive the API stayed (embedded: the same
   * process as the engine).
   */
  readonly apiPollMs: Distribution;
  readonly machineBusyCores: number;
  readonly processes: ProcessFigures[];
  readonly childRunsListed: {
    readonly how: string;
    readonly total: number;
    readonly byStatus: Record<string, number>;
    readonly pages: number;
    readonly secondsWaitedForAll: number;
  };
  readonly readModelRows: ReadModelRows & { readonly how: string };
  readonly samples: Sample[];
};

/**
 * Scenario 3: one run of a workflow whose only step is a foreach over a
 * range of N integers (10,000 and 100,000 by default), 100 iterations at a
 * time, each a child run with one noop step. One fresh stack per size, so
 * the engine's memory at the start is that of an idle engine.
 *
 * The parent is polled through the API until it ends; then the foreach's
 * outputs (and its last progress counters, when the read model has them)
 * must say N iterations succeeded. The engine process's memory (embedded:
 * the all-in-one process, which also holds PGlite) is sampled along the way,
 * and, before the start and after the end, sampled idle for half a minute
 * each; its heap after a full GC before the start and after the end, per
 * iteration, is what the process keeps per iteration.
 */
export async function fanout(ctx: ScenarioContext): Promise<void> {
  const sizes = ctx.runs !== undefined ? [ctx.runs] : ctx.smoke ? [200] : [10_000, 100_000];
  for (const iterations of sizes) {
    const figures = await measureFanout(ctx, iterations);
    const idle = ctx.smoke ? SMOKE_IDLE : IDLE;
    printReport(
      {
        scenario: 'fanout',
        target: ctx.target,
        date: new Date().toISOString(),
        command: ctx.command,
        machine: machine(),
        parameters: {
          iterations,
          concurrency: CONCURRENCY,
          workflow: `${WORKFLOW_ID}: one foreach '${FOREACH_STEP_ID}' over range(0, ${iterations}), body one noop step`,
          profiled: ctx.profile ?? null,
        },
        figures,
        notes: [
          'duration = harness clock before POST /runs to the engine clock of RunSucceeded (same machine)',
          `RSS of ${figures.engine.name} from /proc every 250 ms; heap from ${HEAP_METRIC}`,
          'heap retained per iteration = (live heap after the run - live heap before the start) / iterations; ' +
            'live heap = heap used right after a full GC the harness asks for (SIGWINCH, --expose-gc); ' +
            `heap used start/settled = least of ${idle.samples} idle samples ${idle.everyMs / 1000} s apart (includes garbage)`,
          `read-model rows: ${figures.readModelRows.how}`,
        ],
      },
      summary(ctx, figures),
    );
  }
}

function summary(ctx: ScenarioContext, figures: FanoutFigures): string[] {
  const e = figures.engine;
  const listed = figures.childRunsListed;
  const rows = figures.readModelRows;
  const statuses = Object.entries(listed.byStatus).map(([status, n]) => `${n} ${status}`);
  return [
    `fanout (${ctx.target}): foreach of ${figures.iterations} noop iterations, concurrency ${CONCURRENCY}: ` +
      `succeeded in ${figures.requestToRunSucceededSeconds} s (request -> RunSucceeded), ${figures.iterationsPerSecond} iterations/s; ` +
      `the read model showed it ended ${figures.requestToReadModelEndedSeconds} s after the request`,
    `${e.name} RSS start ${e.rssStartMiB} MiB, peak ${e.rssPeakMiB} MiB, end ${e.rssEndMiB} MiB, ` +
      `settled ${e.rssSettledMiB} MiB; heap used ${e.heapUsedStartMiB} -> ${e.heapUsedEndMiB} MiB at the end, ` +
      `${e.heapUsedSettledMiB} MiB settled; live heap ${e.liveHeapStartMiB} -> ${e.liveHeapEndMiB} MiB ` +
      `(${e.heapRetainedBytesPerIteration} bytes per iteration); runs held at the end ${e.runsOwnedAtEnd}`,
    `API while the loop ran: GET /runs/{id} p50 ${figures.apiPollMs.p50} ms, max ${figures.apiPollMs.max} ms (n ${figures.apiPollMs.n})`,
    `CPU: ${figures.processes.map((p) => `${p.name} ${p.cores} cores`).join(', ')}; machine busy ${figures.machineBusyCores} cores`,
    `child runs listed by ${listed.how}: ${listed.total} (${statuses.join(', ')}) in ${listed.pages} pages`,
    `read-model rows: runs ${rows.runs} (${rows.runsOfWorkflow} of ${CHILD_WORKFLOW_ID}), steps ${rows.steps}, ` +
      `step_attempts ${rows.stepAttempts}, run_events ${rows.runEvents}, archive_events ${rows.archiveEvents}`,
  ];
}

async function measureFanout(ctx: ScenarioContext, iterations: number): Promise<FanoutFigures> {
  const engineName = ctx.target === 'kafka' ? 'engine-1' : 'baton';
  const stack = await Stack.start(ctx.root, {
    target: ctx.target,
    profile: ctx.profile,
    liveHeap: engineName,
  });
  const engine = stack.service(engineName);
  let rows: ReadModelRows | undefined;
  let measured: Omit<FanoutFigures, 'readModelRows'>;
  try {
    await stack.api.pushWorkflow(foreachWorkflow(WORKFLOW_ID, iterations, CONCURRENCY));
    const sampler = new Sampler(stack, engine, ctx.smoke ? SMOKE_IDLE : IDLE);
    const heapStart = Math.min(...(await sampler.idle('before', 0)).map((s) => s.heapUsedMiB));
    const liveHeapStart = await engine.liveHeapBytes();
    const monitor = new ProcessMonitor(stack.processes());
    monitor.begin();
    const { runId, sentAt } = await stack.api.startRun(WORKFLOW_ID, `fanout-${iterations}`);
    sampler.follow(runId, sentAt);
    const { run, pollMs, seenEndedAt } = await waitUntilEnded(
      stack,
      sampler,
      runId,
      600_000 + iterations * 50,
    );
    const usage = monitor.end();
    const atEnd = sampler.samples[sampler.samples.length - 1];
    const tail = await stack.api.eventsAfter(runId, run.lastSeq - 20);
    const outputs = run.steps.find((s) => s.stepId === FOREACH_STEP_ID)?.outputs ?? null;
    const progress = lastProgress(tail);
    const failure = checkSucceeded(run, outputs, progress, iterations);
    if (failure) throw new Error(`${failure}\n${diagnosis(stack, runId, tail)}`);
    const runSucceededAt = tail.find((e) => e.type === 'RunSucceeded')?.at ?? Number.NaN;
    const head = await stack.api.eventsAfter(runId, 0, 5);
    const runStartedAt = head.find((e) => e.type === 'RunStarted')?.at ?? Number.NaN;
    const seconds = (runSucceededAt - sentAt) / 1000;
    const engineUsage = usage.processes.find((p) => p.pid === engine.pid);
    // Once the read model shows every child, the read side is idle too.
    const childRunsListed = await listChildren(stack, iterations);
    const settled = await sampler.idle('after', run.lastSeq);
    const heapSettled = Math.min(...settled.map((s) => s.heapUsedMiB));
    const liveHeapEnd = await engine.liveHeapBytes();
    measured = {
      iterations,
      requestToRunSucceededSeconds: round(seconds, 2),
      runStartedToSucceededSeconds: round((runSucceededAt - runStartedAt) / 1000, 2),
      requestToReadModelEndedSeconds: round((seenEndedAt - sentAt) / 1000, 2),
      iterationsPerSecond: round(iterations / seconds),
      parentEvents: run.lastSeq,
      foreachOutputs: outputs,
      lastProgress: progress,
      engine: {
        name: engine.name,
        rssStartMiB: engineUsage?.rssStartMiB ?? Number.NaN,
        rssPeakMiB: engineUsage?.rssPeakMiB ?? Number.NaN,
        rssEndMiB: engineUsage?.rssEndMiB ?? Number.NaN,
        rssSettledMiB: settled[settled.length - 1].rssMiB,
        heapUsedStartMiB: heapStart,
        heapUsedEndMiB: atEnd.heapUsedMiB,
        heapUsedSettledMiB: heapSettled,
        liveHeapStartMiB: round(liveHeapStart / 1024 ** 2, 1),
        liveHeapEndMiB: round(liveHeapEnd / 1024 ** 2, 1),
        heapRetainedBytesPerIteration: Math.round((liveHeapEnd - liveHeapStart) / iterations),
        runsOwnedAtEnd: atEnd.runsOwned,
      },
      apiPollMs: distribution(pollMs),
      machineBusyCores: usage.machineBusyCores,
      processes: usage.processes,
      childRunsListed,
      samples: sampler.samples,
    };
    if (ctx.target === 'kafka') rows = await countReadModelRows(stack, CHILD_WORKFLOW_ID);
  } finally {
    await stack.stop();
  }
  // Embedded: PGlite opens in one process at a time, so only now that the all-in-one process is gone.
  rows ??= await countReadModelRows(stack, CHILD_WORKFLOW_ID);
  const how =
    ctx.target === 'kafka'
      ? 'SELECT count(*) on PostgreSQL after the run'
      : `SELECT count(*) on the PGlite data directory once the process stopped (${stack.workDir}/data/db)`;
  return { ...measured, readModelRows: { ...rows, how } };
}

/** Samples the engine's memory and runs, and (once it follows the run) the loop's counters as the read model has them. */
class Sampler {
  readonly samples: Sample[] = [];
  private runId: string | null = null;
  private startedAt: number | null = null;

  constructor(
    private readonly stack: Stack,
    private readonly engine: Service,
    private readonly idleSampling: IdleSampling,
  ) {}

  follow(runId: string, startedAt: number): void {
    this.runId = runId;
    this.startedAt = startedAt;
  }

  async take(phase: Sample['phase'], parentSeq: number): Promise<Sample> {
    const tail = this.runId === null ? [] : await this.stack.api.eventsAfter(this.runId, parentSeq - 20);
    const progress = lastProgress(tail);
    const taken: Sample = {
      phase,
      seconds: this.startedAt === null ? 0 : round((Date.now() - this.startedAt) / 1000, 1),
      runsOwned: await scrapeMetric(this.engine.url, RUNS_OWNED_METRIC),
      succeeded: typeof progress?.succeeded === 'number' ? progress.succeeded : null,
      parentSeq,
      rssMiB: round((readProcUsage(this.engine.pid)?.rssBytes ?? 0) / 1024 ** 2, 1),
      heapUsedMiB: round((await scrapeMetric(this.engine.url, HEAP_METRIC)) / 1024 ** 2, 1),
    };
    this.samples.push(taken);
    return taken;
  }

  /** `idleSampling.samples` samples `idleSampling.everyMs` apart, with nothing running. */
  async idle(phase: 'before' | 'after', parentSeq: number): Promise<Sample[]> {
    const taken: Sample[] = [];
    for (let i = 0; i < this.idleSampling.samples; i++) {
      await sleep(this.idleSampling.everyMs);
      taken.push(await this.take(phase, parentSeq));
    }
    return taken;
  }
}

/**
 * Polls the parent every second until the read model shows it ended, with a
 * sample every `SAMPLE_EVERY_MS` (and a line on stderr: 100,000 iterations
 * take many minutes). Fails when nothing moved for `STALL_MS`.
 */
async function waitUntilEnded(
  stack: Stack,
  sampler: Sampler,
  runId: string,
  timeoutMs: number,
): Promise<{ run: RunDetail; pollMs: number[]; seenEndedAt: number }> {
  const deadline = Date.now() + timeoutMs;
  const pollMs: number[] = [];
  let lastMoved = '';
  let movedAt = Date.now();
  let sampledAt = Date.now();
  for (;;) {
    await sleep(1_000);
    const sentAt = performance.now();
    const run = await stack.api.run(runId);
    pollMs.push(Math.round(performance.now() - sentAt));
    const seq = run?.lastSeq ?? 0;
    if (run && TERMINAL.has(run.status)) {
      const seenEndedAt = Date.now();
      await sampler.take('loop', seq);
      return { run, pollMs, seenEndedAt };
    }
    if (Date.now() - sampledAt < SAMPLE_EVERY_MS) continue;
    sampledAt = Date.now();
    const taken = await sampler.take('loop', seq);
    process.stderr.write(
      `fanout: ${taken.seconds} s: engine holds ${taken.runsOwned} runs (the parent and its running iterations); ` +
        `read model: ${taken.succeeded ?? '?'} iterations succeeded, parent seq ${seq}; engine RSS ${taken.rssMiB} MiB\n`,
    );
    // A new parent event or a new run in the engine is progress.
    const moved = `${seq}/${taken.runsOwned}`;
    if (moved !== lastMoved) {
      lastMoved = moved;
      movedAt = Date.now();
    }
    if (Date.now() - movedAt > STALL_MS || Date.now() > deadline) {
      const why =
        Date.now() > deadline
          ? `not ended within ${timeoutMs} ms`
          : `no new event nor run for ${STALL_MS} ms`;
      const tail = await stack.api.eventsAfter(runId, seq - 20);
      throw new Error(`fanout run ${runId} ${why} (status ${run?.status})\n${diagnosis(stack, runId, tail)}`);
    }
  }
}

/** The loop counters of the last event of the foreach that carries them (ChildRunsStarted, ChildRunEnded). */
function lastProgress(events: readonly RunEvent[]): Record<string, unknown> | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const progress = events[i].payload.progress;
    if (events[i].payload.stepId === FOREACH_STEP_ID && progress && typeof progress === 'object') {
      return progress as Record<string, unknown>;
    }
  }
  return null;
}

/**
 * Null when the run and the foreach's outputs say every iteration succeeded,
 * and so do the loop's last counters if the read model holds them (a
 * projector that does not project ChildRun* events leaves none).
 */
function checkSucceeded(
  run: RunDetail,
  outputs: Record<string, unknown> | null,
  progress: Record<string, unknown> | null,
  iterations: number,
): string | null {
  if (run.status !== 'succeeded') return `fanout run ${run.runId} ended ${run.status}`;
  if (outputs?.succeeded !== iterations) {
    return `foreach outputs ${JSON.stringify(outputs)}, expected { succeeded: ${iterations} }`;
  }
  if (
    progress &&
    (progress.succeeded !== iterations || progress.failed !== 0 || progress.total !== iterations)
  ) {
    return `foreach's last progress ${JSON.stringify(progress)}, expected ${iterations} of ${iterations} succeeded`;
  }
  return null;
}

/**
 * Counts the child runs through `GET /runs?workflowId=`, asking for child
 * runs explicitly (`includeChildren=true`) where the API knows that field,
 * else plainly (an API without it lists child runs like any other). The read
 * model may show the parent ended before its last children (they sit on
 * other partitions), so it waits up to a minute for `iterations` succeeded
 * ones, and reports what it got.
 */
async function listChildren(stack: Stack, iterations: number): Promise<FanoutFigures['childRunsListed']> {
  const list = `GET /api/v1/runs?workflowId=${CHILD_WORKFLOW_ID}`;
  const since = Date.now();
  for (;;) {
    let how = `${list}&includeChildren=true&limit=500, every page`;
    let counted = await stack.api.countRuns(CHILD_WORKFLOW_ID, { includeChildren: 'true' });
    if (counted === null) {
      how = `${list}&limit=500, every page (this API refuses includeChildren)`;
      counted = await stack.api.countRuns(CHILD_WORKFLOW_ID);
    }
    if (counted === null) throw new Error(`${list} was refused`);
    const secondsWaitedForAll = round((Date.now() - since) / 1000, 1);
    if (counted.byStatus.succeeded === iterations || Date.now() - since > 60_000) {
      return { how, ...counted, secondsWaitedForAll };
    }
    await sleep(1_000);
  }
}

function diagnosis(stack: Stack, runId: string, tail: readonly RunEvent[]): string {
  const events = tail
    .map((e) => `  ${e.seq} ${e.type} ${JSON.stringify(e.payload).slice(0, 300)}`)
    .join('\n');
  return `last events of ${runId}:\n${events}\nprocess logs in ${stack.workDir}`;
}
