import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The peers (Restate, BullMQ) live in their own package,
 * `apps/benchmarks/peers/`, so that the root `npm ci` stays lean and CI never
 * installs them: `npm ci --prefix apps/benchmarks/peers`.
 */
export function peersDir(root: string): string {
  return join(root, 'apps/benchmarks/peers');
}

/**
 * A peer's module, resolved from the peers package. The harness declares the
 * few calls it makes as its own narrow types (`T`), so that it compiles
 * without the peers installed.
 */
export function requirePeer<T>(root: string, name: string): T {
  try {
    return createRequire(join(peersDir(root), 'package.json'))(name) as T;
  } catch (error) {
    throw new Error(
      `${name} is not installed: run npm ci --prefix apps/benchmarks/peers (${(error as Error).message})`,
    );
  }
}
