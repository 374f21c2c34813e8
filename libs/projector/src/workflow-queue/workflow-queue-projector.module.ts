import { Module } from '@nestjs/common';
import { projectorProviders } from '../projector-providers';
import { WorkflowQueueProjectorService } from './workflow-queue-projector.service';

/** The workflow queue projector of a Baton process (the queue views and the workflow registry). */
@Module({
  providers: projectorProviders(WorkflowQueueProjectorService, 'WorkflowQueueProjector'),
  exports: [WorkflowQueueProjectorService],
})
export class WorkflowQueueProjectorModule {}
