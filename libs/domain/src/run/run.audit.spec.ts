import type { RunCommand } from './run.commands';
import { decide } from './run.decide';
import { evolve } from './run.evolve';
import { initialState } from './run.state';
import { replay } from './run.replay';
import { cmd, step, workflow } from './testing/fixtures';
import { givenCommands } from './testing/given-when-then';

const definition = workflow([step('a'), step('b')]);
const by = <C extends RunCommand>(command: C, principal: string): C => ({
  ...command,
  metadata: { ...command.metadata, by: principal },
});

describe('the audit trail: who asked, on every event a command causes', () => {
  it("carries the start command's principal on RunStarted and what the start made ready", () => {
    const { events } = givenCommands().when(by(cmd.start(definition), 'token:3f9a0c1b2d4e'));
    expect(events.map((e) => [e.type, e.by])).toEqual([
      ['RunStarted', 'token:3f9a0c1b2d4e'],
      ['StepReady', 'token:3f9a0c1b2d4e'],
      ['StepReady', 'token:3f9a0c1b2d4e'],
    ]);
  });

  it('records who killed a run on RunCancelled and the cancellations, and who was refused', () => {
    const spec = givenCommands(cmd.start(definition), cmd.started('a'));
    const killed = spec.when(by(cmd.cancel('wrong params', 10), 'oidc:ana'));
    expect(killed.events.map((e) => [e.type, e.by])).toEqual([
      ['StepCancelled', 'oidc:ana'],
      ['StepCancelled', 'oidc:ana'],
      ['RunCancelled', 'oidc:ana'],
    ]);
    const again = givenCommands(cmd.start(definition), cmd.cancel('stop', 10)).when(
      by(cmd.cancel('x', 20), 'oidc:bo'),
    );
    expect(again.events).toEqual([expect.objectContaining({ type: 'CommandRejected', by: 'oidc:bo' })]);
  });

  it('writes no by for commands without a principal (platform commands, old records)', () => {
    const { events } = givenCommands(cmd.start(definition)).when(cmd.started('a'));
    expect(events.every((e) => !('by' in e))).toBe(true);
  });

  it('changes no state: a history with by replays to the state of the same history without it', () => {
    const commands = [cmd.start(definition), cmd.started('a'), cmd.cancel('stop', 10)];
    const run = (audited: boolean) => {
      let state = initialState();
      const events = [];
      for (const command of commands) {
        const written = decide(audited ? by(command, 'token:1') : command, state);
        events.push(...written);
        state = written.reduce(evolve, state);
      }
      return { state, events };
    };
    const audited = run(true);
    const plain = run(false);
    expect(audited.state).toEqual(plain.state);
    expect(replay(audited.events)).toEqual(replay(plain.events));
    expect(audited.events.map(({ by: _by, ...rest }) => rest)).toEqual(plain.events);
  });
});
