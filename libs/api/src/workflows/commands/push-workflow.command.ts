import { Command } from '@nestjs/cqrs';
import type { Principal } from '@baton/auth';
import type { PushResult } from '@baton/readmodel';

/**
 * `POST /workflows`: a workflow document, exactly as sent. `contentType`
 * picks JSON or YAML (guessed when it says neither); `caller` must cover
 * the workflow id and is recorded as the pusher; `activate` makes the
 * pushed version the active one.
 */
export class PushWorkflowCommand extends Command<PushResult> {
  constructor(
    readonly source: string,
    readonly contentType: string | undefined,
    readonly caller: Principal,
    readonly activate: boolean,
  ) {
    super();
  }
}
