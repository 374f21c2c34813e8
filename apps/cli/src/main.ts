import { readFileSync } from 'node:fs';
import { runCli } from './cli';

/**
 * The `baton` executable. Ctrl-C while `start --wait` follows a run stops
 * the waiting (the run goes on); a second Ctrl-C exits at once.
 */
async function main(): Promise<void> {
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

void main();
