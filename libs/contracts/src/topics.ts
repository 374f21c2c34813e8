/**
 * Baton's topics. Everything keyed by run id (commands, events, state, step
 * tasks, status events) must share one partition count, so a run's command,
 * its state snapshot and its events live on the same partition number and the
 * engine that owns commands partition p restores state from state partition p.
 */
export const Topics = {
  /** Run requests from the API and other services, keyed by workflow id. See `RunRequest`. */
  runRequests: 'baton.run-requests',
  /** Commands for the run decider, keyed by run id (executor reports, timers, cancels, starts). */
  runCommands: 'baton.run-commands',
  /** Every run event (the domain's `RunEvent`), keyed by run id. */
  runEvents: 'baton.run-events',
  /** The engine's snapshot of each run's state, keyed by run id; compacted. */
  runState: 'baton.run-state',
  /** Public run and step status changes as CloudEvents 1.0 (structured JSON), keyed by run id. */
  statusEvents: 'baton.status-events',
  /** Executors' stdout/stderr tails per attempt, keyed by run id. See `StepLogs`. */
  stepLogs: 'baton.step-logs',
  /**
   * Attempts to stop, keyed by run id, read by *every* executor (each with its
   * own group, from the latest offset): whoever runs the attempt kills it.
   * Broadcast rather than routed, so it works whichever executor holds the step.
   */
  stepCancellations: 'baton.step-cancellations',
  /**
   * `StepStartGranted` for starts an executor asked to have confirmed (a task
   * that may be a redelivery; TASK_PROTOCOL.md), read like the cancellations.
   */
  stepGrants: 'baton.step-grants',
  /**
   * The workflow queue's input (`WorkflowCommand`: run requests admitted,
   * runs ended, pause/resume), keyed by workflow id; its single writer
   * enforces run strategies.
   */
  workflowCommands: 'baton.workflow-commands',
  /** The workflow queue's events (queued, started, dropped, paused...), keyed by workflow id. */
  workflowEvents: 'baton.workflow-events',
  /** The workflow queue's state per workflow id; compacted. */
  workflowState: 'baton.workflow-state',
  /**
   * Every pushed version's definition and each workflow's active version
   * (`WorkflowCatalogRecord`), compacted, written by the workflow's writer
   * with its registry events. Every engine reads all of it (no consumer
   * group share) into its definition catalog.
   */
  workflowDefinitions: 'baton.workflow-definitions',
  /** Signals and the waits for them (`SignalRecord`), keyed by signal name. */
  signals: 'baton.signals',
  /** The signal router's open waits per signal name; compacted. */
  signalState: 'baton.signal-state',
  /** Records Baton could not accept, with the reason. See `DeadLetter`. */
  deadLetters: 'baton.dead-letters',
} as const;

/** The step-ready topic of one executor pool. */
export function stepTasksTopic(pool: string): string {
  return `baton.step-tasks.${pool}`;
}

export interface TopicLayout {
  /** Partitions of every run-keyed topic (commands, events, state, tasks, status). */
  readonly runPartitions: number;
  /** Partitions of the workflow-keyed topics (run requests, workflow commands, events, state) and of the signal topics. */
  readonly requestPartitions: number;
}

/** A topic to create, as the event log's `ensureTopics` takes it (its `TopicSpec`, described here in the contracts' own terms). */
export interface TopicDeclaration {
  readonly name: string;
  readonly partitions: number;
  /** Log compaction keeps the latest record per key (state/changelog topics). */
  readonly compacted?: boolean;
}

/** Every topic the engine needs before it starts (pool topics are added as pools appear). */
export function coreTopics(layout: TopicLayout, pools: readonly string[] = ['default']): TopicDeclaration[] {
  const run = layout.runPartitions;
  return [
    { name: Topics.runRequests, partitions: layout.requestPartitions },
    { name: Topics.workflowCommands, partitions: layout.requestPartitions },
    { name: Topics.workflowEvents, partitions: layout.requestPartitions },
    { name: Topics.workflowState, partitions: layout.requestPartitions, compacted: true },
    { name: Topics.workflowDefinitions, partitions: layout.requestPartitions, compacted: true },
    { name: Topics.signals, partitions: layout.requestPartitions },
    { name: Topics.signalState, partitions: layout.requestPartitions, compacted: true },
    { name: Topics.runCommands, partitions: run },
    { name: Topics.runEvents, partitions: run },
    { name: Topics.runState, partitions: run, compacted: true },
    { name: Topics.statusEvents, partitions: run },
    { name: Topics.stepLogs, partitions: run },
    { name: Topics.stepCancellations, partitions: 1 },
    { name: Topics.stepGrants, partitions: 1 },
    { name: Topics.deadLetters, partitions: 1 },
    ...pools.map((pool) => ({ name: stepTasksTopic(pool), partitions: run })),
  ];
}
