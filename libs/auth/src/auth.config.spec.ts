import { loadAuthConfig, parseRoleMap } from './auth.config';
import { verifySecret } from './token-secret';

describe('loadAuthConfig', () => {
  it('is on by default, with the default rate limit and no identity provider', () => {
    expect(loadAuthConfig({})).toEqual({
      enabled: true,
      adminTokenHash: null,
      oidc: null,
      mutationsPerMinute: 600,
    });
  });

  it('turns off only when BATON_AUTH says off, and refuses anything else', () => {
    expect(loadAuthConfig({ BATON_AUTH: 'off' }).enabled).toBe(false);
    expect(() => loadAuthConfig({ BATON_AUTH: 'no' })).toThrow(/BATON_AUTH must be 'on' or 'off'/);
  });

  it('keeps BATON_ADMIN_TOKEN only as a salted hash, and refuses a short one', async () => {
    const config = loadAuthConfig({ BATON_ADMIN_TOKEN: 'a-long-enough-admin-token' });
    expect(JSON.stringify(config)).not.toContain('a-long-enough-admin-token');
    expect(await verifySecret('a-long-enough-admin-token', config.adminTokenHash!)).toBe(true);
    expect(() => loadAuthConfig({ BATON_ADMIN_TOKEN: 'short' })).toThrow(/at least 16 characters/);
  });

  it('reads an identity provider from the three OIDC variables together', () => {
    const config = loadAuthConfig({
      BATON_OIDC_ISSUER: 'https://id.example.com/',
      BATON_OIDC_AUDIENCE: 'baton',
      BATON_OIDC_JWKS_URL: 'https://id.example.com/jwks.json',
      BATON_OIDC_ROLE_MAP: 'baton-admins=admin, data=operator',
      BATON_OIDC_SCOPE_CLAIM: 'baton_scopes',
    });
    expect(config.oidc).toEqual({
      issuer: 'https://id.example.com/',
      audience: 'baton',
      jwksUrl: 'https://id.example.com/jwks.json',
      roleClaim: 'roles',
      roleMap: { 'baton-admins': 'admin', data: 'operator' },
      scopeClaim: 'baton_scopes',
    });
    expect(() => loadAuthConfig({ BATON_OIDC_ISSUER: 'https://id.example.com/' })).toThrow(
      /missing BATON_OIDC_AUDIENCE, BATON_OIDC_JWKS_URL/,
    );
  });

  it('names the variable of a bad rate limit or role map', () => {
    expect(() => loadAuthConfig({ BATON_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(
      /BATON_RATE_LIMIT_PER_MINUTE/,
    );
    expect(loadAuthConfig({ BATON_RATE_LIMIT_PER_MINUTE: '0' }).mutationsPerMinute).toBe(0);
    expect(() => parseRoleMap('ops=root')).toThrow(/BATON_OIDC_ROLE_MAP entry 'ops=root'/);
  });
});
