import { basename } from 'node:path';
import type { RunContext, StepRuntime } from './step-runtime';
import { failed, type ShellTask, type StepOutcome } from '@baton/contracts';

/**
 * Which shell steps an executor pool agrees to run (README:
 * `BATON_SHELL_STEPS`, `BATON_SHELL_ALLOW`).
 * - `enabled: false`: none; every shell step fails as a user error naming the setting;
 * - `allowedPrograms`: `command[0]` must be one of them. A bare name (`python3`)
 *   matches a bare `command[0]` of that name (looked up on the step's PATH) or
 *   an absolute path ending in it only when the entry is that path; an absolute
 *   entry (`/usr/bin/python3`) matches exactly that path. So allowing `python3`
 *   never lets a step run `./python3` from its working directory.
 * Absent: every program (the default, as before).
 */
export interface ShellPolicy {
  readonly enabled: boolean;
  readonly allowedPrograms?: readonly string[];
}

export class ShellPolicyRuntime implements StepRuntime<'shell'> {
  readonly type = 'shell' as const;

  constructor(
    private readonly inner: StepRuntime<'shell'>,
    private readonly policy: ShellPolicy,
  ) {}

  run(task: ShellTask, ctx: RunContext): Promise<StepOutcome> {
    const refusal = shellRefusal(task.spec.command[0] ?? '', this.policy);
    return refusal === undefined ? this.inner.run(task, ctx) : Promise.resolve(failed('user', refusal));
  }
}

/** Why `program` may not run under `policy`, or undefined when it may. */
export function shellRefusal(program: string, policy: ShellPolicy): string | undefined {
  if (!policy.enabled) {
    return `shell steps are disabled on this executor pool (BATON_SHELL_STEPS=off); run the step on a pool that allows them`;
  }
  const allowed = policy.allowedPrograms;
  if (allowed === undefined) return undefined;
  const ok = allowed.some((entry) =>
    entry.includes('/') ? entry === program : !program.includes('/') && entry === program,
  );
  if (ok) return undefined;
  return `program '${basename(program)}' is not allowed on this executor pool; BATON_SHELL_ALLOW permits: ${allowed.join(', ') || 'nothing'}`;
}
