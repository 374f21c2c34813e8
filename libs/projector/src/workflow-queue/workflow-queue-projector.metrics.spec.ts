import { MetricsRegistry } from '@baton/observability';
import type { SqlClient } from '@baton/sql';
import { WorkflowQueueProjectorMetrics } from './workflow-queue-projector.metrics';

function sqlAnswering(answer: () => Promise<object[]>): SqlClient {
  return { query: answer } as unknown as SqlClient;
}

describe('WorkflowQueueProjectorMetrics', () => {
  it('reads the queue depth per workflow from the read model at each scrape', async () => {
    let rows = [
      { workflow_id: 'sales.daily', value: '3' },
      { workflow_id: 'ml.train', value: 1 },
    ];
    const registry = new MetricsRegistry();
    new WorkflowQueueProjectorMetrics(
      registry,
      sqlAnswering(() => Promise.resolve(rows)),
    );

    expect(await registry.metrics()).toContain('baton_workflow_queued_runs{workflow="sales.daily"} 3');
    rows = [{ workflow_id: 'ml.train', value: '2' }];
    const text = await registry.metrics();
    expect(text).toContain('baton_workflow_queued_runs{workflow="ml.train"} 2');
    expect(text).not.toContain('sales.daily'); // an emptied queue leaves no stale series
  });

  it('leaves the gauge empty, and /metrics answering, while the database does not answer', async () => {
    const registry = new MetricsRegistry();
    new WorkflowQueueProjectorMetrics(
      registry,
      sqlAnswering(() => Promise.reject(new Error('ECONNREFUSED'))),
    );
    expect(await registry.metrics()).not.toMatch(/^baton_workflow_queued_runs\{/m);
  });
});
