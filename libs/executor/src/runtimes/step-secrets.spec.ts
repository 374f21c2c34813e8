import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretSealer, type ShellTask } from '@baton/contracts';
import { shellRefusal } from './shell-policy';
import { ShellRuntime } from './shell.runtime';
import { StepRuntimes } from './step-runtime';
import { StepSecrets } from './step-secrets';
import { HandlerRegistry, HandlerRuntime } from './handler.runtime';
import { HttpRuntime } from './http.runtime';
import { NoopRuntime } from './noop.runtime';

const sealer = new SecretSealer(SecretSealer.generateKey());
const filesDir = mkdtempSync(join(tmpdir(), 'baton-secret-files-'));
writeFileSync(join(filesDir, 'db.pw'), 'from-a-file\n');

function shellTask(
  command: string[],
  params: ShellTask['params'],
  env: Record<string, string> = {},
): ShellTask {
  return {
    schemaVersion: 1,
    runId: 'run-1',
    workflowId: 'wf',
    workflowVersion: 1,
    stepId: 's',
    attempt: 1,
    pool: 'default',
    params,
    leaseMs: 30_000,
    timeoutMs: 10_000,
    type: 'shell',
    spec: { command, env },
  };
}

const runtimes = (secrets: StepSecrets) =>
  new StepRuntimes(
    {
      noop: new NoopRuntime(),
      shell: new ShellRuntime(),
      http: new HttpRuntime(),
      handler: new HandlerRuntime(new HandlerRegistry()),
    },
    secrets,
  );
const signal = new AbortController().signal;

describe('secrets on the executor', () => {
  const sut = runtimes(
    new StepSecrets({ sealer, filesDir, env: { API_TOKEN: 'from-the-env', BATON_SECRETS_KEY: 'k' } }),
  );

  it('opens a sealed param into the step environment and masks it in logs, message and result', async () => {
    const token = sealer.seal('hunter2-value');
    const script =
      'echo "got $BATON_PARAM_TOKEN"; echo "{\\"echo\\":\\"$BATON_PARAM_TOKEN\\"}" > "$BATON_OUTPUT_FILE"; echo "$AUTH" >&2; exit 3';
    const outcome = await sut.run(shellTask(['sh', '-c', script], { token }, { AUTH: `Bearer ${token}` }), {
      signal,
    });
    expect(outcome).toMatchObject({ status: 'failed', errorKind: 'user' });
    expect(outcome.logs.stdout.text).toBe('got ***\n');
    expect(outcome.logs.stderr.text).toBe('Bearer ***\n');
    expect(JSON.stringify(outcome)).not.toContain('hunter2-value');
  });

  it('resolves env: and file: references, never BATON_* variables or files outside the directory', async () => {
    const ok = await sut.run(
      shellTask(['sh', '-c', 'test "$BATON_PARAM_A" = from-the-env && test "$BATON_PARAM_B" = from-a-file'], {
        a: 'baton:secret-ref:env:API_TOKEN',
        b: 'baton:secret-ref:file:db.pw',
      }),
      { signal },
    );
    expect(ok.status).toBe('succeeded');
    const key = await sut.run(shellTask(['true'], { a: 'baton:secret-ref:env:BATON_SECRETS_KEY' }), {
      signal,
    });
    expect(key).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      message: expect.stringContaining("executor's own settings"),
    });
    const outside = await sut.run(shellTask(['true'], { a: 'baton:secret-ref:file:/etc/passwd' }), {
      signal,
    });
    expect(outside).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('outside the secret files directory'),
    });
  });

  it('leaves argv alone: a command line is visible to everyone on the machine', async () => {
    const token = sealer.seal('not-on-argv');
    const outcome = await sut.run(shellTask(['echo', token], {}), { signal });
    expect(outcome.logs.stdout.text).toBe(`${token}\n`);
  });

  it('fails as a platform error when the token was sealed under another key or there is no key', async () => {
    const foreign = new SecretSealer(SecretSealer.generateKey()).seal('x');
    expect(await sut.run(shellTask(['true'], { a: foreign }), { signal })).toMatchObject({
      status: 'failed',
      errorKind: 'platform',
    });
    const keyless = runtimes(new StepSecrets({ sealer: null }));
    expect(await keyless.run(shellTask(['true'], { a: foreign }), { signal })).toMatchObject({
      status: 'failed',
      errorKind: 'platform',
      message: expect.stringContaining('no secrets key'),
    });
  });
});

describe('shell policy', () => {
  it('refuses every program when shell steps are off, and any program outside the allowlist', () => {
    expect(shellRefusal('sh', { enabled: false })).toMatch(/BATON_SHELL_STEPS=off/);
    const policy = { enabled: true, allowedPrograms: ['python3', '/usr/bin/env'] };
    expect(shellRefusal('python3', policy)).toBeUndefined();
    expect(shellRefusal('/usr/bin/env', policy)).toBeUndefined();
    expect(shellRefusal('./python3', policy)).toMatch(/not allowed/);
    expect(shellRefusal('sh', policy)).toMatch(/BATON_SHELL_ALLOW permits: python3, \/usr\/bin\/env/);
    expect(shellRefusal('anything', { enabled: true })).toBeUndefined();
  });
});
