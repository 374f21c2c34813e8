import type { NewApiToken } from '@baton/auth';
import { CreateTokenCommand } from './create-token.command';
import { CreateTokenHandler } from './create-token.handler';

describe('CreateTokenHandler', () => {
  const asked: NewApiToken[] = [];
  const sut = new CreateTokenHandler({
    create: async (request) => {
      asked.push(request);
      const record = { ...request, tokenId: 't-1', createdAt: 1, revokedAt: null, revokedBy: null };
      return { token: 'baton_t-1.secret', record };
    },
  });

  it('answers the record with the token text, recording the creating admin', async () => {
    const answer = await sut.execute(
      new CreateTokenCommand({ name: 'ci', role: 'operator', scopes: ['sales.'] }, 'admin'),
    );
    expect(answer).toEqual({
      tokenId: 't-1',
      name: 'ci',
      role: 'operator',
      scopes: ['sales.'],
      createdAt: 1,
      createdBy: 'admin',
      revokedAt: null,
      revokedBy: null,
      token: 'baton_t-1.secret',
    });
  });

  it('stores no scopes, or an empty list, as every workflow (null)', async () => {
    await sut.execute(new CreateTokenCommand({ name: 'a', role: 'viewer' }, 'admin'));
    await sut.execute(new CreateTokenCommand({ name: 'b', role: 'viewer', scopes: [] }, 'admin'));
    expect(asked.slice(-2).map((request) => request.scopes)).toEqual([null, null]);
  });
});
