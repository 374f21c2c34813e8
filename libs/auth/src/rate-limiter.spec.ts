import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst of a tenth of a minute, then refuses with the seconds until the next token', () => {
    let now = 0;
    const sut = new RateLimiter(600, () => now);
    for (let i = 0; i < 100; i++) expect(sut.take('token:a').allowed).toBe(true);
    expect(sut.take('token:a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // 600 a minute is one per 100 ms.
    now += 100;
    expect(sut.take('token:a').allowed).toBe(true);
    expect(sut.take('token:a').allowed).toBe(false);
  });

  it('keeps one bucket per principal', () => {
    const sut = new RateLimiter(60, () => 0);
    for (let i = 0; i < 10; i++) sut.take('token:a');
    expect(sut.take('token:a').allowed).toBe(false);
    expect(sut.take('token:b').allowed).toBe(true);
  });

  it('says how long to wait at a slow rate, and refills to the burst size at most', () => {
    let now = 0;
    const sut = new RateLimiter(6, () => now);
    for (let i = 0; i < 10; i++) expect(sut.take('k').allowed).toBe(true);
    expect(sut.take('k')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 3_600_000;
    for (let i = 0; i < 10; i++) expect(sut.take('k').allowed).toBe(true);
    expect(sut.take('k').allowed).toBe(false);
  });
});
