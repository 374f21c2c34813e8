/** The few REST calls the harness makes (the same API the CLI uses). */
export interface RunSummary {
  readonly runId: string;
  readonly status: string;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly lastSeq: number;
}

export interface RunEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: number;
  readonly payload: { readonly stepId?: string; readonly [field: string]: unknown };
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async pushWorkflow(yaml: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/v1/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: yaml,
    });
    if (response.status !== 201) throw new Error(`push failed: ${response.status} ${await response.text()}`);
  }

  /** Requests a run; `sentAt` is the harness clock just before the request left. */
  async startRun(workflowId: string, requestId: string): Promise<{ runId: string; sentAt: number }> {
    const sentAt = Date.now();
    const response = await fetch(`${this.baseUrl}/api/v1/workflows/${workflowId}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requestId }),
    });
    if (response.status !== 202) throw new Error(`start failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { runId: string };
    return { runId: body.runId, sentAt };
  }

  /** The run as projected, or null while the read model has not seen it. */
  async run(runId: string): Promise<RunSummary | null> {
    const response = await fetch(`${this.baseUrl}/api/v1/runs/${runId}`);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`get run failed: ${response.status}`);
    return (await response.json()) as RunSummary;
  }

  /** Every run of a workflow in one status (all pages). */
  async runs(workflowId: string, status: string): Promise<RunSummary[]> {
    const all: RunSummary[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ workflowId, status, limit: '500' });
      if (cursor) query.set('cursor', cursor);
      const response = await fetch(`${this.baseUrl}/api/v1/runs?${query.toString()}`);
      if (!response.ok) throw new Error(`list runs failed: ${response.status}`);
      const page = (await response.json()) as { items: RunSummary[]; nextCursor: string | null };
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  async events(runId: string): Promise<RunEvent[]> {
    const all: RunEvent[] = [];
    let afterSeq = 0;
    for (;;) {
      const query = new URLSearchParams({ afterSeq: String(afterSeq), limit: '500' });
      const response = await fetch(`${this.baseUrl}/api/v1/runs/${runId}/events?${query.toString()}`);
      if (!response.ok) throw new Error(`events failed: ${response.status}`);
      const page = (await response.json()) as { items: RunEvent[]; nextAfterSeq: number | null };
      all.push(...page.items);
      if (page.nextAfterSeq === null || page.items.length === 0) return all;
      afterSeq = page.nextAfterSeq;
    }
  }

  /** Waits until the API answers /health. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const response = await fetch(`${this.baseUrl}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.baseUrl} not healthy within ${timeoutMs} ms`);
      await sleep(200);
    }
  }
}

/** Sums a Prometheus metric (every label set) from a /metrics text; 0 when absent. */
export async function scrapeMetric(baseUrl: string, name: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`);
  const text = await response.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
