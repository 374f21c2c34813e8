import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

// One Nest app over PGlite, its migrations and the admin token's scrypt: seconds on a busy machine.
jest.setTimeout(60_000);

const HELLO = `# a comment the registry keeps
id: hello
name: Hello
params:
  who:
    type: string
    default: world
steps:
  - id: greet
    type: noop
  - id: done
    type: noop
    depends_on: [greet]
`;

const HELLO_V2 = HELLO.replace('name: Hello', 'name: Hello again');

const BROKEN = `id: broken
steps:
  - id: a
    type: noop
    depends_on: [c]
  - id: b
    type: noop
    depends_on: [a, nowhere]
  - id: c
    type: noop
    depends_on: [b]
`;

// One app (and one PGlite) for the whole file.
let sut: ApiTestApp;
beforeAll(async () => {
  sut = await startApiTestApp();
});
afterAll(() => sut.close());

/** A body-less POST still says it is JSON: the API refuses what a browser could post cross-site. */
const JSON_EMPTY = { headers: { 'content-type': 'application/json' }, body: '{}' };

describe('workflow routes', () => {
  const push = (body: string, contentType = 'application/yaml', query = '') =>
    fetch(`${sut.base}/api/v1/workflows${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });

  it('creates version 1 from YAML, keeps the source as sent, and treats an identical re-push as a no-op', async () => {
    const first = await push(HELLO);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ workflowId: 'hello', version: 1, created: true, activeVersion: 1 });

    const again = await push(HELLO, 'text/yaml');
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual({ workflowId: 'hello', version: 1, created: false, activeVersion: 1 });

    const changed = await push(HELLO_V2, 'application/x-yaml', '?activate=false');
    expect(await changed.json()).toEqual({
      workflowId: 'hello',
      version: 2,
      created: true,
      activeVersion: 1,
    });

    const version = await (await fetch(`${sut.base}/api/v1/workflows/hello/versions/2`)).json();
    expect(version).toMatchObject({ workflowId: 'hello', version: 2, active: false, source: HELLO_V2 });
  });

  it('activates a pushed version by default; activate=false keeps the active one', async () => {
    const fix = (n: number) =>
      HELLO.replace('id: hello', 'id: fixed').replace('name: Hello', `name: Fix ${n}`);
    expect(await (await push(fix(1))).json()).toMatchObject({ version: 1, activeVersion: 1 });
    expect(await (await push(fix(2))).json()).toEqual({
      workflowId: 'fixed',
      version: 2,
      created: true,
      activeVersion: 2,
    });
    expect(await (await fetch(`${sut.base}/api/v1/workflows/fixed`)).json()).toMatchObject({
      activeVersion: 2,
      name: 'Fix 2',
    });
    expect(await (await push(fix(3), 'application/yaml', '?activate=false')).json()).toMatchObject({
      version: 3,
      activeVersion: 2,
    });
    // Pushing version 3's document again activates it (it is the latest, unchanged).
    expect(await (await push(fix(3), 'application/yaml', '?activate=true')).json()).toEqual({
      workflowId: 'fixed',
      version: 3,
      created: false,
      activeVersion: 3,
    });
  });

  it('documents activate in OpenAPI: an optional boolean query parameter, true by default', async () => {
    const doc = (await (await fetch(`${sut.base}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: object }[] }>>;
    };
    expect(doc.paths['/api/v1/workflows'].post.parameters).toContainEqual(
      expect.objectContaining({
        name: 'activate',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'boolean', default: true }),
      }),
    );
  });

  it('refuses an activate that is not true or false, naming it, and stores nothing', async () => {
    const doc = HELLO.replace('id: hello', 'id: never-pushed');
    for (const query of ['?activate=yes', '?activate=1', '?activate=FALSE&activate=true']) {
      const response = await push(doc, 'application/yaml', query);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('activate');
    }
    expect((await fetch(`${sut.base}/api/v1/workflows/never-pushed`)).status).toBe(404);
  });

  it('accepts JSON bodies, and refuses with 415 the types a browser could post cross-site', async () => {
    const json = { id: 'as-json', steps: [{ id: 'only', type: 'noop' }] };
    const response = await push(JSON.stringify(json), 'application/json');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ workflowId: 'as-json', version: 1 });

    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const refused = await push('id: as-text\nsteps:\n  - { id: only, type: noop }\n', type);
      expect(refused.status).toBe(415);
      expect(await refused.json()).toMatchObject({ message: expect.stringContaining('application/yaml') });
    }
    const untyped = await fetch(`${sut.base}/api/v1/workflows`, { method: 'POST', body: 'id: x' });
    expect(untyped.status).toBe(415);
    expect((await fetch(`${sut.base}/api/v1/workflows/as-text`)).status).toBe(404);
  });

  it('answers 400 with every validation error, its path and its line', async () => {
    const response = await push(BROKEN);
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      message: string;
      errors: { path: string; message: string; line?: number }[];
    };
    expect(body.message).toMatch(/error/);
    const paths = body.errors.map((e) => e.path);
    expect(paths).toContain('$.steps[1].depends_on[1]');
    expect(body.errors.find((e) => e.path === '$.steps[1].depends_on[1]')).toMatchObject({ line: 8 });
    expect(body.errors.some((e) => /cycle/i.test(e.message))).toBe(true);
    expect(body.errors.some((e) => /nowhere/.test(e.message))).toBe(true);
  });

  it('answers 400 with line and column for a YAML syntax error', async () => {
    const response = await push('id: bad\nsteps:\n  - id: a\n   type: [noop\n');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string; line: number; column: number }[] };
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.errors[0]).toMatchObject({ path: '$', line: expect.any(Number), column: expect.any(Number) });
  });

  it('answers 400 for a JSON body that is not JSON, when sent as application/json', async () => {
    const response = await push('{ "id": "x", ', 'application/json');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0].message).toMatch(/JSON syntax error/);
  });

  it('lists workflows and shows one with its active definition and versions', async () => {
    const list = (await (await fetch(`${sut.base}/api/v1/workflows`)).json()) as { workflowId: string }[];
    expect(list.map((w) => w.workflowId)).toEqual(expect.arrayContaining(['hello', 'as-json']));

    const detail = await (await fetch(`${sut.base}/api/v1/workflows/hello`)).json();
    expect(detail).toMatchObject({
      workflowId: 'hello',
      activeVersion: 1,
      latestVersion: 2,
      name: 'Hello',
      source: HELLO,
      definition: { id: 'hello', version: 1, steps: [{ id: 'greet' }, { id: 'done' }] },
      versions: [
        { version: 2, active: false },
        { version: 1, active: true },
      ],
    });
  });

  it('activates a version, and answers 404 for unknown workflows and versions', async () => {
    const activated = await fetch(`${sut.base}/api/v1/workflows/hello/versions/2/activate`, {
      method: 'POST',
      ...JSON_EMPTY,
    });
    expect(activated.status).toBe(200);
    expect(await activated.json()).toMatchObject({
      workflowId: 'hello',
      activeVersion: 2,
      name: 'Hello again',
    });

    const noVersion = await fetch(`${sut.base}/api/v1/workflows/hello/versions/9/activate`, {
      method: 'POST',
      ...JSON_EMPTY,
    });
    expect(noVersion.status).toBe(404);
    expect(await noVersion.json()).toMatchObject({ message: expect.stringContaining('no version 9') });

    const noWorkflow = await fetch(`${sut.base}/api/v1/workflows/nope`);
    expect(noWorkflow.status).toBe(404);
    expect(await noWorkflow.json()).toMatchObject({
      statusCode: 404,
      message: expect.stringContaining('nope'),
    });

    const badVersion = await fetch(`${sut.base}/api/v1/workflows/hello/versions/two`);
    expect(badVersion.status).toBe(400);
  });

  it('deactivates: run requests for the active version are refused with 409, a named version still starts', async () => {
    expect((await push(HELLO.replace('id: hello', 'id: switch-off'))).status).toBe(201);
    const post = (path: string, json?: unknown) =>
      fetch(`${sut.base}/api/v1/workflows/switch-off${path}`, {
        method: 'POST',
        ...(json === undefined
          ? { headers: { 'content-type': 'application/json' }, body: '{}' }
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
      });

    const deactivated = await post('/deactivate');
    expect(deactivated.status).toBe(200);
    expect(await deactivated.json()).toMatchObject({
      workflowId: 'switch-off',
      activeVersion: null,
      latestVersion: 1,
    });
    expect(await (await fetch(`${sut.base}/api/v1/workflows/switch-off`)).json()).toMatchObject({
      activeVersion: null,
      definition: { version: 1 },
      versions: [{ version: 1, active: false }],
    });

    const refused = await post('/runs', {});
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      message: expect.stringMatching(/switch-off.*deactivated.*activate one/),
    });
    expect((await post('/runs', { version: 1 })).status).toBe(202);

    expect((await post('/versions/1/activate')).status).toBe(200);
    expect((await post('/runs', {})).status).toBe(202);
  });

  it('answers 404 when deactivating an unknown workflow', async () => {
    const response = await fetch(`${sut.base}/api/v1/workflows/nope/deactivate`, {
      method: 'POST',
      ...JSON_EMPTY,
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      message: expect.stringContaining('"nope" does not exist'),
    });
  });
});

describe('OpenAPI and metrics', () => {
  it('serves the OpenAPI document with every route, its DTO schemas and error answers', async () => {
    const response = await fetch(`${sut.base}/api/docs-json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths).sort()).toEqual(
      expect.arrayContaining([
        '/api/v1/workflows',
        '/api/v1/workflows/{workflowId}',
        '/api/v1/workflows/{workflowId}/versions/{version}/activate',
        '/api/v1/workflows/{workflowId}/deactivate',
        '/api/v1/workflows/{workflowId}/runs',
        '/api/v1/runs',
        '/api/v1/runs/{runId}',
        '/api/v1/runs/{runId}/events',
        '/api/v1/runs/{runId}/steps/{stepId}/logs',
        '/api/v1/runs/{runId}/cancel',
        '/api/v1/runs/{runId}/kill',
        '/api/v1/runs/{runId}/stop',
        '/api/v1/runs/{runId}/restart',
        '/api/v1/runs/{runId}/steps/{stepId}/skip',
        '/api/v1/runs/{runId}/steps/{stepId}/resume',
        '/api/v1/events/stream',
      ]),
    );
    expect(Object.keys(doc.paths['/api/v1/workflows'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400']),
    );
    expect(Object.keys(doc.paths['/api/v1/workflows/{workflowId}/runs'].post.responses)).toEqual(
      expect.arrayContaining(['202', '400', '404']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'StartRunDto',
        'RestartRunDto',
        'RunActionReasonDto',
        'ErrorDto',
        'RunDetailDto',
        'PushResultDto',
      ]),
    );
    const ui = await fetch(`${sut.base}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('counts requests by route template, method and status, and times them', async () => {
    await (await fetch(`${sut.base}/api/v1/workflows/missing`)).text();
    await (await fetch(`${sut.base}/api/v1/workflows`)).text();
    const metrics = await (await fetch(`${sut.base}/metrics`)).text();
    expect(metrics).toMatch(
      /baton_api_requests_total\{[^}]*route="\/api\/v1\/workflows\/:workflowId",method="GET",status="404"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /baton_api_requests_total\{[^}]*route="\/api\/v1\/workflows",method="GET",status="200"[^}]*\}/,
    );
    expect(metrics).toMatch(
      /baton_api_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/workflows",method="GET"[^}]*\}/,
    );
  });

  it('refuses at push a subworkflow call passing a param its existing child does not declare, with the path and line', async () => {
    const child =
      'id: called-child\nparams:\n  who:\n    type: string\n    default: x\nsteps:\n  - id: a\n    type: noop\n';
    const push = (body: string) =>
      fetch(`${sut.base}/api/v1/workflows`, {
        method: 'POST',
        headers: { 'content-type': 'application/yaml' },
        body,
      });
    expect((await push(child)).status).toBe(201);
    const caller = (param: string, workflowId = 'called-child') =>
      `id: calls-child\nsteps:\n  - id: run-child\n    type: subworkflow\n    workflow_id: ${workflowId}\n    params:\n      ${param}: x\n`;
    const refused = await push(caller('whom'));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      message: 'the workflow document has 1 error in its subworkflow calls',
      errors: [
        {
          path: '$.steps[0].params.whom',
          message: expect.stringContaining(
            "workflow called-child (version 1, the active one) does not declare param 'whom'",
          ),
          line: 7,
        },
      ],
    });
    expect((await push(caller('who'))).status).toBe(201);
    // A child that does not exist yet is not checked: it may be pushed next.
    expect((await push(caller('whom', 'not-yet-pushed'))).status).toBe(201);
  });

  it('never leaks a stack trace: an unexpected failure is a bare 500', async () => {
    await sut.sql.query('ALTER TABLE workflows RENAME TO workflows_gone');
    try {
      const response = await fetch(`${sut.base}/api/v1/workflows`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
    } finally {
      await sut.sql.query('ALTER TABLE workflows_gone RENAME TO workflows');
    }
  });
});
