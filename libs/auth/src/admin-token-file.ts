import { join } from 'node:path';

/** The all-in-one's first-start admin token, in the data directory (mode 0600); the CLI reads it from there. */
export const ADMIN_TOKEN_FILE = 'admin-token';

export function adminTokenPath(dataDir: string): string {
  return join(dataDir, ADMIN_TOKEN_FILE);
}
