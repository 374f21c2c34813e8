import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShellRuntime, paramEnvName } from './shell.runtime';
import type { ShellSpec, ShellTask, StepOutcome } from '@baton/contracts';

function shellTask(
  command: string[],
  overrides: Partial<Omit<ShellTask, 'spec'>> & { spec?: Partial<ShellSpec> } = {},
): ShellTask {
  const { spec, ...rest } = overrides;
  return {
    schemaVersion: 1,
    runId: 'run-1',
    workflowId: 'wf',
    workflowVersion: 3,
    stepId: 'extract',
    attempt: 2,
    pool: 'default',
    params: {},
    leaseMs: 30_000,
    type: 'shell',
    ...rest,
    spec: { command, env: {}, ...spec },
  };
}

const never = new AbortController().signal;

/** Alive = has a /proc entry that is not a zombie (PID 1 here may not reap orphans promptly). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, withinMs = 2000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isAlive(pid);
}

const spawnedPids: number[] = [];
function backgroundPid(outcome: StepOutcome): number {
  const pid = Number(outcome.logs.stdout.text.trim().split('\n')[0]);
  expect(pid).toBeGreaterThan(1);
  spawnedPids.push(pid);
  return pid;
}

afterAll(() => {
  // Safety net so a failing test never leaves a `sleep 1000` behind.
  for (const pid of spawnedPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('ShellRuntime', () => {
  const sut = new ShellRuntime({ killGraceMs: 500 });

  describe('environment', () => {
    it('passes params as BATON_PARAM_<NAME> variables', async () => {
      const outcome = await sut.run(
        shellTask(['sh', '-c', 'echo "$BATON_PARAM_NAME"'], { params: { name: 'world' } }),
        { signal: never },
      );

      expect(outcome.status).toBe('succeeded');
      expect(outcome.logs.stdout.text).toBe('world\n');
    });

    it('passes hostile param values verbatim and never executes them', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'baton-shell-spec-'));
      const marker = join(dir, 'pwned');
      const evil = `$(rm -rf /) $(touch ${marker}) \`touch ${marker}\`; touch ${marker} && echo "a" 'b' \\ \nline2\n`;
      try {
        const outcome = await sut.run(
          shellTask(['sh', '-c', 'printf %s "$BATON_PARAM_EVIL"'], { params: { evil } }),
          { signal: never },
        );

        expect(outcome.status).toBe('succeeded');
        expect(outcome.logs.stdout.text).toBe(evil);
        expect(existsSync(marker)).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('passes argv elements as single arguments, without a shell', async () => {
      const arg = '$(echo no); echo no | cat > /dev/null';
      const outcome = await sut.run(shellTask(['printf', '%s', arg]), { signal: never });

      expect(outcome.logs.stdout.text).toBe(arg);
    });

    it('JSON-encodes non-string params, maps names, adds spec.env and the BATON_ variables, and nothing else', async () => {
      const isolated = new ShellRuntime({
        executorEnv: { PATH: process.env.PATH, HOME: '/home/exec', AWS_SECRET_ACCESS_KEY: 'hunter2' },
      });
      const outcome = await isolated.run(
        shellTask(['env'], {
          params: { 'max-rows': 3, flags: { a: [1, 'x'] }, on: true, nothing: null, 'day.of week': 'mon' },
          spec: { env: { REGION: 'eu-west-1', BATON_RUN_ID: 'spoofed' } },
        }),
        { signal: never },
      );

      const env = Object.fromEntries(
        outcome.logs.stdout.text
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      expect(env).toEqual({
        PATH: process.env.PATH,
        HOME: '/home/exec',
        TMPDIR: expect.stringContaining('baton-step-'),
        REGION: 'eu-west-1',
        BATON_PARAM_MAX_ROWS: '3',
        BATON_PARAM_FLAGS: '{"a":[1,"x"]}',
        BATON_PARAM_ON: 'true',
        BATON_PARAM_NOTHING: 'null',
        BATON_PARAM_DAY_OF_WEEK: 'mon',
        BATON_RUN_ID: 'run-1',
        BATON_WORKFLOW_ID: 'wf',
        BATON_WORKFLOW_VERSION: '3',
        BATON_STEP_ID: 'extract',
        BATON_ATTEMPT: '2',
        BATON_OUTPUT_FILE: expect.stringMatching(/baton-step-.*\/output\.json$/),
      });
    });

    it('fails as a user error when two params map to the same variable', async () => {
      const outcome = await sut.run(shellTask(['true'], { params: { 'a-b': 1, a_b: 2 } }), { signal: never });

      expect(outcome).toMatchObject({ status: 'failed', errorKind: 'user' });
      expect(outcome.status === 'failed' && outcome.message).toContain('both map to BATON_PARAM_A_B');
    });

    it('names variables by one rule', () => {
      expect(paramEnvName('inputPath')).toBe('BATON_PARAM_INPUTPATH');
      expect(paramEnvName('input-path.v2')).toBe('BATON_PARAM_INPUT_PATH_V2');
    });
  });

  describe('outputs', () => {
    it('returns the JSON object written to BATON_OUTPUT_FILE', async () => {
      const outcome = await sut.run(
        shellTask(['sh', '-c', 'echo "{\\"rows\\": 42, \\"table\\": \\"t\\"}" > "$BATON_OUTPUT_FILE"']),
        { signal: never },
      );

      expect(outcome).toMatchObject({
        status: 'succeeded',
        result: { exitCode: 0, output: { rows: 42, table: 't' } },
      });
    });

    it('returns only the exit code when no output file was written', async () => {
      const outcome = await sut.run(shellTask(['true']), { signal: never });

      expect(outcome).toEqual({
        status: 'succeeded',
        result: { exitCode: 0 },
        logs: { stdout: { text: '', truncatedBytes: 0 }, stderr: { text: '', truncatedBytes: 0 } },
      });
    });

    it('fails as a user error when the output file is not a JSON object', async () => {
      const outcome = await sut.run(shellTask(['sh', '-c', 'echo "[1,2]" > "$BATON_OUTPUT_FILE"']), {
        signal: never,
      });

      expect(outcome).toMatchObject({
        status: 'failed',
        errorKind: 'user',
        message: expect.stringContaining('JSON object'),
      });
    });

    it('fails as a user error, with the reason, when the output file nests 2,500 deep', async () => {
      const deep = `{"a":${'['.repeat(2500)}${']'.repeat(2500)}}`;
      const outcome = await sut.run(shellTask(['sh', '-c', `printf '%s' '${deep}' > "$BATON_OUTPUT_FILE"`]), {
        signal: never,
      });

      expect(outcome).toMatchObject({
        status: 'failed',
        errorKind: 'user',
        message: expect.stringContaining('BATON_OUTPUT_FILE nests deeper than 32 levels'),
      });
    });
  });

  describe('failures', () => {
    it('reports a non-zero exit as a user error with the stderr tail', async () => {
      const outcome = await sut.run(shellTask(['sh', '-c', 'echo starting; echo "disk full" >&2; exit 3']), {
        signal: never,
      });

      expect(outcome).toMatchObject({ status: 'failed', errorKind: 'user', result: { exitCode: 3 } });
      expect(outcome.status === 'failed' && outcome.message).toBe('sh exited with code 3; stderr: disk full');
      expect(outcome.logs.stdout.text).toBe('starting\n');
    });

    it('reports a missing program as "command not found"', async () => {
      const outcome = await sut.run(shellTask(['baton-no-such-command', '--help']), { signal: never });

      expect(outcome).toMatchObject({
        status: 'failed',
        errorKind: 'user',
        message: 'command not found: baton-no-such-command',
      });
    });

    it('reports a missing working directory as a user error', async () => {
      const outcome = await sut.run(shellTask(['true'], { spec: { workingDirectory: '/no/such/dir' } }), {
        signal: never,
      });

      expect(outcome).toMatchObject({ status: 'failed', errorKind: 'user' });
    });
  });

  describe('working directory', () => {
    it('runs in a fresh temp dir that is removed after the attempt', async () => {
      const outcome = await sut.run(shellTask(['sh', '-c', 'pwd; ls -A; touch leftover']), { signal: never });

      const cwd = outcome.logs.stdout.text.trim();
      expect(cwd).toMatch(/baton-step-/);
      expect(existsSync(cwd)).toBe(false);
    });

    it('runs in the given working directory', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'baton-shell-spec-'));
      try {
        const outcome = await sut.run(shellTask(['pwd'], { spec: { workingDirectory: dir } }), {
          signal: never,
        });

        expect(outcome.logs.stdout.text.trim()).toBe(dir);
        expect(existsSync(dir)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('stopping', () => {
    it('kills the whole process group on timeout, leaving no orphan', async () => {
      const outcome = await sut.run(
        shellTask(['sh', '-c', 'sleep 1000 & echo $!; wait'], { timeoutMs: 300 }),
        {
          signal: never,
        },
      );

      expect(outcome).toMatchObject({
        status: 'failed',
        errorKind: 'timeout',
        message: 'step timed out after 300 ms',
      });
      expect(await waitUntilGone(backgroundPid(outcome))).toBe(true);
    });

    it('escalates to SIGKILL after the grace period when SIGTERM is ignored', async () => {
      const started = Date.now();
      const outcome = await sut.run(
        shellTask(['sh', '-c', 'trap "" TERM; sleep 1000 & echo $!; wait; wait'], { timeoutMs: 200 }),
        { signal: never },
      );

      expect(outcome).toMatchObject({ status: 'failed', errorKind: 'timeout' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(200 + 500 - 50);
      expect(await waitUntilGone(backgroundPid(outcome))).toBe(true);
    });

    it('cancels through the abort signal, leaving no orphan', async () => {
      const controller = new AbortController();
      const logs: string[] = [];
      const running = sut.run(shellTask(['sh', '-c', 'sleep 1000 & echo $!; wait']), {
        signal: controller.signal,
        onLog: (_stream, chunk) => {
          logs.push(chunk);
          controller.abort();
        },
      });

      const outcome = await running;

      expect(outcome).toMatchObject({ status: 'failed', errorKind: 'cancelled', message: 'step cancelled' });
      expect(logs.join('')).toBe(outcome.logs.stdout.text);
      expect(await waitUntilGone(backgroundPid(outcome))).toBe(true);
    });

    it('kills background jobs left behind when the command exits', async () => {
      const started = Date.now();
      const outcome = await sut.run(shellTask(['sh', '-c', 'sleep 1000 & echo $!']), { signal: never });

      expect(outcome.status).toBe('succeeded');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await waitUntilGone(backgroundPid(outcome))).toBe(true);
    });

    it('does not start anything when already cancelled', async () => {
      const controller = new AbortController();
      controller.abort();

      const outcome = await sut.run(shellTask(['sh', '-c', 'exit 1']), { signal: controller.signal });

      expect(outcome).toMatchObject({ status: 'failed', errorKind: 'cancelled' });
    });
  });

  describe('logs', () => {
    it('keeps only the last 64 KiB of a 10 MiB output', async () => {
      const tenMiB = 10 * 1024 * 1024;
      const outcome = await sut.run(
        shellTask(['sh', '-c', `head -c ${tenMiB} /dev/zero | tr '\\0' a; echo end >&2`]),
        { signal: never },
      );

      expect(outcome.status).toBe('succeeded');
      expect(outcome.logs.stdout.text.length).toBe(64 * 1024);
      expect(outcome.logs.stdout.truncatedBytes).toBe(tenMiB - 64 * 1024);
      expect(outcome.logs.stderr).toEqual({ text: 'end\n', truncatedBytes: 0 });
    });
  });
});
