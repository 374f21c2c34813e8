/**
 * Polls `condition` until it holds, failing after `timeoutMs` with `message`
 * (and the last value, when `describe` is given). Use instead of fixed sleeps:
 * it returns as soon as the condition holds, on a fast embedded log or a slow broker alike.
 *
 * @example
 *   await waitUntil(() => seen.size === 10, { message: 'all ten records delivered' });
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string; describe?: () => string } = {},
): Promise<void> {
  const { timeoutMs = 15_000, intervalMs = 10, message = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) {
      const detail = options.describe ? `; last state: ${options.describe()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Rejects if `promise` does not settle within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
