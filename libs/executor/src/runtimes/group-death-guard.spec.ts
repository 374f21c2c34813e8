import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { guardProcessGroup } from './group-death-guard';

/** Alive = has a /proc entry that is not a zombie. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function gone(pid: number, withinMs = 5000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isAlive(pid);
}

const leftovers: number[] = [];
afterAll(() => {
  for (const pid of leftovers) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** `sh -c 'sleep 300 & ...'`: a group whose leader and its background `sleep` are two processes. */
function spawnGroup(): Promise<{ leader: number; sleeper: number }> {
  const child = spawn('/bin/sh', ['-c', 'sleep 300 & echo $!; wait'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.unref();
  return new Promise((resolve) =>
    child.stdout.once('data', (chunk: Buffer) => {
      leftovers.push(child.pid!);
      resolve({ leader: child.pid!, sleeper: Number(chunk.toString().trim()) });
    }),
  );
}

describe('guardProcessGroup', () => {
  it('kills the whole group, background jobs included, when the executor is SIGKILLed', async () => {
    // Given an "executor" process running the real guard (this file, compiled) over a step group
    const dir = mkdtempSync(join(tmpdir(), 'baton-guard-'));
    try {
      const source = readFileSync(join(__dirname, 'group-death-guard.ts'), 'utf8');
      const compiled = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(dir, 'guard.js'), compiled.outputText);
      const executorScript = `
        const { spawn } = require('node:child_process');
        const { guardProcessGroup } = require(${JSON.stringify(join(dir, 'guard.js'))});
        const step = spawn('/bin/sh', ['-c', 'sleep 300 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
        guardProcessGroup(step.pid);
        step.stdout.once('data', (d) => process.stdout.write(step.pid + ' ' + d.toString()));
        setInterval(() => undefined, 1000);
      `;
      const executor = spawn(process.execPath, ['-e', executorScript], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [leader, sleeper] = await new Promise<number[]>((resolve) =>
        executor.stdout.once('data', (chunk: Buffer) =>
          resolve(chunk.toString().trim().split(/\s+/).map(Number)),
        ),
      );
      leftovers.push(leader);
      expect(isAlive(leader) && isAlive(sleeper)).toBe(true);

      // When the executor is SIGKILLed (no handler of its own can run)
      executor.kill('SIGKILL');

      // Then the step's leader and its background sleep are gone
      expect(await gone(leader)).toBe(true);
      expect(await gone(sleeper)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('leaves the group alone once released, and the guard itself is gone', async () => {
    const { leader, sleeper } = await spawnGroup();
    const guard = guardProcessGroup(leader);
    guard.release();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isAlive(leader) && isAlive(sleeper)).toBe(true);
    process.kill(-leader, 'SIGKILL');
    expect(await gone(sleeper)).toBe(true);
  });
});
