export type { Migration } from '@baton/sql';
