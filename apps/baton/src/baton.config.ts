import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { stepRuntimesFromEnv } from '@baton/executor';
import { loadPlatformConfig } from '@baton/platform';
import type { AllInOneOptions } from './app.module';

/** Settings of the all-in-one process, read once from the environment (documented in the README). */
export interface BatonConfig extends AllInOneOptions {
  readonly port: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BatonConfig {
  const port = Number(env.BATON_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`BATON_PORT must be a TCP port number (0-65535), got '${env.BATON_PORT}'`);
  }
  const slots = Number(env.BATON_EXECUTOR_SLOTS ?? 8);
  if (!Number.isInteger(slots) || slots < 1) {
    throw new Error(`BATON_EXECUTOR_SLOTS must be a positive integer, got '${env.BATON_EXECUTOR_SLOTS}'`);
  }
  const leaseMs = Number(env.BATON_LEASE_MS ?? 30_000);
  if (!Number.isInteger(leaseMs) || leaseMs < 1_000) {
    throw new Error(`BATON_LEASE_MS must be at least 1000, got '${env.BATON_LEASE_MS}'`);
  }
  const examples = resolve(env.BATON_EXAMPLES_DIR ?? 'examples');
  const platform = loadPlatformConfig(env);
  // On a laptop the examples call Baton's own health check on loopback (the API binds loopback and
  // needs a token); a distributed executor refuses loopback unless told otherwise.
  const { secretFilesDir, ...runtimes } = stepRuntimesFromEnv(env, { httpAllow: ['loopback'] });
  return {
    port,
    // The all-in-one makes its secrets key on first start: a newcomer never has to.
    platform: { ...platform, secrets: { ...platform.secrets, createKeyFile: true } },
    examplesDir: env.BATON_EXAMPLES_DIR === '' || !existsSync(examples) ? null : examples,
    executorSlots: slots,
    leaseMs,
    runtimes,
    secretFilesDir,
  };
}
