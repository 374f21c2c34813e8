import { chainFigures } from './w1-chain';
import { burstFigures } from './w2-burst';

describe('chainFigures (W1)', () => {
  it('measures from the request: start to the first step, run to the end; step-to-step from one end to the next start', () => {
    // Given two 3-step chains, in epoch ms
    const runs = [
      { sentAt: 1000, stepStarts: [1010, 1022, 1030], stepEnds: [1020, 1025, 1031], endedAt: 1040 },
      { sentAt: 2000, stepStarts: [2004, 2005, 2015], stepEnds: [2005, 2010, 2016], endedAt: 2020 },
    ];

    // When
    const figures = chainFigures(runs);

    // Then: gaps 2, 5, 0, 5; starts 10, 4; runs 40, 20
    expect(figures).toEqual({
      runMsP50: 20,
      stepToStepMsP50: 2,
      stepToStepMsP95: 5,
      startMsP50: 4,
      startMsP95: 10,
      runs: 2,
    });
  });
});

describe('burstFigures (W2)', () => {
  it('divides the steps by the window from the first request to the last end, and CPU of all or own processes by the steps', () => {
    // Given 2,000 steps in 4 s, accepted after 0.5 s; 2 s of CPU in Baton and 1 s in Kafka
    const processes = [
      { name: 'engine', cpuSeconds: 2 },
      { name: 'kafka', cpuSeconds: 1 },
    ].map((p) => ({ ...p, pid: 1, cores: 0, rssStartMiB: 0, rssPeakMiB: 0, rssEndMiB: 0 }));

    // When
    const figures = burstFigures(
      2000,
      { sentAt: 10_000, acceptedAt: 10_500, lastEndedAt: 14_000 },
      processes,
      new Set(['engine']),
    );

    // Then
    expect(figures).toEqual({
      stepsPerSecond: 500,
      acceptSeconds: 0.5,
      cpuMsPerStep: 1.5,
      ownCpuMsPerStep: 1,
      windowSeconds: 4,
    });
  });
});
