/** The one source of "now" outside the domain (which gets time on commands). Injected so tests can drive it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
