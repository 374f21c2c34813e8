import { Topics, type RunRequest } from '@baton/contracts';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

const DEPLOY = `id: deploy
params:
  token: { type: string, secret: true }
  region: { type: string, default: eu }
steps:
  - id: call
    type: noop
`;

jest.setTimeout(60_000);

describe('secret params at the API', () => {
  let sut: ApiTestApp;

  beforeAll(async () => {
    sut = await startApiTestApp();
    const pushed = await fetch(`${sut.base}/api/v1/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml', authorization: 'Bearer test' },
      body: DEPLOY,
    });
    expect(pushed.status).toBe(201);
  });
  afterAll(() => sut.close());

  const start = (params: Record<string, string>) =>
    fetch(`${sut.base}/api/v1/workflows/deploy/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test' },
      body: JSON.stringify({ params }),
    });

  it('publishes only the sealed value; the key opens it, the log never holds it in clear', async () => {
    expect((await start({ token: 'hunter2-api', region: 'us' })).status).toBe(202);
    const records = await sut.records(Topics.runRequests);
    expect(records.map((r) => r.value).join('\n')).not.toContain('hunter2-api');
    const request = JSON.parse(records[records.length - 1].value!) as RunRequest;
    expect(request.params).toMatchObject({ region: 'us', token: expect.stringMatching(/^baton:sealed:v1:/) });
    expect(sut.sealer.unseal(request.params!.token as string)).toBe('hunter2-api');
  });

  it('passes a reference as it is, for the executor to resolve', async () => {
    expect((await start({ token: 'env:DEPLOY_TOKEN' })).status).toBe(202);
    const records = await sut.records(Topics.runRequests);
    expect(JSON.parse(records[records.length - 1].value!)).toMatchObject({
      params: { token: 'env:DEPLOY_TOKEN' },
    });
  });
});
