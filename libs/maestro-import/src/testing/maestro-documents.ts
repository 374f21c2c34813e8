/**
 * Maestro-shaped workflow documents written for these specs (after the shapes
 * in Maestro's docs; not copies of its samples), one per construct, plus one
 * that uses them all.
 */
type Doc = Record<string, unknown>;

const long = (value: number) => ({ value, type: 'LONG' });
const text = (value: string) => ({ value, type: 'STRING' });
const sel = (expression: string, type = 'STRING') => ({ expression, type });

export const conditionalDag: Doc = {
  properties: { owner: 'data-eng', run_strategy: 'parallel' },
  workflow: {
    id: 'orders.daily',
    name: 'Daily orders',
    params: { threshold: long(100), region: text('eu') },
    steps: [
      {
        step: {
          id: 'extract.1',
          type: 'NoOp',
          params: { rows: long(250) },
          transition: { successors: { 'load.big': 'rows > threshold', 'load.small': 'rows <= threshold' } },
        },
      },
      { step: { id: 'load.big', type: 'NoOp', transition: { successors: { report: 'true' } } } },
      {
        step: {
          id: 'load.small',
          type: 'NoOp',
          transition: { successors: { report: "params.get('region') == 'eu'" } },
        },
      },
      { step: { id: 'report', type: 'NoOp' } },
    ],
  },
};

export const paramsAndSel: Doc = {
  workflow: {
    id: 'params.demo',
    params: {
      base: long(7),
      ratio: { value: 0.5, type: 'DOUBLE' },
      label: sel("'run-' + base"),
      half: sel('base / 2', 'LONG'),
      big: sel('base > 5 ? true : false', 'BOOLEAN'),
      greeting: text('hello ${label}!'),
      tags: { value: ['a', 'b'], type: 'STRING_ARRAY' },
      when: sel("new DateTime().toString('yyyyMMdd')"),
    },
    steps: [
      {
        step: {
          id: 'show',
          type: 'NoOp',
          params: { copy: sel('base + 1', 'LONG'), upper: sel('label.toUpperCase()') },
        },
      },
    ],
  },
};

export const foreachLoop: Doc = {
  properties: { run_strategy: { rule: 'PARALLEL', workflow_concurrency: 3 } },
  workflow: {
    id: 'fanout.demo',
    params: { days: { value: [20240101, 20240102], type: 'LONG_ARRAY' } },
    steps: [
      {
        foreach: {
          id: 'per-day',
          concurrency: 5,
          params: {
            loop_params: {
              type: 'MAP',
              value: {
                day: sel("params.get('days')", 'LONG_ARRAY'),
                shard: { value: [1, 2, 3], type: 'LONG_ARRAY' },
              },
            },
          },
          steps: [{ step: { id: 'work', type: 'NoOp', params: { key: sel("day + '-' + shard") } } }],
        },
      },
    ],
  },
};

export const whileLoop: Doc = {
  workflow: {
    id: 'while.demo',
    params: { limit: long(3) },
    steps: [
      {
        while: {
          id: 'poll',
          condition: 'attempt < limit',
          params: { loop_params: { type: 'MAP', value: { attempt: long(0) } } },
          steps: [{ step: { id: 'check', type: 'NoOp', params: { attempt: sel('attempt + 1', 'LONG') } } }],
        },
      },
      { while: { id: 'bounded', condition: 'limit > 10', steps: [{ step: { id: 'noop', type: 'NoOp' } }] } },
    ],
  },
};

export const subworkflows: Doc = {
  workflow: {
    id: 'parent.demo',
    params: { region: text('us') },
    steps: [
      {
        subworkflow: {
          id: 'child-sync',
          sync: true,
          params: {
            subworkflow_id: text('child.demo'),
            subworkflow_version: text('latest'),
            region: sel("params.get('region')"),
          },
        },
      },
      {
        subworkflow: {
          id: 'child-async',
          sync: false,
          explicit_params: true,
          params: { subworkflow_id: text('child.demo'), subworkflow_version: long(4) },
        },
      },
      { subworkflow: { id: 'child-computed', params: { subworkflow_id: sel("'child.' + region") } } },
    ],
  },
};

export const retries: Doc = {
  workflow: {
    id: 'retry.demo',
    steps: [
      {
        step: {
          id: 'fixed',
          type: 'Http',
          params: {
            http: { type: 'MAP', value: { url: text('http://localhost:9/ok'), method: text('post') } },
          },
          retry_policy: {
            error_retry_limit: 4,
            platform_retry_limit: 1,
            backoff: {
              type: 'FIXED_BACKOFF',
              error_retry_backoff_in_secs: 5,
              platform_retry_backoff_in_secs: 30,
            },
          },
        },
      },
      {
        step: {
          id: 'exponential',
          type: 'Http',
          params: { http: { type: 'MAP', value: { url: text('http://localhost:9/ok') } } },
          retry_policy: {
            error_retry_limit: 1,
            backoff: {
              type: 'EXPONENTIAL_BACKOFF',
              error_retry_backoff_in_secs: 2,
              error_retry_exponent: 3,
              error_retry_limit_in_secs: 60,
            },
          },
        },
      },
      {
        step: {
          id: 'defaults',
          type: 'Kubernetes',
          params: {
            kubernetes: {
              type: 'MAP',
              value: {
                image: text('busybox'),
                command: { value: ['sh'], type: 'STRING_ARRAY' },
                args: { value: ['-c', 'echo hi'], type: 'STRING_ARRAY' },
              },
            },
          },
        },
      },
    ],
  },
};

export const triggers: Doc = {
  properties: { run_strategy: 'LAST_ONLY' },
  workflow: {
    id: 'triggers.demo',
    params: { mode: text('delta'), table: text('none'), day: text('') },
    time_triggers: [
      { type: 'CRON', cron: '0 30 6 ? * 2-6 *', timezone: 'Europe/Paris' },
      { type: 'CRON', cron: '15 * * * *' },
      { type: 'PREDEFINED', expression: '@weekly', timezone: 'UTC' },
      { type: 'INTERVAL', interval: '1h' },
    ],
    signal_triggers: [
      {
        definitions: { 'table.ready': { match_params: { env: { value: 'prod', operator: '=' } } } },
        params: { table: sel("params.getFromSignal('name')"), mode: text('full') },
      },
      { definitions: { 'a.done': { match_params: { n: { value: 3, operator: '>=' } } } } },
      {
        definitions: {
          'warehouse/sales': {
            match_params: { region: { value: 'eu', operator: '=' } },
            join_keys: ['date'],
          },
          'fx.rates': { join_keys: ['date'] },
        },
        params: { day: sel("params.getFromSignal('warehouse/sales', 'date')") },
        condition: "day != '' && params.getFromSignal('fx.rates', 'version') >= 2",
      },
      { definitions: { 'a.done': { join_keys: ['day'] }, 'b.done': { join_keys: ['date'] } } },
      { definitions: { 'a.done': {}, 'b.done': {} }, condition: 'new DateTime() != null' },
      { definitions: { 'a.done': { join_keys: ['day'] }, 'b.done': {} } },
    ],
    steps: [{ step: { id: 'run', type: 'NoOp' } }],
  },
};

export const signalDependencies: Doc = {
  workflow: {
    id: 'signals.demo',
    params: { day: text('20240101') },
    steps: [
      { step: { id: 'start', type: 'NoOp', transition: { successors: { consume: 'true' } } } },
      {
        step: {
          id: 'consume',
          type: 'NoOp',
          signal_dependencies: [
            {
              name: 'warehouse.orders',
              match_params: {
                day: { param: sel("params.get('day')"), operator: '=' },
                hour: { value: 3, operator: '>=' },
              },
            },
            { name: 'warehouse/customers' },
          ],
          params: { seen: sel("params.getFromSignalDependency('0', 'day')") },
        },
      },
    ],
  },
};

export const unsupported: Doc = {
  properties: { owner: { name: 'ops' }, alerting: { emails: ['x@y.z'] }, step_concurrency: 5 },
  workflow: {
    id: 'odd.demo',
    criticality: 'high',
    steps: [
      { step: { id: 'nb', type: 'Notebook', params: { notebook: text('x.ipynb') } } },
      { template: { id: 'tpl', source: 'x' } },
      {
        step: {
          id: 'wait',
          type: 'Sleep',
          params: { sleep_seconds: sel('1 + 1', 'LONG') },
          tags: ['x'],
          signal_outputs: [{ name: 'done' }],
        },
      },
    ],
  },
};

/** Every construct at once, for the validation round trip. */
export const ALL_DOCUMENTS: Readonly<Record<string, Doc>> = {
  conditionalDag,
  paramsAndSel,
  foreachLoop,
  whileLoop,
  subworkflows,
  retries,
  triggers,
  signalDependencies,
  unsupported,
};
