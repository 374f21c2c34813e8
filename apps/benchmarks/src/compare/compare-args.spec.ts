import { parseCompareArgs, roundOrder } from './compare-args';

describe('parseCompareArgs', () => {
  it('defaults to three rounds of the issue sizes on Baton embedded, Restate and BullMQ', () => {
    expect(parseCompareArgs([])).toEqual({
      systems: ['baton', 'restate', 'bullmq'],
      rounds: 3,
      chains: 10,
      runs: 200,
      shellRuns: 200,
      children: 1000,
      baseline: null,
    });
  });

  it('adds the baseline build to the default systems when one is given', () => {
    const options = parseCompareArgs(['--baton-baseline', '/work/bench-base']);
    expect(options.systems).toEqual(['baton', 'baseline', 'restate', 'bullmq']);
    expect(options.baseline).toBe('/work/bench-base');
  });

  it('takes systems and sizes, and small sizes with --smoke unless given', () => {
    expect(parseCompareArgs(['--smoke', '--systems', 'baton-kafka,bullmq', '--runs', '50'])).toEqual({
      systems: ['baton-kafka', 'bullmq'],
      rounds: 1,
      chains: 2,
      runs: 50,
      shellRuns: 50,
      children: 20,
      baseline: null,
    });
  });

  it('takes a smaller size for the shell variant of W2', () => {
    expect(parseCompareArgs(['--runs', '40', '--shell-runs', '10'])).toMatchObject({
      runs: 40,
      shellRuns: 10,
    });
  });

  it.each([
    [['--shell-runs', '-1'], /--shell-runs must be a whole number >= 1, got -1/],
    [['--systems', 'airflow'], /unknown system airflow/],
    [['--systems', 'baseline'], /need --baton-baseline/],
    [['--rounds', '0'], /--rounds must be a whole number >= 1, got 0/],
    [['--runs', '2.5'], /--runs must be a whole number/],
    [['--runs'], /--runs needs a value/],
    [['--chains', '--smoke'], /--chains needs a value/],
    [['--fast'], /unknown option --fast/],
  ])('refuses %j with a message that says why', (argv, message) => {
    expect(() => parseCompareArgs(argv)).toThrow(message);
  });
});

describe('roundOrder', () => {
  it('starts round r with the r-th system, so the order rotates', () => {
    const systems = ['a', 'b', 'c'];
    expect([1, 2, 3, 4].map((r) => roundOrder(systems, r).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
  });
});
