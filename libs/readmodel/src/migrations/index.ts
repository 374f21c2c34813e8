import { initialSchema } from './0001-initial';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration, in order. Add new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [initialSchema];
