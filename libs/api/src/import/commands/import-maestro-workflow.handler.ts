import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type MaestroImportAnswer, MaestroImportService } from '../maestro-import.service';
import { ImportMaestroWorkflowCommand } from './import-maestro-workflow.command';

/** The conversion (and a push's role check) stays in `MaestroImportService`, which pushes as `POST /workflows` does. */
@CommandHandler(ImportMaestroWorkflowCommand)
export class ImportMaestroWorkflowHandler implements ICommandHandler<ImportMaestroWorkflowCommand> {
  constructor(
    @Inject(MaestroImportService) private readonly imports: Pick<MaestroImportService, 'convert'>,
  ) {}

  execute({ source, push, caller }: ImportMaestroWorkflowCommand): Promise<MaestroImportAnswer> {
    return this.imports.convert(source, push, caller);
  }
}
