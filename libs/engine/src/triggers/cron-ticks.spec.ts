import fc from 'fast-check';
import { checkCronTiming, cronTicks, type CronTiming } from './cron-ticks';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function ticks(schedule: string, timezone: string, after: string, upTo: string, limit?: number): string[] {
  const result = cronTicks({ schedule, timezone }, at(after), at(upTo), limit);
  if (!result.ok) throw new Error(result.message);
  return result.ticks.map(iso);
}

/** Every `stepMinutes` from `first` to `last`, both included. */
function every(stepMinutes: number, first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = at(first); t <= at(last); t += stepMinutes * 60_000) out.push(iso(t));
  return out;
}

describe('cronTicks', () => {
  describe('in UTC', () => {
    it('gives the ticks after the start and up to the end, both 5- and 6-field', () => {
      expect(ticks('0 * * * *', 'UTC', '2026-01-05T10:00:00Z', '2026-01-05T13:00:00Z')).toEqual([
        '2026-01-05T11:00:00Z',
        '2026-01-05T12:00:00Z',
        '2026-01-05T13:00:00Z',
      ]);
      expect(ticks('*/20 * * * * *', 'UTC', '2026-01-05T10:00:00Z', '2026-01-05T10:01:00Z')).toEqual([
        '2026-01-05T10:00:20Z',
        '2026-01-05T10:00:40Z',
        '2026-01-05T10:01:00Z',
      ]);
      expect(ticks('0 0 * * MON', 'UTC', '2026-01-01T00:00:00Z', '2026-01-20T00:00:00Z')).toEqual([
        '2026-01-05T00:00:00Z',
        '2026-01-12T00:00:00Z',
        '2026-01-19T00:00:00Z',
      ]);
      expect(ticks('@daily', 'UTC', '2026-01-01T12:00:00Z', '2026-01-03T00:00:00Z')).toEqual([
        '2026-01-02T00:00:00Z',
        '2026-01-03T00:00:00Z',
      ]);
    });

    it('gives nothing for an empty or reversed window, and at most `limit` ticks', () => {
      expect(ticks('* * * * *', 'UTC', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')).toEqual([]);
      expect(ticks('* * * * *', 'UTC', '2026-01-05T10:00:00Z', '2026-01-05T09:00:00Z')).toEqual([]);
      expect(ticks('* * * * *', 'UTC', '2026-01-05T10:00:00Z', '2026-01-05T12:00:00Z', 2)).toEqual([
        '2026-01-05T10:01:00Z',
        '2026-01-05T10:02:00Z',
      ]);
    });
  });

  it('reads the schedule as wall-clock time in the time zone', () => {
    expect(ticks('0 9 * * *', 'America/New_York', '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z')).toEqual([
      '2026-01-05T14:00:00Z',
    ]);
    expect(ticks('0 9 * * *', 'America/New_York', '2026-07-05T00:00:00Z', '2026-07-06T00:00:00Z')).toEqual([
      '2026-07-05T13:00:00Z',
    ]);
    expect(ticks('30 0 * * *', 'Asia/Kolkata', '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z')).toEqual([
      '2026-01-05T19:00:00Z',
    ]);
  });

  // Europe/Berlin, 2026: clocks go 02:00 CET -> 03:00 CEST at 2026-03-29T01:00Z,
  // and 03:00 CEST -> 02:00 CET at 2026-10-25T01:00Z.
  describe('on the spring-forward day (Europe/Berlin)', () => {
    it('fires a time of day the change skips once, at the change', () => {
      expect(ticks('30 2 * * *', 'Europe/Berlin', '2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
        '2026-03-27T01:30:00Z',
        '2026-03-28T01:30:00Z',
        '2026-03-29T01:00:00Z',
        '2026-03-30T00:30:00Z',
      ]);
      expect(ticks('0 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
        '2026-03-29T01:00:00Z',
        '2026-03-30T00:00:00Z',
      ]);
    });

    it('fires times of day outside the gap once, at their new offset', () => {
      expect(ticks('0 3 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
        '2026-03-29T01:00:00Z',
        '2026-03-30T01:00:00Z',
      ]);
      expect(ticks('0 1 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
        '2026-03-29T00:00:00Z',
        '2026-03-29T23:00:00Z',
      ]);
    });

    it('keeps an hourly schedule hourly in real time: 23 ticks on the 23-hour day', () => {
      const day = ticks('0 * * * *', 'Europe/Berlin', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z');
      expect(day).toEqual(every(60, '2026-03-29T00:00:00Z', '2026-03-29T22:00:00Z'));
      expect(day).toHaveLength(23);
    });

    it('keeps a per-second schedule ticking through the change', () => {
      const seconds = ticks('* * * * * *', 'Europe/Berlin', '2026-03-29T00:59:50Z', '2026-03-29T01:00:10Z');
      expect(seconds).toHaveLength(20);
      expect([seconds[0], seconds[19]]).toEqual(['2026-03-29T00:59:51Z', '2026-03-29T01:00:10Z']);
    });
  });

  describe('on the fall-back day (Europe/Berlin)', () => {
    it('fires a repeated time of day once, on its first pass', () => {
      expect(ticks('30 2 * * *', 'Europe/Berlin', '2026-10-23T12:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
        '2026-10-24T00:30:00Z',
        '2026-10-25T00:30:00Z',
        '2026-10-26T01:30:00Z',
      ]);
      expect(ticks('*/30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z')).toEqual([
        '2026-10-25T00:00:00Z',
        '2026-10-25T00:30:00Z',
      ]);
    });

    it('keeps hourly and quarter-hourly schedules regular in real time through the repeated hour', () => {
      const day = ticks('0 * * * *', 'Europe/Berlin', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z');
      expect(day).toEqual(every(60, '2026-10-24T23:00:00Z', '2026-10-25T23:00:00Z'));
      expect(day).toHaveLength(25);
      expect(ticks('*/15 * * * *', 'Europe/Berlin', '2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z')).toEqual(
        every(15, '2026-10-25T00:15:00Z', '2026-10-25T02:00:00Z'),
      );
    });

    it('keeps a per-second schedule ticking through the change', () => {
      const seconds = ticks('* * * * * *', 'Europe/Berlin', '2026-10-25T00:59:50Z', '2026-10-25T01:00:10Z');
      // 20 distinct whole seconds in (00:59:50, 01:00:10]: every one of them.
      expect(seconds).toHaveLength(20);
      expect([seconds[0], seconds[19]]).toEqual(['2026-10-25T00:59:51Z', '2026-10-25T01:00:10Z']);
    });
  });

  it('handles other zones: New York falls back at 06:00Z, Lord Howe by 30 minutes', () => {
    expect(ticks('0 * * * *', 'America/New_York', '2026-11-01T03:30:00Z', '2026-11-01T08:00:00Z')).toEqual(
      every(60, '2026-11-01T04:00:00Z', '2026-11-01T08:00:00Z'),
    );
    expect(ticks('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z')).toEqual([
      '2026-11-01T05:30:00Z',
      '2026-11-02T06:30:00Z',
    ]);
    expect(
      ticks('*/15 * * * *', 'Australia/Lord_Howe', '2026-04-04T14:00:00Z', '2026-04-04T16:00:00Z'),
    ).toEqual(every(15, '2026-04-04T14:15:00Z', '2026-04-04T16:00:00Z'));
  });

  it('gives the same ticks however the time is cut into windows', () => {
    const schedules = [
      '0 * * * *',
      '30 2 * * *',
      '0 2 * * *',
      '*/15 * * * *',
      '*/30 2 * * *',
      '0 0 * * MON',
      '*/7 * * * * *',
    ];
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'];
    // Windows around the 2026 changes of those zones, where cutting matters most.
    const around = [
      at('2026-03-29T01:00:00Z'),
      at('2026-10-25T01:00:00Z'),
      at('2026-11-01T06:00:00Z'),
      at('2026-04-04T15:00:00Z'),
    ];
    const hours = 3_600_000;
    fc.assert(
      fc.property(
        fc.constantFrom(...schedules),
        fc.constantFrom(...zones),
        fc.constantFrom(...around),
        fc.array(fc.integer({ min: 0, max: 5 * hours }), { minLength: 1, maxLength: 6 }),
        (schedule, timezone, center, lengths) => {
          const timing: CronTiming = { schedule, timezone };
          const start = center - 3 * hours;
          const cuts = [start];
          for (const length of lengths) cuts.push(cuts[cuts.length - 1] + length);
          const whole = cronTicks(timing, start, cuts[cuts.length - 1], 100_000);
          const pieces = cuts.slice(1).flatMap((end, i) => {
            const piece = cronTicks(timing, cuts[i], end, 100_000);
            return piece.ok ? piece.ticks : [];
          });
          expect(whole.ok && whole.ticks).toEqual(pieces);
        },
      ),
      { numRuns: 60 },
    );
  });

  describe('checkCronTiming', () => {
    it('accepts 5- and 6-field schedules and nicknames in IANA zones', () => {
      expect(checkCronTiming({ schedule: '0 2 * * *', timezone: 'Europe/Berlin' })).toBeUndefined();
      expect(checkCronTiming({ schedule: '*/10 * * * * *', timezone: 'UTC' })).toBeUndefined();
      expect(checkCronTiming({ schedule: '@hourly', timezone: 'Asia/Tokyo' })).toBeUndefined();
    });

    it('says what is wrong', () => {
      expect(checkCronTiming({ schedule: '0 2 * *', timezone: 'UTC' })).toMatch(/has 4 fields; write 5/);
      expect(checkCronTiming({ schedule: '2026-01-01T00:00:00', timezone: 'UTC' })).toMatch(/has 1 field;/);
      expect(checkCronTiming({ schedule: '61 * * * *', timezone: 'UTC' })).toMatch(/minute/);
      expect(checkCronTiming({ schedule: '0 2 * * *', timezone: 'Mars/Olympus' })).toMatch(
        /not an IANA time zone/,
      );
      expect(cronTicks({ schedule: '0 2 * * *', timezone: 'Mars/Olympus' }, 0, 1)).toEqual({
        ok: false,
        message: expect.stringMatching(/Mars\/Olympus/),
      });
    });
  });
});
