/** The few BullMQ calls the harness makes, typed here so that it compiles without the peers installed. */
export interface Connection {
  readonly host: string;
  readonly port: number;
  readonly maxRetriesPerRequest: null;
}

export interface Job {
  readonly id?: string;
  /** Epoch ms: when a worker took it, and when it completed. */
  readonly processedOn?: number;
  readonly finishedOn?: number;
  waitUntilFinished(events: QueueEvents): Promise<unknown>;
}

export interface JobNode {
  readonly job: Job;
  readonly children?: JobNode[];
}

export interface FlowJob {
  readonly name: string;
  readonly queueName: string;
  readonly data?: unknown;
  readonly children?: FlowJob[];
}

interface Closable {
  close(): Promise<void>;
  waitUntilReady(): Promise<unknown>;
  /** They are event emitters: 200 concurrent `add`s each listen for a close. */
  setMaxListeners(n: number): void;
}

export type QueueEvents = Closable;

export interface BullMq {
  FlowProducer: new (options: {
    connection: Connection;
  }) => { add(flow: FlowJob): Promise<JobNode> } & Closable;
  Queue: new (name: string, options: { connection: Connection }) => Closable;
  QueueEvents: new (name: string, options: { connection: Connection }) => QueueEvents;
  Job: { fromId(queue: Closable, id: string): Promise<Job | undefined> };
  Worker: new (
    name: string,
    processor: (job: Job) => Promise<unknown>,
    options: { connection: Connection; concurrency: number },
  ) => Closable;
}

export const QUEUE = 'bench';

export function connection(port: number): Connection {
  return { host: '127.0.0.1', port, maxRetriesPerRequest: null };
}
