import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from './cli';
import { exitQuietlyOnBrokenPipe } from './broken-pipe';

/**
 * The `baton` executable. Ctrl-C while `start --wait` follows a run stops
 * the waiting (the run goes on); a second Ctrl-C exits at once.
 */
async function main(): Promise<void> {
  exitQuietlyOnBrokenPipe(process);
  const interrupt = new AbortController();
  process.once('SIGINT', () => {
    interrupt.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: interrupt.signal,
    version: packageVersion(),
    readTextFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
  });
  process.exitCode = code;
}

/** Baton's version from its package.json, found upwards from here (src/ under jest, dist/ when built). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'baton' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

void main();
