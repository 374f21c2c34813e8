import { Module } from '@nestjs/common';
import { RunProjectorService } from './projector.service';
import { projectorProviders } from './projector-providers';
import { WorkflowQueueProjectorModule } from './workflow-queue/workflow-queue-projector.module';

/** The run projector of a Baton process, with the workflow-queue projector beside it. */
@Module({
  imports: [WorkflowQueueProjectorModule],
  providers: projectorProviders(RunProjectorService, 'Projector'),
  exports: [RunProjectorService],
})
export class ProjectorModule {}
