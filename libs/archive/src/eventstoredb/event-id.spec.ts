import { eventIdFor } from './event-id';

describe('eventIdFor', () => {
  // Computed by the hand-written SHA-1 version this replaced: an archive written
  // before must get the same ids, or EventStoreDB's idempotent re-append breaks.
  it.each([
    ['287b603f-d7e6-81bf-9b57-a28ce28e6fae', 1, '10155c27-dd5f-5436-b72b-c6f5fd71af60'],
    ['run-1', 0, '3025f684-4a9d-5177-b57f-731c620e751f'],
    ['run-1', 42, '879e0ee0-8169-53a0-a9d8-ee51e65698da'],
    ['héllo/ü', 7, '11829a8c-4800-50e7-864e-8e080c59312c'],
  ])('gives run %s seq %i the id it always had', (runId, seq, id) => {
    expect(eventIdFor(runId, seq)).toBe(id);
  });

  it('is a version 5 UUID', () => {
    expect(eventIdFor('run-1', 3)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
