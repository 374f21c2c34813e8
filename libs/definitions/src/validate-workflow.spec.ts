import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_DEFINITION_LIMITS,
  DEFAULT_RETRY_POLICY,
  parseWorkflowDocument,
  validateWorkflowDocument,
} from './index';

const example = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'examples', name), 'utf8');
const defaults = {
  retry: DEFAULT_RETRY_POLICY,
  failureMode: 'fail_immediately',
  outputs: {},
  pool: 'default',
  params: {},
};

describe('the examples', () => {
  it('diamond.yaml normalizes to the expected model', () => {
    expect(parseWorkflowDocument(example('diamond.yaml'))).toEqual({
      ok: true,
      definition: {
        id: 'sales.daily',
        name: 'Daily sales',
        description: 'Extract, transform two ways, load.',
        tags: ['sales', 'daily'],
        params: [
          { name: 'mode', type: 'string', required: false, default: 'delta', description: 'full or delta' },
          { name: 'min_rows', type: 'long', required: false, default: 100 },
          {
            name: 'region',
            type: 'string',
            required: false,
            expression: "params.mode == 'full' ? 'all' : 'eu'",
          },
        ],
        timeoutMs: 7_200_000,
        runStrategy: { kind: 'parallel', maxConcurrent: 4 },
        triggers: { cron: [], signals: [] },
        steps: [
          {
            ...defaults,
            id: 'extract',
            type: 'handler',
            handler: 'sales.extract',
            params: { region: { expression: 'params.region' } },
            outputs: { rows: 'result.rows' },
          },
          { ...defaults, id: 'transform_full', type: 'noop' },
          { ...defaults, id: 'transform_delta', type: 'noop' },
          { ...defaults, id: 'load', type: 'noop' },
        ],
        edges: [
          {
            from: 'extract',
            to: 'transform_full',
            condition: "params.mode == 'full' && steps.extract.outputs.rows > params.min_rows",
          },
          { from: 'extract', to: 'transform_delta' },
          { from: 'transform_full', to: 'load' },
          { from: 'transform_delta', to: 'load' },
        ],
      },
    });
  });

  it('shell-pipeline.yaml keeps argv, env expressions and retry policies', () => {
    const result = parseWorkflowDocument(example('shell-pipeline.yaml'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [extract, transform, load] = result.definition.steps;
    expect(result.definition.runStrategy).toEqual({ kind: 'sequential' });
    expect(result.definition.params[0]).toEqual({
      name: 'region',
      type: 'string',
      required: false,
      default: 'eu',
    });
    expect(extract).toMatchObject({
      type: 'shell',
      command: ['sh', '-c', expect.stringContaining('$BATON_OUTPUT_FILE')],
      env: { REGION: { expression: 'params.region' }, ROWS: { expression: 'params.rows' } },
      timeoutMs: 60_000,
      outputs: { rows: 'result.output.rows' },
    });
    expect(transform).toMatchObject({
      type: 'shell',
      env: { ROWS: { expression: 'steps.extract.outputs.rows' } },
      retry: { userErrorLimit: 2, platformErrorLimit: 10, backoff: { kind: 'fixed', delayMs: 1_000 } },
      failureMode: 'finish_running',
    });
    expect(load).toMatchObject({ pool: 'default', outputs: { loaded: 'result.output.loaded' } });
    expect(result.definition.edges).toEqual([
      { from: 'extract', to: 'transform' },
      { from: 'transform', to: 'load' },
    ]);
  });

  it('http-check.yaml has a conditional notification', () => {
    const result = parseWorkflowDocument(example('http-check.yaml'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.definition.timeoutMs).toBe(300_000);
    expect(result.definition.steps[0]).toMatchObject({
      type: 'http',
      method: 'GET',
      url: { expression: "params.base_url + '/health'" },
      headers: { Accept: { literal: 'application/json' } },
      successStatuses: [200, 503],
    });
    expect(result.definition.steps[1]).toMatchObject({
      type: 'handler',
      handler: 'ops.notify',
      params: { text: { expression: expect.stringContaining('steps.check.outputs.status') } },
    });
    expect(result.definition.edges).toEqual([
      { from: 'check', to: 'notify', condition: '!steps.check.outputs.healthy' },
    ]);
  });
});

describe('validateWorkflowDocument', () => {
  const minimal = { id: 'wf', steps: [{ id: 'a', type: 'noop' }] };

  it('fills in defaults for a minimal document', () => {
    expect(validateWorkflowDocument(minimal)).toEqual({
      ok: true,
      definition: {
        id: 'wf',
        name: 'wf',
        description: '',
        tags: [],
        params: [],
        runStrategy: { kind: 'parallel' },
        triggers: { cron: [], signals: [] },
        steps: [{ ...defaults, id: 'a', type: 'noop' }],
        edges: [],
      },
    });
  });

  it('accepts a DAG with several roots', () => {
    const doc = {
      id: 'wf',
      steps: [
        { id: 'a', type: 'noop' },
        { id: 'b', type: 'noop' },
        { id: 'c', type: 'noop', depends_on: ['a', 'b'] },
      ],
    };
    expect(validateWorkflowDocument(doc).ok).toBe(true);
  });

  it('refuses what is not a map', () => {
    expect(validateWorkflowDocument([1, 2])).toEqual({
      ok: false,
      errors: [{ path: '$', message: 'a workflow document must be a map with at least id and steps' }],
    });
  });

  it('refuses values that are not JSON', () => {
    const result = validateWorkflowDocument({ ...minimal, description: () => 1 });
    expect(result).toEqual({
      ok: false,
      errors: [{ path: '$.description', message: expect.stringContaining('not a JSON value') }],
    });
  });

  it('reports all errors at once, sorted by path with indexes in numeric order', () => {
    const steps = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, type: 'noop' }));
    steps[2] = { id: 's2', type: 'bogus' };
    steps[10] = { id: 's10', type: 'bogus' };
    const result = validateWorkflowDocument({ id: '9', steps, extra: true });
    if (result.ok) throw new Error('expected errors');
    expect(result.errors.map((e) => e.path)).toEqual([
      '$.extra',
      '$.id',
      '$.steps[2].type',
      '$.steps[10].type',
    ]);
  });

  it('applies the limits it is given', () => {
    const limits = { ...DEFAULT_DEFINITION_LIMITS, maxSteps: 2, maxExpressionLength: 10 };
    const steps = [
      { id: 'a', type: 'noop' },
      { id: 'b', type: 'noop' },
      { id: 'c', type: 'noop' },
    ];
    expect(validateWorkflowDocument({ id: 'wf', steps }, limits)).toEqual({
      ok: false,
      errors: [
        { path: '$.steps', message: '3 steps (loop bodies included); the limit is 2. Split the workflow' },
      ],
    });
    const nested = [
      { id: 'a', type: 'while', condition: 'true', steps: [{ id: 'b', type: 'noop' }] },
      { id: 'c', type: 'noop' },
    ];
    expect(validateWorkflowDocument({ id: 'wf', steps: nested }, limits)).toMatchObject({
      ok: false,
      errors: [{ path: '$.steps', message: expect.stringMatching(/^3 steps/) }],
    });
    const long = { id: 'wf', steps: [{ id: 'a', type: 'noop', outputs: { x: 'result.rows + 1.0' } }] };
    expect(validateWorkflowDocument(long, limits)).toEqual({
      ok: false,
      errors: [
        { path: '$.steps[0].outputs.x', message: 'expression is 17 characters long; the limit is 10' },
      ],
    });
  });

  it('refuses a document over the size limit before parsing it', () => {
    const limits = { ...DEFAULT_DEFINITION_LIMITS, maxDocumentBytes: 10 };
    expect(parseWorkflowDocument('id: wf\nsteps: []\n', 'yaml', limits)).toEqual({
      ok: false,
      errors: [{ path: '$', message: 'document is 17 bytes; the limit is 10' }],
    });
  });

  // Kept here rather than in the corpus: prettier cannot format a broken YAML file.
  it('reports YAML syntax errors with line and column', () => {
    expect(parseWorkflowDocument('id: wf\nsteps:\n  - id: a\n    type: noop\n   bad: indentation\n')).toEqual(
      {
        ok: false,
        errors: [
          {
            path: '$',
            message: 'YAML syntax error at line 5, column 1: Sequence item without - indicator',
            line: 5,
            column: 1,
          },
        ],
      },
    );
  });

  it('detects JSON and reports JSON syntax errors with line and column', () => {
    expect(parseWorkflowDocument('{"id": "wf", "steps": [{"id": "a", "type": "noop"}]}').ok).toBe(true);
    const result = parseWorkflowDocument('{\n  "id": "wf",\n  "steps": [\n}');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({
        path: '$',
        line: expect.any(Number),
        message: expect.stringMatching(/^JSON syntax error at line/),
      });
  });

  it('accepts the explicit literal form and the ${...} shorthand', () => {
    const result = validateWorkflowDocument({
      id: 'wf',
      params: { n: { type: 'long', default: 1 } },
      steps: [
        {
          id: 'a',
          type: 'noop',
          params: { raw: { literal: '${not evaluated}' }, calc: '${params.n * 2.0}' },
        },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.definition.steps[0].params).toEqual({
      raw: { literal: '${not evaluated}' },
      calc: { expression: 'params.n * 2.0' },
    });
  });

  it('expands YAML aliases but refuses an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`,
      );
    const result = parseWorkflowDocument(`${bomb.join('\n')}\nid: wf\nsteps: []\n`);
    expect(result).toEqual({
      ok: false,
      errors: [{ path: '$', message: expect.stringMatching(/^cannot read document: .*alias/i) }],
    });
  });
});
