import fc from 'fast-check';
import { childRunId, isChildRunId } from './run.children';

// Step ids as definitions allow them, dots included (`job.1`).
const stepId = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,20}$/);
const counter = fc.nat({ max: 1_000_000 });

describe('child run ids', () => {
  it('are recognised at any nesting depth', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.array(fc.tuple(stepId, counter, counter), { minLength: 1, maxLength: 4 }),
        (root, path) => {
          const id = path.reduce(
            (parent, [step, attempt, index]) => childRunId(parent, step, attempt, index),
            root,
          );
          expect(isChildRunId(id)).toBe(true);
        },
      ),
    );
  });

  it('are never confused with top-level run ids, which are UUIDs', () => {
    fc.assert(fc.property(fc.uuid(), (id) => expect(isChildRunId(id)).toBe(false)));
    expect(isChildRunId('p~each~1')).toBe(false);
    expect(isChildRunId('p~each~one~1')).toBe(false);
  });
});
