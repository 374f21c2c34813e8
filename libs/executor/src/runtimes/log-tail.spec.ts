import { LogCollector, TailBuffer } from './log-tail';

describe('TailBuffer', () => {
  it('keeps everything under the limit', () => {
    const sut = new TailBuffer(10);
    sut.write(Buffer.from('abc'));
    sut.write(Buffer.from('def'));

    expect(sut.tail()).toEqual({ text: 'abcdef', truncatedBytes: 0 });
  });

  it('keeps the last bytes and counts the dropped ones', () => {
    const sut = new TailBuffer(4);
    for (const part of ['abc', 'defg', 'h', 'ijklmnop', 'q']) sut.write(Buffer.from(part));

    expect(sut.tail()).toEqual({ text: 'nopq', truncatedBytes: 13 });
  });

  it('never starts the text in the middle of a character', () => {
    const sut = new TailBuffer(4);
    sut.write(Buffer.from('aé€')); // 1 + 2 + 3 bytes; the last 4 are the second byte of é and €

    expect(sut.tail()).toEqual({ text: '€', truncatedBytes: 3 });
  });
});

describe('LogCollector', () => {
  it('forwards characters split across chunks whole', () => {
    const chunks: string[] = [];
    const sut = new LogCollector(64, (_stream, chunk) => chunks.push(chunk));
    const euro = Buffer.from('€');

    sut.write('stdout', euro.subarray(0, 1));
    sut.write('stdout', euro.subarray(1));

    expect(chunks).toEqual(['€']);
    expect(sut.logs().stdout.text).toBe('€');
  });

  it('keeps the tail when the log sink throws', () => {
    const sut = new LogCollector(64, () => {
      throw new Error('sink down');
    });

    sut.line('stderr', 'still here');

    expect(sut.logs().stderr.text).toBe('still here\n');
  });
});
