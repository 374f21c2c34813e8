import type { ApiToken } from '@baton/auth';
import { NotFoundError } from '../../http/api.errors';
import { RevokeTokenCommand } from './revoke-token.command';
import { RevokeTokenHandler } from './revoke-token.handler';

const REVOKED: ApiToken = {
  tokenId: 't-1',
  name: 'ci',
  role: 'operator',
  scopes: null,
  createdAt: 1,
  createdBy: 'admin',
  revokedAt: 2,
  revokedBy: 'admin',
};

describe('RevokeTokenHandler', () => {
  function given(live: string[]) {
    const forgotten: string[] = [];
    const sut = new RevokeTokenHandler(
      { revoke: async (tokenId) => (live.includes(tokenId) ? { ...REVOKED, tokenId } : null) },
      { forget: (key) => void forgotten.push(key) },
    );
    return { sut, forgotten };
  }

  it("revokes the token and forgets it in this process's cache at once", async () => {
    const { sut, forgotten } = given(['t-1']);
    expect(await sut.execute(new RevokeTokenCommand('t-1', 'admin'))).toEqual(REVOKED);
    expect(forgotten).toEqual(['token:t-1']);
  });

  it('answers 404 for a token that is not live, forgetting nothing', async () => {
    const { sut, forgotten } = given([]);
    await expect(sut.execute(new RevokeTokenCommand('t-9', 'admin'))).rejects.toBeInstanceOf(NotFoundError);
    expect(forgotten).toEqual([]);
  });
});
