import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Fresh temporary directories for one spec file, all removed after its last
 * test. Call at the top level of the file.
 *
 * @example
 *   const freshDir = tempDirs('baton-eventlog-');
 *   const log = await EmbeddedEventLog.open({ dir: freshDir() });
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
