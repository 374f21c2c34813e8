import { Topics } from '@baton/contracts';
import { hashSecretSync, type AuthConfig } from '@baton/auth';
import { LoopbackIdp } from '@baton/auth/testing/loopback-idp';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

// PGlite and scrypt: seconds on a busy machine.
jest.setTimeout(90_000);

const ADMIN = 'spec-admin-token-0123456789';
const FLOW = 'id: sales.daily\nsteps:\n  - { id: only, type: noop }\n';
const OTHER = 'id: ops.backup\nsteps:\n  - { id: only, type: noop }\n';

describe('authentication and authorization of the API', () => {
  let sut: ApiTestApp;
  let idp: LoopbackIdp;

  const call = async (
    method: string,
    path: string,
    token?: string,
    json?: unknown,
    type = 'application/json',
  ) => {
    const response = await fetch(`${sut.base}${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(method === 'GET' ? {} : { 'content-type': type }),
      },
      body: method === 'GET' ? undefined : typeof json === 'string' ? json : JSON.stringify(json ?? {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
  const token = async (role: string, scopes?: string[], name = role) => {
    const created = await call('POST', '/api/v1/tokens', ADMIN, {
      name,
      role,
      ...(scopes ? { scopes } : {}),
    });
    expect(created.status).toBe(201);
    return created.body as { token: string; tokenId: string };
  };

  beforeAll(async () => {
    idp = await LoopbackIdp.start();
    const auth: AuthConfig = {
      enabled: true,
      adminTokenHash: hashSecretSync(ADMIN),
      oidc: {
        issuer: idp.issuer,
        audience: idp.audience,
        jwksUrl: idp.jwksUrl,
        roleClaim: 'roles',
        roleMap: {},
        scopeClaim: null,
      },
      mutationsPerMinute: 600,
    };
    sut = await startApiTestApp(auth);
    expect((await call('POST', '/api/v1/workflows', ADMIN, FLOW, 'application/yaml')).status).toBe(201);
    expect((await call('POST', '/api/v1/workflows', ADMIN, OTHER, 'application/yaml')).status).toBe(201);
  });
  afterAll(async () => {
    await sut.close();
    await idp.stop();
  });

  it('answers 401 with WWW-Authenticate without a token, or with a wrong one', async () => {
    for (const bearer of [undefined, 'wrong-token', `baton_0123456789ab_${'x'.repeat(43)}`]) {
      const answer = await call('GET', '/api/v1/workflows', bearer);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="baton"');
    }
  });

  it('lets a viewer read and refuses it every change (403), an operator starts but does not push', async () => {
    const viewer = await token('viewer');
    expect((await call('GET', '/api/v1/workflows', viewer.token)).status).toBe(200);
    const start = await call('POST', '/api/v1/workflows/sales.daily/runs', viewer.token, {});
    expect(start).toMatchObject({ status: 403, body: { message: expect.stringContaining('role viewer') } });

    const operator = await token('operator');
    expect(
      (await call('POST', '/api/v1/workflows/sales.daily/runs', operator.token, { requestId: 'r1' })).status,
    ).toBe(202);
    expect((await call('POST', '/api/v1/workflows', operator.token, FLOW, 'application/yaml')).status).toBe(
      403,
    );
    expect((await call('GET', '/api/v1/tokens', operator.token)).status).toBe(403);
  });

  it('tells a token who it is (GET /auth/me), so the web UI can hide what a viewer may not do', async () => {
    const viewer = await token('viewer', ['sales.'], 'dashboards');
    const me = await call('GET', '/api/v1/auth/me', viewer.token);
    expect(me).toMatchObject({
      status: 200,
      body: { subject: `token:${viewer.tokenId}`, role: 'viewer', scopes: ['sales.'] },
    });
    expect((await call('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('records who asked on the run request (the audit trail the run events carry)', async () => {
    const operator = await token('operator', undefined, 'ci');
    const started = await call('POST', '/api/v1/workflows/sales.daily/runs', operator.token, {
      requestId: 'audited',
    });
    const records = await sut.records(Topics.runRequests);
    const request = records
      .map((r) => JSON.parse(r.value!) as Record<string, unknown>)
      .find((r) => r.requestId === 'audited');
    expect(started.status).toBe(202);
    expect(request).toMatchObject({ workflowId: 'sales.daily', requestedBy: `token:${operator.tokenId}` });
    const detail = await call('GET', '/api/v1/workflows/sales.daily', ADMIN);
    expect(detail.body.versions).toEqual([expect.objectContaining({ pushedBy: 'env:BATON_ADMIN_TOKEN' })]);
  });

  it('keeps a scoped token to its workflows: 403 elsewhere, lists narrowed, global routes refused', async () => {
    const sales = await token('operator', ['sales.']);
    expect((await call('POST', '/api/v1/workflows/sales.daily/runs', sales.token, {})).status).toBe(202);
    expect((await call('POST', '/api/v1/workflows/ops.backup/runs', sales.token, {})).status).toBe(403);
    expect((await call('GET', '/api/v1/workflows/ops.backup', sales.token)).status).toBe(403);
    expect((await call('GET', '/api/v1/runs?workflowId=ops.backup', sales.token)).status).toBe(403);
    const listed = await call('GET', '/api/v1/workflows', sales.token);
    expect((listed.body as unknown as { workflowId: string }[]).map((w) => w.workflowId)).toEqual([
      'sales.daily',
    ]);
    expect((await call('POST', '/api/v1/signals', sales.token, { name: 'table.loaded' })).status).toBe(403);
    const admin = await token('admin', ['sales.']);
    expect((await call('POST', '/api/v1/workflows', admin.token, OTHER, 'application/yaml')).status).toBe(
      403,
    );
    expect((await call('POST', '/api/v1/tokens', admin.token, { name: 'x', role: 'viewer' })).status).toBe(
      403,
    );
  });

  it("leaves another team's subworkflow children out of a scoped token's child-run list", async () => {
    const insert = (runId: string, workflowId: string, parent: string | null, index: number | null) =>
      sut.sql.query(
        `INSERT INTO runs (run_id, workflow_id, workflow_version, status, params, request_id, created_at, last_seq,
                           updated_at, parent_run_id, parent_step_id, parent_attempt, parent_index, depth)
         VALUES ($1, $2, 1, 'running', '{}'::jsonb, $1, now(), 1, now(), $3, $4, $5, $6, $7)`,
        [runId, workflowId, parent, parent && 'call', parent && 1, index, parent === null ? 0 : 1],
      );
    await insert('scoped-parent', 'sales.daily', null, null);
    await insert('scoped-parent~call~1~0', 'sales.child', 'scoped-parent', 0);
    await insert('scoped-parent~call~1~1', 'ops.backup', 'scoped-parent', 1);
    const children = async (bearer: string) =>
      (
        (await call('GET', '/api/v1/runs/scoped-parent/children', bearer)).body.items as { runId: string }[]
      ).map((child) => child.runId);

    const sales = await token('viewer', ['sales.']);
    expect(await children(sales.token)).toEqual(['scoped-parent~call~1~0']);
    expect(await children(ADMIN)).toEqual(['scoped-parent~call~1~0', 'scoped-parent~call~1~1']);
    expect((await call('GET', '/api/v1/runs/scoped-parent~call~1~1', sales.token)).status).toBe(403);
  });

  it('shows a token once, lists it without its secret, and refuses it once revoked', async () => {
    const viewer = await token('viewer', undefined, 'to-revoke');
    const listed = await call('GET', '/api/v1/tokens', ADMIN);
    expect(JSON.stringify(listed.body)).not.toContain(viewer.token.split('_')[2]);
    expect(listed.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ tokenId: viewer.tokenId, revokedAt: null })]),
    );
    expect((await call('DELETE', `/api/v1/tokens/${viewer.tokenId}`, ADMIN)).status).toBe(200);
    expect((await call('GET', '/api/v1/workflows', viewer.token)).status).toBe(401);
    expect((await call('DELETE', `/api/v1/tokens/${viewer.tokenId}`, ADMIN)).status).toBe(404);
  });

  it('accepts a JWT of the identity provider, with the role its claim names', async () => {
    const jwt = await idp.sign({ sub: 'ana', roles: ['operator'] });
    expect(
      (await call('POST', '/api/v1/workflows/sales.daily/runs', jwt, { requestId: 'jwt-1' })).status,
    ).toBe(202);
    expect((await call('POST', '/api/v1/workflows', jwt, FLOW, 'application/yaml')).status).toBe(403);
    const foreign = await idp.sign({ sub: 'ana', roles: ['admin'] }, { stranger: true });
    expect((await call('GET', '/api/v1/workflows', foreign)).status).toBe(401);
  });

  it('limits mutating requests per token with 429 and Retry-After, and never reads', async () => {
    const busy = await token('operator', undefined, 'busy');
    const answers: number[] = [];
    for (let i = 0; i < 102; i++) {
      answers.push((await call('POST', '/api/v1/workflows/sales.daily/runs', busy.token, {})).status);
    }
    // 600 a minute: bursts of 100, and the spec's clock stands still.
    expect(answers).toEqual([...Array(100).fill(202), 429, 429]);
    const refused = await call('POST', '/api/v1/workflows/sales.daily/runs', busy.token, {});
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await call('GET', '/api/v1/runs', busy.token)).status).toBe(200);
    expect((await call('POST', '/api/v1/workflows/sales.daily/runs', ADMIN, {})).status).toBe(202);
    sut.clock.nowMs += 1_000;
    expect((await call('POST', '/api/v1/workflows/sales.daily/runs', busy.token, {})).status).toBe(202);
  });

  it('refuses cross-site-postable requests (415) before authentication, sends security headers, no CORS', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=b',
    ]) {
      expect((await call('POST', '/api/v1/workflows/sales.daily/runs', ADMIN, {}, type)).status).toBe(415);
    }
    const response = await fetch(`${sut.base}/api/v1/workflows`, {
      headers: { authorization: `Bearer ${ADMIN}`, origin: 'https://evil.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
