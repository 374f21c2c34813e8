import { loadArchiveConfig, openEventArchive } from '@baton/archive';
import { loadPlatformConfig, openDatabase } from '@baton/platform';
import { migrate } from '@baton/readmodel';
import { rebuildFromArchive } from './archive-rebuild';

/**
 * Rebuilds the read model's run tables from the event archive, with the same
 * environment as the services (`BATON_DATABASE_URL`, `BATON_ARCHIVE`, ...;
 * docs/archive.md). Stop the projectors first (and, on the embedded default,
 * the all-in-one process, which owns the data directory).
 */
async function main(): Promise<void> {
  const sql = await openDatabase(loadPlatformConfig(process.env), migrate);
  const started = Date.now();
  try {
    const archive = await openEventArchive(loadArchiveConfig(process.env), sql);
    try {
      const result = await rebuildFromArchive(archive, sql, {
        onProgress: ({ events }) => {
          if (events % 50_000 === 0) console.log(`${events} events projected`);
        },
      });
      console.log(JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000 }));
    } finally {
      await archive.close();
    }
  } finally {
    await sql.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
