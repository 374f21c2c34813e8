import { randomUUID } from 'node:crypto';

/** Where the API gets fresh ids (request ids, command ids, its consumer group): injected so tests can fix them. */
export interface IdGenerator {
  next(): string;
}

export const ID_GENERATOR = Symbol('IdGenerator');

export const randomIds: IdGenerator = { next: () => randomUUID() };
