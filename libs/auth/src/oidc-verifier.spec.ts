import { OidcVerifier } from './oidc-verifier';
import { LoopbackIdp } from './testing/loopback-idp';

describe('OidcVerifier against a JWKS served on loopback', () => {
  let idp: LoopbackIdp;
  let sut: OidcVerifier;

  beforeAll(async () => {
    idp = await LoopbackIdp.start();
    sut = new OidcVerifier({
      issuer: idp.issuer,
      audience: idp.audience,
      jwksUrl: idp.jwksUrl,
      roleClaim: 'groups',
      roleMap: { 'baton-admins': 'admin', 'data-team': 'operator' },
      scopeClaim: 'baton_scopes',
    });
  });
  afterAll(() => idp.stop());

  it('maps the role claim to a role (the strongest of several) and the scope claim to prefixes', async () => {
    const jwt = await idp.sign({ sub: 'ana', groups: ['everyone', 'data-team'], baton_scopes: ['sales.'] });
    expect(await sut.verify(jwt)).toEqual({
      ok: true,
      principal: { subject: 'oidc:ana', role: 'operator', scopes: ['sales.'] },
    });
    const admin = await idp.sign({ sub: 'bo', groups: ['data-team', 'baton-admins'] });
    expect(await sut.verify(admin)).toEqual({
      ok: true,
      principal: { subject: 'oidc:bo', role: 'admin', scopes: null },
    });
    const named = await idp.sign({ sub: 'cy', groups: 'viewer' });
    expect(await sut.verify(named)).toMatchObject({ ok: true, principal: { role: 'viewer' } });
  });

  it('refuses a token for another audience, an expired one, one signed by another key, one without a role', async () => {
    const refusals = [
      [await idp.sign({ sub: 'a', groups: 'admin' }, { audience: 'other' }), /aud claim/],
      [
        await idp.sign({ sub: 'a', groups: 'admin' }, { expiresAt: Math.floor(Date.now() / 1000) - 120 }),
        /expired/,
      ],
      [await idp.sign({ sub: 'a', groups: 'admin' }, { stranger: true }), /signature|key/],
      [await idp.sign({ sub: 'a', groups: ['everyone'] }), /maps to no Baton role/],
    ] as const;
    for (const [jwt, reason] of refusals) {
      const result = await sut.verify(jwt);
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.reason).toMatch(reason);
    }
  });
});
