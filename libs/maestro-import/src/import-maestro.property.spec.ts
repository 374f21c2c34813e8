import fc from 'fast-check';
import { importMaestro } from './import-maestro';

// Maestro-ish documents with random parts, odd values where values go.
const ids = fc.constantFrom('job.1', 'job.2', 'load-eu', 'x/y', 'a', 'b', '1st', 'job_1');
const sel = fc.oneof(
  fc.constantFrom(
    'true',
    'n > 1',
    "params.get('n') + 1",
    'a + b',
    "'x' + n",
    'n / 0',
    'Math.max(n, 2)',
    'new DateTime()',
    'return 1;',
    '${n}',
  ),
  fc.string({ maxLength: 20 }),
);
const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('${n}', 'a $$ b', '${job.1__x}'));
const paramType = fc.constantFrom(
  'STRING',
  'LONG',
  'DOUBLE',
  'BOOLEAN',
  'MAP',
  'STRING_MAP',
  'LONG_ARRAY',
  'STRING_ARRAY',
  'ODD',
);
const param = fc.oneof(
  fc.record({ value, type: paramType }),
  fc.record({ expression: sel, type: paramType }),
  fc.jsonValue({ maxDepth: 1 }),
);
const params = fc.dictionary(
  fc.constantFrom('n', 'a', 'b', 'x', 'sleep_seconds', 'loop_params', 'subworkflow_id', 'bad-name'),
  param,
  { maxKeys: 4 },
);
const body = fc.record(
  {
    id: ids,
    type: fc.constantFrom('NoOp', 'Sleep', 'Http', 'Kubernetes', 'Notebook', 'Join', 42),
    params,
    transition: fc.oneof(
      fc.record({ successors: fc.dictionary(ids, fc.oneof(sel, fc.boolean()), { maxKeys: 3 }) }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    retry_policy: fc.oneof(
      fc.record({
        error_retry_limit: fc.oneof(fc.nat(5), fc.string()),
        backoff: fc.record({ type: fc.constantFrom('FIXED_BACKOFF', 'EXPONENTIAL_BACKOFF', 'x') }),
      }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    timeout: fc.oneof(fc.nat(100), fc.constantFrom('1 hour', '${t}', '5 minutes 3 seconds', 'soon')),
    failure_mode: fc.constantFrom('IGNORE_FAILURE', 'fail_immediately', 'never'),
    condition: sel,
    signal_dependencies: fc.oneof(
      fc.array(
        fc.record({
          name: fc.constantFrom('a.b', 'x/y', ''),
          match_params: fc.dictionary(
            fc.constantFrom('k', 'j'),
            fc.record({ value, operator: fc.constantFrom('=', '>', undefined) }),
          ),
        }),
        { maxLength: 2 },
      ),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  },
  { requiredKeys: ['id'] },
);
// Mostly what Maestro accepts (so that most become Baton set triggers), some of what it does not.
const signalName = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom('a.b', 'c/d', 'a_b', 'e-f', 'g/h.i', 'j', 'k.l', 'm/n', 'o') },
  { weight: 1, arbitrary: fc.constantFrom('9x', 'bad name', '') },
);
const matchValue = fc.oneof(
  { weight: 12, arbitrary: fc.oneof(fc.integer(), fc.string({ maxLength: 5 })) },
  { weight: 1, arbitrary: value },
);
const signalTrigger = fc.record(
  {
    definitions: fc.dictionary(
      signalName,
      fc.record(
        {
          match_params: fc.dictionary(
            fc.constantFrom('k', 'j-k'),
            fc.record({
              value: matchValue,
              operator: fc.oneof(fc.constantFrom('=', '<', '>='), fc.constant('!=')),
            }),
            { maxKeys: 2 },
          ),
          join_keys: fc.oneof(
            { weight: 12, arbitrary: fc.constant(['day']) },
            { weight: 3, arbitrary: fc.constantFrom([], ['date'], ['day', 'date'], ['x-y']) },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
          ),
        },
        { requiredKeys: [] },
      ),
      { minKeys: 1, maxKeys: 4 },
    ),
    params,
    condition: fc.oneof(
      fc.constantFrom(
        "params.getFromSignal('a.b', 'k') > 1",
        "params.getFromSignal('c/d', 'day') == params.getFromSignal('a.b', 'day')",
        "n == 'x' && params.getFromSignal('k')",
        'n > 1',
      ),
      sel,
    ),
  },
  { requiredKeys: ['definitions'] },
);
const wrapper = (steps: fc.Arbitrary<unknown[]>) =>
  fc
    .tuple(fc.constantFrom('step', 'foreach', 'while', 'subworkflow', 'template', 'junk'), body, steps)
    .map(([kind, b, inner]) => ({
      [kind]: kind === 'foreach' || kind === 'while' ? { ...b, steps: inner } : b,
    }));
const steps = fc.array(wrapper(fc.array(wrapper(fc.constant([])), { maxLength: 3 })), { maxLength: 5 });
const document = fc.record(
  {
    properties: fc.record(
      {
        run_strategy: fc.oneof(
          fc.constantFrom('sequential', 'LAST_ONLY', 'nope', 3),
          fc.record({
            rule: fc.oneof(fc.string(), fc.constantFrom('PARALLEL', 'SERIAL_LATEST_ONLY', 'LAST_ONLY')),
            workflow_concurrency: fc.oneof(fc.integer(), fc.double(), fc.constant('x')),
          }),
        ),
        step_concurrency: fc.oneof(fc.integer(), fc.double(), fc.constant('4')),
        owner: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    ),
    workflow: fc.record(
      {
        id: fc.oneof(ids, fc.string({ maxLength: 10 })),
        params,
        steps,
        time_triggers: fc.array(
          fc.record({
            type: fc.constantFrom('CRON', 'PREDEFINED', 'INTERVAL'),
            cron: fc.constantFrom('0 0 12 ? * 2 *', '* * * * *', 'bad', '0 0 1 L * ? *'),
            expression: fc.constantFrom('@daily', '@never'),
          }),
          { maxLength: 2 },
        ),
        signal_triggers: fc.array(signalTrigger, { maxLength: 2 }),
      },
      { requiredKeys: ['steps'] },
    ),
  },
  { requiredKeys: ['workflow'] },
);

describe('importMaestro on random Maestro-shaped documents (property)', () => {
  it('never throws, and what it converts Baton always accepts', () => {
    fc.assert(
      fc.property(document, (doc) => {
        const result = importMaestro(JSON.stringify(doc));
        if (result.ok && !result.valid)
          throw new Error(`invalid: ${JSON.stringify(result.errors)}\n${JSON.stringify(result.definition)}`);
      }),
      { numRuns: 300 },
    );
  });
});
