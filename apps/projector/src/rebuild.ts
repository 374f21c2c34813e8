import { loadPlatformConfig, openDatabase, openEventLog } from '@baton/platform';
import { migrate } from '@baton/readmodel';
import { rebuildProjection } from '@baton/projector';

/**
 * Rebuilds the read model from the log: `npm run rebuild-read-model`, with the
 * same environment as the services. Stop the projectors first (and, on the
 * embedded default, the all-in-one process, which owns the data directory).
 * Workflows and their versions are kept; runs, steps, attempts, events and
 * logs are truncated and projected again from offset 0 of every partition.
 */
async function main(): Promise<void> {
  const config = loadPlatformConfig(process.env);
  const log = await openEventLog(config);
  const sql = await openDatabase(config, migrate);
  const started = Date.now();
  try {
    const result = await rebuildProjection(log, sql, {
      onProgress: ({ topic, partition, records }) =>
        console.log(`${topic}[${partition}]: ${records} records`),
    });
    console.log(JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000 }));
  } finally {
    await log.close();
    await sql.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
