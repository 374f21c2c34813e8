import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowDraft } from './normalize';
import { parseWorkflowDocument } from './parse-workflow';

// The all-in-one process pushes every file of examples/ on start and skips invalid ones with a warning.
const dir = join(__dirname, '..', '..', '..', 'examples');
const files = readdirSync(dir).filter((file) => /\.(ya?ml|json)$/.test(file));

function example(file: string): WorkflowDraft {
  const result = parseWorkflowDocument(readFileSync(join(dir, file), 'utf8'));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors, null, 2)}`);
  return result.definition;
}

describe('the examples', () => {
  it.each(files)('%s is a valid workflow', (file) => {
    expect(example(file).id).toMatch(/\./);
  });

  it('have distinct workflow ids', () => {
    const ids = files.map((file) => example(file).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('foreach-fanout.yaml fans a range out, four at a time, over a two-step body', () => {
    const [, partitions] = example('foreach-fanout.yaml').steps;
    expect(partitions).toMatchObject({
      type: 'foreach',
      loopParams: { partition: { range: { from: 0, to: 8, step: 1 } } },
      concurrency: 4,
      ordered: false,
      body: {
        steps: [
          { id: 'extract', type: 'handler' },
          { id: 'pause', type: 'sleep', durationMs: 100 },
        ],
        edges: [{ from: 'extract', to: 'pause' }],
      },
    });
  });

  it('nested-foreach.yaml runs an ordered range inside a foreach over a list param', () => {
    const [regions] = example('nested-foreach.yaml').steps;
    expect(regions).toMatchObject({
      type: 'foreach',
      loopParams: { region: { expression: 'params.regions' } },
      body: {
        steps: [
          {
            id: 'days',
            type: 'foreach',
            ordered: true,
            concurrency: 1,
            body: { steps: [{ type: 'shell' }] },
          },
        ],
      },
    });
  });

  it('while-countdown.yaml loops on loop_index, bounded', () => {
    expect(example('while-countdown.yaml').steps[0]).toMatchObject({
      type: 'while',
      condition: 'params.loop_index < params.from',
      maxIterations: 10,
    });
  });

  it('subworkflow-parent.yaml calls the workflow of subworkflow-child.yaml', () => {
    expect(example('subworkflow-parent.yaml').steps[0]).toMatchObject({
      type: 'subworkflow',
      workflowId: example('subworkflow-child.yaml').id,
      version: 'active',
      wait: true,
      inheritParams: false,
    });
  });

  it('wait-for-signal.yaml waits for table.loaded of its table', () => {
    expect(example('wait-for-signal.yaml').steps[0]).toMatchObject({
      type: 'wait_for_signal',
      signal: 'table.loaded',
      match: { table: { expression: 'params.table' } },
      timeoutMs: 3_600_000,
    });
  });

  it('cron-nightly.yaml is started nightly in Paris, by a signal, and by a pair of signals of one day', () => {
    expect(example('cron-nightly.yaml').triggers).toEqual({
      cron: [{ schedule: '0 2 * * *', timezone: 'Europe/Paris', params: {} }],
      signals: [
        { signal: 'demo.rerun', match: { job: 'nightly' }, params: { mode: { literal: 'full' } } },
        {
          all: {
            orders: { signal: 'demo/orders/loaded', match: {} },
            stock: { signal: 'demo/stock/loaded', match: {} },
          },
          join: ['day'],
          params: { mode: { literal: 'full' } },
        },
      ],
    });
  });
});
