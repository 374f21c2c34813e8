import { Inject, Injectable } from '@nestjs/common';
import type { CommandMetadata } from '@baton/domain';
import { CLOCK, type Clock } from '@baton/platform';
import { ID_GENERATOR, type IdGenerator } from './ids';

/**
 * The metadata every command the API publishes carries: a fresh command id
 * (`api-<action>/<id>`, echoed on a rejection), the time it was asked, and
 * who asked (the caller's principal subject: the audit trail).
 */
@Injectable()
export class CommandStamp {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  metadata(action: string, by: string): CommandMetadata {
    return { commandId: `api-${action}/${this.ids.next()}`, at: this.clock.now(), by };
  }
}
