import { Command } from '@nestjs/cqrs';
import type { Principal } from '@baton/auth';
import type { MaestroImportAnswer } from '../maestro-import.service';

/** `POST /import/maestro`: convert a Maestro document, and with `push` also push the result as `caller`. */
export class ImportMaestroWorkflowCommand extends Command<MaestroImportAnswer> {
  constructor(
    readonly source: string,
    readonly push: boolean,
    readonly caller: Principal,
  ) {
    super();
  }
}
