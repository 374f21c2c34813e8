import type { StepKind } from '../harness/workflows';

/** A process of an installation; `own` is false for the infrastructure it needs (Kafka, PostgreSQL). */
export interface SystemProcess {
  readonly name: string;
  readonly pid: number;
  readonly own: boolean;
}

/** One chain run, as the system itself recorded it (epoch ms; one machine, so the clocks agree). */
export interface ChainTimes {
  /** Harness clock just before the request left. */
  readonly sentAt: number;
  /** When each step began and ended, in chain order. */
  readonly stepStarts: readonly number[];
  readonly stepEnds: readonly number[];
  /** When the run ended (the system's record of it, or the harness's receipt of a pushed result). */
  readonly endedAt: number;
}

/**
 * The same three workloads on any orchestrator (Baton, Restate, BullMQ),
 * driven from outside through its normal API. Each measurement in
 * `../scenarios/w*.ts` takes one of these, already started and healthy.
 */
export interface BenchSystem {
  /** As printed in figures: `baton`, `baton-kafka`, `baseline`, `restate`, `bullmq`. */
  readonly name: string;
  readonly stepKinds: readonly StepKind[];
  processes(): SystemProcess[];
  /** W1: one run of a chain of `steps` steps, to its end. */
  chain(steps: number, key: string): Promise<ChainTimes>;
  /**
   * W2: `runs` chains submitted at once. Resolves when all ended, with when
   * the last submission was accepted (harness clock) and when the last run
   * ended (the system's clock).
   */
  burst(
    runs: number,
    steps: number,
    kind: StepKind,
    key: string,
  ): Promise<{ acceptedAt: number; lastEndedAt: number }>;
  /** W3: one run whose `children` noop children (a foreach, a flow, calls) must all end before it does. */
  fanout(children: number, key: string): Promise<{ sentAt: number; endedAt: number }>;
  stop(): Promise<void>;
}

/** Starts a fresh installation of one system in `workDir`. */
export type SystemFactory = (workDir: string) => Promise<BenchSystem>;
