import { resolve } from 'node:path';

/** Settings of the all-in-one process, read once from the environment (documented in the README). */
export interface BatonConfig {
  readonly port: number;
  readonly dataDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BatonConfig {
  const port = Number(env.BATON_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`BATON_PORT must be a TCP port number (0-65535), got '${env.BATON_PORT}'`);
  }
  return { port, dataDir: resolve(env.BATON_DATA_DIR ?? '.baton') };
}
