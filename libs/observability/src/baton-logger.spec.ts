import { Writable } from 'node:stream';
import { batonLogger } from './baton-logger';
import { JsonLogger } from './json-logger';

describe('batonLogger', () => {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
      done();
    },
  });
  const sut = batonLogger('Engine', JsonLogger.create({ service: 'test' }, 'debug', out, 'json'));

  beforeEach(() => lines.splice(0));

  it('writes a constant message with its fields, under its context', async () => {
    sut.info('owns partition', { partition: 3, runs: 12 });
    await flushed();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'owns partition',
        context: 'Engine',
        partition: 3,
        runs: 12,
      }),
    ]);
  });

  it('forRun adds runId (and stepId) to every line; child adds any fields; they compose', async () => {
    const run = sut.forRun('r-1');
    run.warn('report refused', { reason: 'stale attempt' });
    run.child({ attempt: 2 }).debug('timer armed');
    sut.forRun('r-2', 'extract').info('step ready');
    await flushed();
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'report refused', runId: 'r-1', reason: 'stale attempt' }),
      expect.objectContaining({ level: 20, msg: 'timer armed', runId: 'r-1', attempt: 2 }),
      expect.objectContaining({ msg: 'step ready', runId: 'r-2', stepId: 'extract', context: 'Engine' }),
    ]);
    expect(lines[0]).not.toHaveProperty('stepId');
  });

  it('logs an error with its stack under err, the message staying constant', async () => {
    sut.forRun('r-3').error('could not write due timers', { err: new Error('broker gone') });
    await flushed();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'could not write due timers',
      runId: 'r-3',
      context: 'Engine',
    });
    expect(lines[0].err).toMatchObject({
      type: 'Error',
      message: 'broker gone',
      stack: expect.stringContaining('Error'),
    });
  });
});

function flushed(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
