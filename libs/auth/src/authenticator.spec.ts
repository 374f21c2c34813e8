import { Authenticator, ENV_ADMIN_SUBJECT, VERIFIED_TOKEN_TTL_MS } from './authenticator';
import type { AuthConfig } from './auth.config';
import type { Principal } from './principal';
import { hashSecretSync } from './token-secret';

const OPERATOR: Principal = { subject: 'token:0123456789ab', role: 'operator', scopes: ['sales.'] };
const STORED = `baton_0123456789ab_${'x'.repeat(43)}`;

function setup(config: Partial<AuthConfig> = {}) {
  let now = 0;
  let lookups = 0;
  const store = {
    verify: async (text: string) => {
      lookups++;
      return text === STORED ? OPERATOR : null;
    },
  };
  const sut = new Authenticator(
    {
      enabled: true,
      adminTokenHash: hashSecretSync('the-admin-token-value'),
      oidc: null,
      mutationsPerMinute: 0,
      ...config,
    },
    store,
    null,
    () => now,
  );
  return { sut, advance: (ms: number) => (now += ms), lookups: () => lookups };
}

describe('Authenticator', () => {
  it('needs a bearer token, and says how to get one', async () => {
    const { sut } = setup();
    expect(await sut.authenticate(undefined)).toEqual({
      ok: false,
      reason: expect.stringContaining('Authorization: Bearer'),
    });
    expect(await sut.authenticate('Basic dXNlcjpwdw==')).toMatchObject({ ok: false });
    expect(await sut.authenticate('Bearer nope')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/unknown/),
    });
  });

  it('knows stored tokens and the BATON_ADMIN_TOKEN', async () => {
    const { sut } = setup();
    expect(await sut.authenticate(`Bearer ${STORED}`)).toEqual({ ok: true, principal: OPERATOR });
    expect(await sut.authenticate('bearer the-admin-token-value')).toEqual({
      ok: true,
      principal: { subject: ENV_ADMIN_SUBJECT, role: 'admin', scopes: null },
    });
  });

  it('asks the store once per token and TTL, and again after forget', async () => {
    const { sut, advance, lookups } = setup();
    await sut.authenticate(`Bearer ${STORED}`);
    await sut.authenticate(`Bearer ${STORED}`);
    expect(lookups()).toBe(1);
    advance(VERIFIED_TOKEN_TTL_MS + 1);
    await sut.authenticate(`Bearer ${STORED}`);
    expect(lookups()).toBe(2);
    sut.forget(OPERATOR.subject);
    await sut.authenticate(`Bearer ${STORED}`);
    expect(lookups()).toBe(3);
  });

  it('lets everything in as anonymous admin only when auth is off', async () => {
    const { sut } = setup({ enabled: false });
    expect(await sut.authenticate(undefined)).toEqual({
      ok: true,
      principal: { subject: 'anonymous', role: 'admin', scopes: null },
    });
  });
});
