import { markdownTable, medians, middle, ratios, type Measurement } from './compare-summary';
import { readMeasurements } from './compare';

const m = (
  round: number,
  system: string,
  workload: string,
  figures: Record<string, number>,
): Measurement => ({
  round,
  system,
  workload,
  figures,
});

describe('medians and ratios of a compare run', () => {
  const measurements = [
    m(1, 'baton', 'W2-noop', { stepsPerSecond: 300 }),
    m(2, 'baton', 'W2-noop', { stepsPerSecond: 500 }),
    m(3, 'baton', 'W2-noop', { stepsPerSecond: 400 }),
    m(1, 'baton', 'W2-shell', { stepsPerSecond: 60 }),
    m(1, 'baton', 'W1', { stepToStepMsP50: 2 }),
    m(1, 'restate', 'W2-noop', { stepsPerSecond: 2000 }),
    m(2, 'restate', 'W2-noop', { stepsPerSecond: 1000 }),
    m(3, 'restate', 'W2-noop', { stepsPerSecond: 1600 }),
    m(1, 'bullmq', 'W1', { stepToStepMsP50: 0 }),
  ];

  it('takes the median of the rounds per system and workload metric', () => {
    expect(medians(measurements)).toEqual({
      baton: { 'W2-noop.stepsPerSecond': 400, 'W2-shell.stepsPerSecond': 60, 'W1.stepToStepMsP50': 2 },
      restate: { 'W2-noop.stepsPerSecond': 1600 },
      bullmq: { 'W1.stepToStepMsP50': 0 },
    });
  });

  it('divides Baton by each peer on the metrics both measured; a 0 denominator gives null', () => {
    const all = medians(measurements);
    expect(ratios(all, ['baton', 'baton-kafka'], ['restate', 'bullmq'])).toEqual({
      'baton/restate': { 'W2-noop.stepsPerSecond': 0.25 },
      'baton/bullmq': { 'W1.stepToStepMsP50': null },
    });
  });

  it('prints one markdown row per metric, systems then ratios as columns, blank where not measured', () => {
    const all = medians(measurements.filter((x) => x.system !== 'bullmq'));
    const lines = markdownTable(all, ratios(all, ['baton'], ['restate']));
    expect(lines).toEqual([
      '| metric | baton | restate | baton/restate |',
      '| --- | --- | --- | --- |',
      '| W2-noop.stepsPerSecond | 400 | 1600 | 0.25 |',
      '| W2-shell.stepsPerSecond | 60 |  |  |',
      '| W1.stepToStepMsP50 | 2 |  |  |',
    ]);
  });
});

describe('readMeasurements (compare-summary FILE)', () => {
  it("keeps the measurement lines of a compare run's output and skips the rest", () => {
    const text = [
      'uptime before: 18:38:06 up 6:49, load average: 30.23',
      '{"compare":"start","options":{}}',
      '{"round":1,"system":"baton","workload":"W3","figures":{"seconds":2.5}}',
      '{"round":1,"system":"restate","error":"no admin health"}',
      '# | metric | baton |',
      '',
    ].join('\n');
    expect(readMeasurements(text)).toEqual([m(1, 'baton', 'W3', { seconds: 2.5 })]);
  });
});

describe('middle', () => {
  it('is the middle value of an odd count and the mean of the two middle values of an even one', () => {
    expect(middle([3, 1, 2])).toBe(2);
    expect(middle([10, 20])).toBe(15);
    expect(middle([4, 1, 3, 2])).toBe(2.5);
    expect(middle([7])).toBe(7);
  });
});
