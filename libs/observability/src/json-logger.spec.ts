import { Writable } from 'node:stream';
import { JsonLogger } from './json-logger';

function capture(): { sut: JsonLogger; lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  const sut = JsonLogger.create({ service: 'test' }, 'info', {
    write: (line: string) => void written.push(line),
  });
  return { sut, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('JsonLogger', () => {
  it("logs an error (as Nest's ExceptionHandler hands a failed start over) with its message, type, stack and causes", () => {
    const { sut, lines } = capture();
    const cause = Object.assign(new Error('read 4096 bytes: EIO'), { code: 'EIO' });
    const error = new Error('could not open the read model', { cause });
    error.name = 'StartupError';

    sut.error(error, undefined, 'ExceptionHandler');

    const [line] = lines();
    expect(line).toMatchObject({
      level: 50,
      context: 'ExceptionHandler',
      msg: 'could not open the read model',
    });
    expect(line.err).toMatchObject({
      type: 'Error',
      message: 'could not open the read model: read 4096 bytes: EIO',
      stack: expect.stringContaining('caused by: Error: read 4096 bytes: EIO'),
    });
    expect(JSON.stringify(line)).not.toContain('"msg":"{}"');
  });

  it('keeps plain messages and objects as they were', () => {
    const { sut, lines } = capture();
    sut.log('started', 'Bootstrap');
    sut.warn({ partition: 3 }, 'Engine');
    expect(lines()).toMatchObject([
      { level: 30, msg: 'started', context: 'Bootstrap' },
      { level: 40, msg: '{"partition":3}', context: 'Engine' },
    ]);
    expect(lines()[0]).not.toHaveProperty('err');
  });

  it('writes `{ msg, ...fields }` as the message and structured fields, not as JSON inside the message', () => {
    const { sut, lines } = capture();
    sut.log({ msg: 'first start: created an admin API token', tokenId: '3f9a0c1b2d4e' }, 'Auth');
    expect(lines()).toMatchObject([
      { level: 30, msg: 'first start: created an admin API token', tokenId: '3f9a0c1b2d4e', context: 'Auth' },
    ]);
  });
});

describe('JsonLogger formats', () => {
  it('pretty: one readable line per record, level, context and fields, no JSON', async () => {
    const written: string[] = [];
    const out = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        written.push(chunk.toString());
        done();
      },
    });
    const sut = JsonLogger.create({ service: 'test' }, 'info', out, 'pretty');

    sut.log({ msg: 'run started', runId: 'r-1' }, 'Engine');
    await new Promise((resolve) => setImmediate(resolve));

    const text = written.join('');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: run started\n/);
    expect(text).toContain('context: "Engine"');
    expect(text).toContain('runId: "r-1"');
    expect(text).not.toContain('"level"');
    expect(text).not.toContain('pid');
  });
});
