import { DEFAULT_DEFINITION_LIMITS } from './limits';
import { accepted, refused } from './testing/documents';

describe('limits on loops and params', () => {
  const limits = { ...DEFAULT_DEFINITION_LIMITS, maxParamBytes: 16 };
  const big = 'x'.repeat(20);

  it('bounds each literal param value: defaults, step params, loop lists, signal matches, trigger params', () => {
    const doc = {
      id: 'wf',
      params: { text: { type: 'string', default: big }, short: { type: 'string', default: 'ok' } },
      triggers: {
        cron: [{ schedule: '0 2 * * *', params: { short: big } }],
        signals: [{ signal: 'go', match: { key: big }, params: { short: big } }],
      },
      steps: [
        { id: 'a', type: 'noop', params: { p: big, q: `\${'${big}'}` } },
        { id: 'b', type: 'foreach', loop_params: { n: [big] }, steps: [{ id: 'c', type: 'noop' }] },
        { id: 'd', type: 'wait_for_signal', signal: 'go', match: { key: big } },
      ],
    };
    const errors = refused(doc, limits);
    expect(errors.map((e) => e.path)).toEqual([
      '$.params.text.default',
      '$.steps[0].params.p',
      '$.steps[1].loop_params.n',
      '$.steps[2].match.key',
      '$.triggers.cron[0].params.short',
      '$.triggers.signals[0].match.key',
      '$.triggers.signals[0].params.short',
    ]);
    expect(errors[0].message).toBe(
      'this value is 22 bytes; the limit for one param value is 16. Pass a reference to the data (a path or a URL) instead',
    );
  });

  it('counts the UTF-8 bytes of the value as JSON', () => {
    const doc = (value: string) => ({ id: 'wf', steps: [{ id: 'a', type: 'noop', params: { p: value } }] });
    // 7 characters of 2 bytes each, plus the quotes: 16 bytes.
    accepted(doc('é'.repeat(7)), limits);
    expect(refused(doc('é'.repeat(8)), limits)).toHaveLength(1);
  });

  it('counts dependencies of loop bodies against the edge limit', () => {
    const chain = (prefix: string) =>
      Array.from({ length: 3 }, (_, i) => ({
        id: `${prefix}${i}`,
        type: 'noop',
        ...(i === 0 ? {} : { depends_on: [`${prefix}${i - 1}`] }),
      }));
    const doc = {
      id: 'wf',
      steps: [...chain('a'), { id: 'loop', type: 'while', condition: 'false', steps: chain('b') }],
    };
    expect(refused(doc, { ...DEFAULT_DEFINITION_LIMITS, maxEdges: 3 })).toEqual([
      { path: '$.steps', message: '4 dependencies (loop bodies included); the limit is 3' },
    ]);
    accepted(doc, { ...DEFAULT_DEFINITION_LIMITS, maxEdges: 4 });
  });
});
