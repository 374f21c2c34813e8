import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_ADMIN_TOKEN, freePort, tempDir, uniqueWorkflowId } from './support/env';
import { ProcessGroup, REPO_ROOT, type BatonProcess } from './support/processes';

// The built `baton` CLI against the real all-in-one process on the embedded
// default: the commands that follow runs (watch, logs -f, restart --wait),
// run-id prefixes, listing workflows, --version, completion, a pipe closed
// early, and the warning for a step no executor takes.

jest.setTimeout(180_000);

const CLI = join(REPO_ROOT, 'dist/apps/cli/src/main.js');

describe('the baton CLI against the all-in-one process', () => {
  const dir = tempDir('cli');
  const group = new ProcessGroup(dir.path);
  const workflowId = uniqueWorkflowId('cli', 'lines');
  const strandedId = uniqueWorkflowId('cli', 'stranded');
  let baton: BatonProcess;
  let runId: string;

  const env = () => ({
    PATH: process.env.PATH,
    BATON_URL: baton.url,
    BATON_TOKEN: E2E_ADMIN_TOKEN,
    NO_COLOR: '1',
  });
  const cli = (...args: string[]): SpawnSyncReturns<string> =>
    spawnSync(process.execPath, [CLI, ...args], { env: env(), encoding: 'utf8', timeout: 120_000 });

  beforeAll(async () => {
    baton = group.add({
      name: 'baton',
      app: 'baton',
      port: await freePort(),
      env: { BATON_DATA_DIR: join(dir.path, 'data'), BATON_EXAMPLES_DIR: '' },
    });
    await group.guard(() => baton.start());
    const flow = join(dir.path, 'lines.yaml');
    writeFileSync(
      flow,
      [
        `id: ${workflowId}`,
        'steps:',
        '  - id: count',
        '    type: shell',
        `    command: [sh, -c, 'for i in 1 2 3 4 5; do echo "line $i"; sleep 0.3; done']`,
        '',
      ].join('\n'),
    );
    const stranded = join(dir.path, 'stranded.yaml');
    writeFileSync(
      stranded,
      `id: ${strandedId}\nsteps:\n  - { id: train, type: noop, pool: nobody-serves-this }\n`,
    );
    for (const file of [flow, stranded]) expect(cli('push', file)).toMatchObject({ status: 0 });
  });

  afterAll(async () => {
    await group.stopAll();
    dir.remove();
  });

  it('prints its version', () => {
    expect(cli('--version')).toMatchObject({ status: 0, stdout: 'baton 0.1.0\n' });
  });

  it('lists workflows (baton workflows and baton workflow list)', () => {
    const listed = cli('workflows');
    expect(listed).toMatchObject({ status: 0, stderr: '' });
    expect(listed.stdout).toMatch(new RegExp(`^${workflowId.replace(/\./g, '\\.')}\\s+v1\\s+v1`, 'm'));
    const json = JSON.parse(cli('workflow', 'list', '--json').stdout) as { workflowId: string }[];
    expect(json.map((w) => w.workflowId)).toEqual(expect.arrayContaining([workflowId, strandedId]));
  });

  it('watches a run named by a short prefix of its id until it succeeds', () => {
    const started = JSON.parse(cli('start', workflowId, '--json').stdout) as { runId: string };
    runId = started.runId;

    const watched = cli('watch', runId.slice(0, 8));

    expect(watched.stderr).toBe('');
    expect(watched.status).toBe(0);
    expect(watched.stdout).toContain(`run ${runId} succeeded in `);
  });

  it('logs -f prints every line of a running step, then ends with the step', () => {
    const started = JSON.parse(cli('start', workflowId, '--json').stdout) as { runId: string };

    const followed = cli('logs', '-f', started.runId.slice(0, 10), 'count');

    expect(followed.status).toBe(0);
    expect(followed.stdout).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
  });

  it('restart --wait follows the new attempt to its end', () => {
    const restarted = cli('restart', runId.slice(0, 8), '--from-beginning', '--wait');

    expect(restarted.stderr).toBe('');
    expect(restarted.status).toBe(0);
    expect(restarted.stdout).toContain(`restarting run ${runId}, from the beginning\n`);
    expect(restarted.stdout).toContain(`run ${runId} succeeded in `);
    expect(JSON.parse(cli('get', runId, '--json').stdout)).toMatchObject({
      runAttempt: 2,
      status: 'succeeded',
    });
  });

  it('refuses an unknown prefix with exit 3', () => {
    expect(cli('get', 'ffffffffff')).toMatchObject({
      status: 3,
      stderr: 'error: no run id starts with ffffffffff (baton runs lists them)\n',
    });
  });

  it('piped into head, exits quietly (no EPIPE)', () => {
    const piped = spawnSync(
      'sh',
      [
        '-c',
        `node ${JSON.stringify(CLI)} workflow --help | head -1; node ${JSON.stringify(CLI)} completion bash | head -1`,
      ],
      {
        env: env(),
        encoding: 'utf8',
      },
    );

    expect(piped.stderr).toBe('');
    expect(piped.stdout.split('\n')[0]).toMatch(/^Usage: baton workflow/);
  });

  it('completion bash completes commands in a real bash', () => {
    const script = cli('completion', 'bash').stdout;
    const bash = spawnSync(
      'bash',
      ['-c', `${script}\nCOMP_WORDS=(baton wat); COMP_CWORD=1; _baton; echo "\${COMPREPLY[@]}"`],
      {
        encoding: 'utf8',
      },
    );

    expect(bash.stdout).toBe('watch\n');
  });

  it('warns when a step waits on a pool no executor serves, and Ctrl-C stops the waiting', async () => {
    const child = spawn(process.execPath, [CLI, 'start', strandedId, '--wait'], { env: env() });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('warning:') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    child.kill('SIGINT');

    expect(await exited).toBe(130);
    expect(stderr).toMatch(
      /warning: step train has waited \d+s for an executor of pool "nobody-serves-this" and none has taken it/,
    );
    expect(stderr).toContain('stopped waiting; run ');
  });
});
