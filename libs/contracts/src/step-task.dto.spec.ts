import { decodeStepTask } from './step-task.dto';

const base = {
  schemaVersion: 1,
  runId: 'run-1',
  workflowId: 'wf',
  workflowVersion: 3,
  stepId: 'extract',
  attempt: 2,
  pool: 'default',
  params: { day: '2024-06-01' },
  leaseMs: 30_000,
};

function decode(value: object) {
  return decodeStepTask(JSON.stringify(value));
}

describe('decodeStepTask', () => {
  it('accepts each step type of TASK_PROTOCOL.md', () => {
    const tasks = [
      { ...base, type: 'noop', spec: {} },
      { ...base, type: 'shell', timeoutMs: 600_000, spec: { command: ['python', 'x.py'], env: { A: 'b' } } },
      {
        ...base,
        type: 'http',
        spec: { method: 'POST', url: 'http://127.0.0.1:1/x', headers: {}, body: { a: [1] } },
      },
      { ...base, type: 'handler', spec: { name: 'sum' } },
    ];

    for (const task of tasks) expect(decode(task)).toEqual({ ok: true, task });
  });

  it('refuses a bad spec with JSON paths, and says which attempt it was', () => {
    expect(decode({ ...base, type: 'shell', spec: { command: [], env: { A: 1 }, shell: true } })).toEqual({
      ok: false,
      reason: 'invalid shell spec',
      problems: [
        { path: '$.spec.shell', message: 'property shell should not exist' },
        { path: '$.spec.command', message: 'command should not be empty' },
        { path: '$.spec.env', message: 'env must be an object of string values' },
      ],
      identity: { runId: 'run-1', stepId: 'extract', attempt: 2 },
    });
    expect(decode({ ...base, type: 'noop', spec: { extra: 1 } })).toMatchObject({
      ok: false,
      problems: [{ path: '$.spec.extra', message: 'property extra should not exist' }],
    });
  });

  it('refuses an unknown schema version or step type, keeping the identity (reported as a platform failure)', () => {
    expect(decode({ ...base, schemaVersion: 2, type: 'noop', spec: {} })).toMatchObject({
      ok: false,
      reason: 'invalid step task',
      problems: [{ path: '$.schemaVersion' }],
      identity: { runId: 'run-1', stepId: 'extract', attempt: 2 },
    });
    expect(decode({ ...base, type: 'spark', spec: {} })).toMatchObject({
      ok: false,
      problems: [{ path: '$.type' }],
      identity: { attempt: 2 },
    });
  });

  it('has no identity when the record does not name an attempt', () => {
    expect(decodeStepTask('{')).toMatchObject({ ok: false, identity: null });
    expect(decodeStepTask(null)).toMatchObject({ ok: false, reason: 'empty record value', identity: null });
    expect(decode({ ...base, attempt: 0, type: 'noop', spec: {} })).toMatchObject({
      ok: false,
      identity: null,
    });
  });
});
