import type { LogRecord } from '@baton/eventlog';
import { MAX_MESSAGE_NESTING } from '@baton/contracts';
import { decodeRunCommand } from './run-command.codec';

const record = (value: string | null): LogRecord => ({
  topic: 'baton.run-commands',
  partition: 0,
  offset: 0,
  key: 'r-1',
  value,
  headers: {},
  timestamp: 0,
});

describe('decodeRunCommand', () => {
  it('dead-letters a report whose output nests 2,500 deep, with the reason, before parsing it', () => {
    const output = `${'['.repeat(2500)}${']'.repeat(2500)}`;
    const value = `{"type":"StepReported","runId":"r-1","stepId":"a","attempt":1,"result":{"output":${output}}}`;

    expect(decodeRunCommand(record(value))).toEqual({
      ok: false,
      reason: `value nests deeper than ${MAX_MESSAGE_NESTING} levels`,
      problems: [],
    });
  });

  it('names an unknown command type', () => {
    expect(decodeRunCommand(record('{"type":"Nope"}'))).toMatchObject({
      ok: false,
      reason: 'unknown command type "Nope"',
    });
  });

  it('takes a FailStep with or without an exit code, and refuses one that is not an integer', () => {
    const fail = (extra: string) =>
      `{"type":"FailStep","runId":"r-1","stepId":"a","attempt":1,"executorId":"e","errorKind":"user","message":"x","metadata":{"commandId":"c","at":1}${extra}}`;
    expect(decodeRunCommand(record(fail('')))).toMatchObject({ ok: true });
    expect(decodeRunCommand(record(fail(',"exitCode":3')))).toMatchObject({
      ok: true,
      value: { exitCode: 3 },
    });
    expect(decodeRunCommand(record(fail(',"exitCode":"3"')))).toMatchObject({ ok: false });
  });
});
