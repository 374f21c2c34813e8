import { PassThrough } from 'node:stream';
import { exitQuietlyOnBrokenPipe } from './broken-pipe';
import { runBaton } from './testing/run-baton';

describe('baton --version', () => {
  it.each([['--version'], ['-V']])('%s prints the version, exit 0', async (flag) => {
    const sut = await runBaton([flag], {});

    expect(sut).toEqual({ code: 0, stdout: 'baton unknown\n', stderr: '' });
  });

  it('leaves `start --version N` to the start command', async () => {
    const sut = await runBaton(['start', 'x', '--version', 'two']);

    expect(sut.code).toBe(3);
    expect(sut.stderr).toContain("option '--version <n>' argument 'two' is invalid");
  });
});

describe('exitQuietlyOnBrokenPipe (baton ... | head)', () => {
  const fakeProcess = (exitCode?: number) => {
    const exits: number[] = [];
    const target = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      exitCode,
      exit: ((code?: number) => exits.push(code ?? 0)) as (code?: number) => never,
    };
    exitQuietlyOnBrokenPipe(target);
    return { target, exits };
  };
  const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

  it.each([
    ['stdout', undefined, 0],
    ['stderr', 1, 1],
  ] as const)(
    'exits at once with the code so far when %s is closed (exitCode %s)',
    (stream, code, expected) => {
      const { target, exits } = fakeProcess(code);

      target[stream].emit('error', epipe);

      expect(exits).toEqual([expected]);
    },
  );

  it('lets any other stream error through', () => {
    const { target } = fakeProcess();

    expect(() => target.stdout.emit('error', Object.assign(new Error('boom'), { code: 'EIO' }))).toThrow(
      'boom',
    );
  });
});
