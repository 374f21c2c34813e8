import { hashSecretSync } from '@baton/auth';
import { stringify } from 'yaml';
import { AUTH_OFF, type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

// PGlite and scrypt: seconds on a busy machine.
jest.setTimeout(90_000);

const ADMIN = 'spec-admin-token-0123456789';
const MAESTRO = {
  properties: { owner: 'data', run_strategy: 'first_only' },
  workflow: {
    id: 'maestro.demo',
    params: { n: { value: 3, type: 'LONG' } },
    steps: [
      { step: { id: 'a', type: 'NoOp', transition: { successors: { b: 'n >= 3' } } } },
      { step: { id: 'b', type: 'Sleep', params: { sleep_seconds: { value: 5, type: 'LONG' } } } },
      { step: { id: 'c', type: 'Titus' } },
    ],
  },
};

describe('POST /api/v1/import/maestro', () => {
  let sut: ApiTestApp;
  let viewer: string;
  const post = async (body: string, token: string, query = '', type = 'application/json') => {
    const response = await fetch(`${sut.base}/api/v1/import/maestro${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sut = await startApiTestApp({ ...AUTH_OFF, enabled: true, adminTokenHash: hashSecretSync(ADMIN) });
    const created = await fetch(`${sut.base}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'viewer', role: 'viewer' }),
    });
    viewer = ((await created.json()) as { token: string }).token;
  });
  afterAll(() => sut.close());

  it('converts a YAML or JSON document for a viewer, answering the definition, its YAML and the report', async () => {
    const fromYaml = await post(stringify(MAESTRO), viewer, '', 'application/yaml');
    expect(fromYaml.status).toBe(200);
    expect(fromYaml.body).toMatchObject({
      workflowId: 'maestro.demo',
      valid: true,
      errors: [],
      pushed: null,
      definition: {
        id: 'maestro.demo',
        run_strategy: 'first_only',
        steps: [
          { id: 'a', type: 'noop', next: [{ step: 'b', if: 'params.n >= 3.0' }] },
          { id: 'b', type: 'sleep', duration: '5s' },
          { id: 'c', type: 'noop' },
        ],
      },
    });
    expect(fromYaml.body.source).toMatch(/^# Imported from the Maestro workflow/);
    expect(fromYaml.body.issues).toContainEqual({
      path: '$.workflow.steps[2].step.type',
      kind: 'unmapped',
      message: expect.stringContaining('"Titus" has no Baton runtime'),
    });
    const fromJson = await post(JSON.stringify(MAESTRO), viewer);
    expect(fromJson.body).toEqual(fromYaml.body);
    // Nothing was stored.
    const stored = await fetch(`${sut.base}/api/v1/workflows/maestro.demo`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(stored.status).toBe(404);
  });

  it('pushes with ?push=true for an admin, and refuses it to a viewer', async () => {
    expect((await post(JSON.stringify(MAESTRO), viewer, '?push=true')).status).toBe(403);
    const pushed = await post(JSON.stringify(MAESTRO), ADMIN, '?push=true');
    expect(pushed.status).toBe(200);
    expect(pushed.body.pushed).toEqual({
      workflowId: 'maestro.demo',
      version: 1,
      created: true,
      activeVersion: 1,
    });
    const stored = await fetch(`${sut.base}/api/v1/workflows/maestro.demo`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(((await stored.json()) as { source: string }).source).toBe(pushed.body.source);
  });

  it('is in the OpenAPI document with its query and answer schema', async () => {
    const doc = (await (await fetch(`${sut.base}/api/docs-json`)).json()) as {
      paths: Record<
        string,
        Record<string, { parameters: { name: string }[]; responses: Record<string, unknown> }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    const route = doc.paths['/api/v1/import/maestro'].post;
    expect(route.parameters.map((p) => p.name)).toContain('push');
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(doc.components.schemas).toHaveProperty('MaestroImportResponseDto');
  });

  it('answers 400 for what is not a Maestro workflow or a bad push value, 415 for a form', async () => {
    const dsl = await post('Workflow:\n  id: x\n  jobs: []\n', viewer, '', 'application/yaml');
    expect(dsl).toMatchObject({ status: 400, body: { message: expect.stringContaining('YAML DSL') } });
    expect((await post('{"workflow": {"id": "x"}}', viewer)).status).toBe(400);
    expect((await post(JSON.stringify(MAESTRO), viewer, '?push=yes')).status).toBe(400);
    expect((await post('a=b', viewer, '', 'application/x-www-form-urlencoded')).status).toBe(415);
  });
});
