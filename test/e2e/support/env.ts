import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '@baton/platform/free-port';

export { freePort };

/**
 * The admin token every process of the suites accepts (BATON_ADMIN_TOKEN,
 * set by `BatonProcess`), and that `BatonApi` sends unless told otherwise.
 */
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

/** `Authorization` for a call of the API as the suites' admin (or as `token`). */
export function authHeader(token: string = E2E_ADMIN_TOKEN): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** A fresh directory under the OS temp dir; `remove()` deletes it (suites keep it when a test failed). */
export function tempDir(prefix: string): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `baton-e2e-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A tag unique to this test run, for workflow ids and request ids: Kafka
 * topics outlive a suite (the broker is shared), so nothing a suite names may
 * collide with what an earlier suite or run left there.
 */
export const RUN_TAG = `${Date.now().toString(36)}${process.pid.toString(36)}`;

/** `e2e.<suite>.<name>.<tag>`: a valid workflow id unique to this test run. */
export function uniqueWorkflowId(suite: string, name: string): string {
  return `e2e.${suite}.${name}.${RUN_TAG}`;
}

/** Mulberry32: a small seeded PRNG, so a crash schedule can be replayed from its printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of `items` (Fisher-Yates) drawn from a seeded `random`. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Seconds with one decimal, for summary lines. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
