import type { SqlClient } from './sql-client';

/** The next offset to read, per partition (Kafka's committed-offset convention; strings as in kafkajs). */
export type PartitionOffsets = ReadonlyMap<number, string>;

/**
 * Consumer offsets kept in the read model, for exactly-once projection: the
 * projector upserts a batch and calls `commit` with the SAME `tx`, so the
 * data and the position move together or not at all. On partition
 * assignment it `load`s and seeks there, and never commits offsets to Kafka
 * (or commits them only for lag monitoring).
 *
 * Together with the per-run `runs.last_seq` guard this makes a replay (a
 * rebalance, a rebuild) harmless: an event at or below `last_seq` is skipped.
 *
 * @example
 *   await sql.transaction(async (tx) => {
 *     await applyEvents(tx, batch.events);
 *     await ProjectionOffsets.commit(tx, 'runs-projector', 'baton.run-events', new Map([[p, nextOffset]]));
 *   });
 */
export const ProjectionOffsets = {
  async load(sql: SqlClient, projector: string, topic: string): Promise<PartitionOffsets> {
    const rows = await sql.query<{ partition: number; next_offset: string }>(
      // ::text keeps offsets beyond 2^53 exact.
      'SELECT partition, next_offset::text AS next_offset FROM projection_offsets WHERE projector = $1 AND topic = $2',
      [projector, topic],
    );
    return new Map(rows.map((row) => [row.partition, row.next_offset]));
  },

  /** Upserts the offsets; never moves one backwards (a late, stale batch cannot rewind). */
  async commit(
    tx: SqlClient,
    projector: string,
    topic: string,
    offsets: PartitionOffsets,
    now: Date = new Date(),
  ): Promise<void> {
    for (const [partition, nextOffset] of offsets) {
      await tx.query(
        `INSERT INTO projection_offsets (projector, topic, partition, next_offset, updated_at)
         VALUES ($1, $2, $3, $4::bigint, $5)
         ON CONFLICT (projector, topic, partition) DO UPDATE
           SET next_offset = GREATEST(projection_offsets.next_offset, EXCLUDED.next_offset),
               updated_at = EXCLUDED.updated_at`,
        [projector, topic, partition, nextOffset, now],
      );
    }
  },
};
