import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Kills a step's process group when the executor dies, even by SIGKILL.
 *
 * A shell step leads its own process group (so a cancel can signal all of
 * it), which also means nothing ties it to the executor: without a guard a
 * `kill -9` of the executor (or of the all-in-one process) leaves the step
 * running, and once the lease expires the engine starts a second copy
 * elsewhere. A death signal on the child (`prctl(PR_SET_PDEATHSIG)`, what
 * `setpriv --pdeathsig` sets) reaches only that one process, not the
 * `sleep` a `sh -c` script started, so the guard watches the group instead.
 *
 * The guard is a `sh` in a session of its own whose stdin is a pipe from the
 * executor. The executor never writes to it; when the executor dies, the
 * kernel closes its end, `read` sees end-of-file, and the guard sends SIGKILL
 * to the whole group. Node opens its side of the pipe close-on-exec, so no
 * step inherits it and keeps it open. On a normal end the executor kills the
 * guard itself (`release`), before the group id could ever be reused.
 *
 * Cost: one `sh` (about 1 MiB, ~1 ms to start) per running shell step.
 * Window: a SIGKILL in the instant between spawning the step and spawning its
 * guard leaves that step unguarded (TASK_PROTOCOL.md, at-least-once window).
 */
export interface GroupDeathGuard {
  /** Stops guarding (the step ended; its group was or is being killed by the runtime). */
  release(): void;
}

// `$1` is the group id. The loop ignores anything written (nothing is) and ends at EOF.
const GUARD_SCRIPT = 'while read -r _; do :; done; kill -s KILL -- "-$1" 2>/dev/null';

export function guardProcessGroup(pgid: number): GroupDeathGuard {
  let guard: ChildProcess | null;
  try {
    guard = spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'baton-step-guard', String(pgid)], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  } catch {
    guard = null;
  }
  // A guard that cannot start must not fail the step: it only narrows a crash window.
  guard?.once('error', () => undefined);
  guard?.stdin?.on('error', () => undefined);
  guard?.unref();
  return {
    release: () => {
      if (guard === null) return;
      guard.kill('SIGKILL');
      guard.stdin?.destroy();
      guard = null;
    },
  };
}
