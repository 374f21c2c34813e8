import { accepted, refused } from './testing/documents';

const withSignals = (signals: unknown[]) => ({
  id: 'wf',
  params: { day: { type: 'string', required: true } },
  steps: [{ id: 'a', type: 'noop' }],
  triggers: { signals },
});

const SALES_AND_FX = {
  all: {
    sales: { signal: 'warehouse/sales/loaded', match: { region: 'eu' } },
    fx: { signal: 'fx.rates' },
  },
  join: ['date'],
  condition: 'signals.sales.params.date >= signals.fx.params.date',
  params: { day: '${signals.sales.params.date}' },
};

describe('a signal trigger on several signals', () => {
  it('normalizes its members (match literal, default {}), join keys, condition and params', () => {
    expect(accepted(withSignals([SALES_AND_FX])).triggers.signals).toEqual([
      {
        all: {
          sales: { signal: 'warehouse/sales/loaded', match: { region: 'eu' } },
          fx: { signal: 'fx.rates', match: {} },
        },
        join: ['date'],
        condition: 'signals.sales.params.date >= signals.fx.params.date',
        params: { day: { expression: 'signals.sales.params.date' } },
      },
    ]);
  });

  it('says where a member, a join key, the condition or a param is wrong', () => {
    const errors = refused(
      withSignals([
        {
          all: { sales: { signal: '9lives', when: 1 }, 'b-c': 'fx.rates' },
          join: ['bad-key'],
          condition: 'signals.sale.params.date > 1',
          params: { day: '${signal.params.date}' },
        },
        { signal: 'x', all: { a: { signal: 'x' } }, params: { day: 'd' } },
        { signal: 'x', join: ['date'], condition: 'true', params: { day: 'd' } },
        { all: {}, params: { day: 'd' } },
      ]),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        {
          path: '$.triggers.signals[0].all.sales.signal',
          message: expect.stringContaining('must start with a letter'),
        },
        {
          path: '$.triggers.signals[0].all.sales.when',
          message: expect.stringContaining("unknown field 'when'"),
        },
        { path: '$.triggers.signals[0].all["b-c"]', message: expect.stringContaining('not a valid alias') },
        {
          path: '$.triggers.signals[0].join[0]',
          message: expect.stringContaining("'bad-key' is not a valid"),
        },
        {
          path: '$.triggers.signals[0].condition',
          message: 'signals.sale is not a signal of this trigger; all declares sales',
        },
        {
          path: '$.triggers.signals[0].params.day',
          message: expect.stringContaining("'signal' cannot be used here"),
        },
        {
          path: '$.triggers.signals[1].signal',
          message: expect.stringContaining('move signal into a member of all'),
        },
        {
          path: '$.triggers.signals[2].join',
          message: expect.stringContaining('applies to a trigger on several signals'),
        },
        {
          path: '$.triggers.signals[2].condition',
          message: expect.stringContaining('applies to a trigger on several'),
        },
        { path: '$.triggers.signals[3].all', message: expect.stringContaining('all needs 1 to 8 signals') },
      ]),
    );
  });

  it('refuses a trigger with neither signal nor all', () => {
    expect(refused(withSignals([{ params: { day: 'd' } }]))).toContainEqual({
      path: '$.triggers.signals[0].signal',
      message: 'a signal trigger needs signal (one signal) or all (several, by alias)',
    });
  });
});
