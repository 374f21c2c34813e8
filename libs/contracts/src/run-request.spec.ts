import { runIdFor } from './run-request';
import { RunRequestDto } from './run-request.dto';
import { decodeMessage } from './validate-message';

describe('runIdFor', () => {
  it('gives the same run id for the same workflow and request id, so duplicates collapse', () => {
    expect(runIdFor('sales.daily', 'r-1')).toBe(runIdFor('sales.daily', 'r-1'));
  });

  it('gives different ids for another request or another workflow', () => {
    const ids = new Set([
      runIdFor('a', 'r'),
      runIdFor('a', 'r2'),
      runIdFor('b', 'r'),
      runIdFor('a\u0000r', ''),
    ]);
    expect(ids.size).toBe(4);
  });

  it('is shaped like a UUID', () => {
    expect(runIdFor('w', 'r')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('decodeMessage(RunRequestDto)', () => {
  const decode = (value: string | null) => decodeMessage(RunRequestDto, value);

  it('accepts a well-formed request', () => {
    const value = { schemaVersion: 1, workflowId: 'sales.daily', requestId: 'r1', params: { mode: 'full' } };
    expect(decode(JSON.stringify(value))).toEqual({ ok: true, value });
  });

  it("accepts version 'active' and a version number", () => {
    for (const version of ['active', 3]) {
      expect(decode(JSON.stringify({ schemaVersion: 1, workflowId: 'w', requestId: 'r', version })).ok).toBe(
        true,
      );
    }
  });

  it('says why a value that is not JSON is refused', () => {
    expect(decode('{oops')).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
  });

  it('lists every problem with its path, unknown fields included', () => {
    const result = decode(JSON.stringify({ schemaVersion: 2, workflowId: '9x', params: [], extra: 1 }));
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining(['$.schemaVersion', '$.workflowId', '$.requestId', '$.params', '$.extra']),
    );
  });

  it('refuses an empty value and a JSON array', () => {
    expect(decode(null).ok).toBe(false);
    expect(decode('[]').ok).toBe(false);
  });
});

describe('a run request too deep or too large', () => {
  const request = (params: unknown) =>
    JSON.stringify({ schemaVersion: 1, workflowId: 'wf', requestId: 'r1', params });

  it('is a dead letter with a reason, before anything recursive reads it', () => {
    const text = `{"schemaVersion":1,"workflowId":"wf","requestId":"r1","params":{"p":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    expect(decodeMessage(RunRequestDto, text)).toMatchObject({
      ok: false,
      reason: 'value nests deeper than 64 levels',
    });
  });

  it('refuses params nested deeper than 32 levels or over 1 MiB, with the path', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(decodeMessage(RunRequestDto, request({ deep }))).toMatchObject({
      ok: false,
      problems: [{ path: '$.params', message: 'params nests deeper than 32 levels of lists and maps' }],
    });
    expect(decodeMessage(RunRequestDto, request({ big: 'x'.repeat(1_100_000) }))).toMatchObject({
      ok: false,
      problems: [{ path: '$.params', message: 'params is larger than 1048576 bytes of JSON' }],
    });
    expect(decodeMessage(RunRequestDto, request({ fine: [[1, 2], { a: 'b' }] }))).toMatchObject({ ok: true });
  });
});
