import { resolve, join } from 'node:path';
import type { Command } from 'commander';
import { repairLog, verifyLog, withLockedDir } from '@baton/eventlog';
import { EXIT, type CommandContext, type RunAction } from '../context';

/**
 * `baton log verify` / `baton log repair`: the embedded log's files, read on
 * this machine with Baton stopped (they take the directory's lock, so a
 * running Baton is never read or changed mid-write).
 */
export function registerLogCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  const log = program
    .command('log')
    .summary("check or repair the embedded event log's file (Baton stopped; no server needed)")
    .description(
      'The embedded log (events.wal in $BATON_DATA_DIR/log) cuts off a torn tail by itself and refuses to\n' +
        'start on any other damage. These commands say what is wrong and make it open again.',
    );
  const dirOption = '--dir <dir>';
  const dirHelp = 'the log directory (default: $BATON_DATA_DIR/log, else .baton/log)';
  const logDir = (dir: string | undefined): string =>
    resolve(dir ?? join(ctx.env.BATON_DATA_DIR ?? '.baton', 'log'));

  log
    .command('verify')
    .summary('read the log as a start would, changing nothing')
    .option(dirOption, dirHelp)
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 the log opens as it is, 1 it is damaged, 3 it is in use or unreadable.',
    )
    .action((options: { dir?: string; json?: boolean }) =>
      run(async () => {
        const dir = logDir(options.dir);
        const found = withLockedDir(dir, () => verifyLog(dir));
        if (options.json) ctx.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
        else if (found.ok) {
          const torn =
            found.tornTailBytes > 0
              ? `; a torn tail of ${found.tornTailBytes} bytes is cut off on start`
              : '';
          ctx.stdout.write(
            `${found.file}: ok (format ${found.formatVersion}, log ${found.logId ?? 'not yet assigned'}, ` +
              `${found.frames} frames, ${found.bytes} bytes${torn})\n`,
          );
        } else ctx.stdout.write(`${found.damage}\n`);
        return found.ok ? EXIT.ok : EXIT.failed;
      }),
    );

  log
    .command('repair')
    .summary('keep a copy of the log, then keep every frame that is still whole')
    .option(dirOption, dirHelp)
    .addHelpText(
      'after',
      `
What a damaged frame held is lost: a group whose offsets it held reads again from its previous
commit, records in it are gone. Check the read model afterwards (docs/operations.md, "Storage and repair").

Exit codes: 0 repaired (or nothing to repair), 3 it is in use or unreadable.`,
    )
    .action((options: { dir?: string }) =>
      run(async () => {
        const dir = logDir(options.dir);
        return withLockedDir(dir, () => {
          const found = verifyLog(dir);
          if (found.ok) {
            ctx.stdout.write(`${found.file}: nothing to repair\n`);
            return EXIT.ok;
          }
          const repaired = repairLog(dir, new Date(ctx.now()));
          const dropped = repaired.dropped.map(([from, to]) => `${from}-${to}`).join(', ') || 'none';
          ctx.stdout.write(
            `${repaired.file}: repaired (log ${repaired.logId}, ${repaired.framesKept} frames kept; ` +
              `bytes dropped: ${dropped}); the damaged file is kept as ${repaired.copy}\n`,
          );
          return EXIT.ok;
        });
      }),
    );
}
