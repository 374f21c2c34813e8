import { parseSse } from './sse';

describe('reading a text/event-stream', () => {
  it('parses complete messages, skips comments, and keeps an unfinished one for the next chunk', () => {
    const { messages, rest } = parseSse(
      ': connected\n\nretry: 3000\n\nevent: io.baton.step.running\nid: r/4\ndata: {"a":1}\n\nid: r/5\nda',
    );
    expect(messages).toEqual([{ event: 'io.baton.step.running', id: 'r/4', data: '{"a":1}' }]);
    expect(rest).toBe('id: r/5\nda');
    expect(parseSse(`${rest}ta: {"b":2}\n\n`).messages).toEqual([{ id: 'r/5', data: '{"b":2}' }]);
  });

  it('joins multi-line data and accepts CRLF line ends', () => {
    expect(parseSse('data: one\r\ndata: two\r\n\r\n').messages).toEqual([{ data: 'one\ntwo' }]);
  });
});
