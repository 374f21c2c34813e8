import type { Provider } from '@nestjs/common';
import { ActivateWorkflowVersionHandler } from './commands/activate-workflow-version.handler';
import { DeactivateWorkflowHandler } from './commands/deactivate-workflow.handler';
import { PauseWorkflowHandler } from './commands/pause-workflow.handler';
import { PushWorkflowHandler } from './commands/push-workflow.handler';
import { ResumeWorkflowHandler } from './commands/resume-workflow.handler';
import { SetWorkflowBreakpointsHandler } from './commands/set-workflow-breakpoints.handler';
import { UnblockWorkflowHandler } from './commands/unblock-workflow.handler';
import { GetWorkflowQueueHandler } from './queries/get-workflow-queue.handler';
import { GetWorkflowVersionHandler } from './queries/get-workflow-version.handler';
import { GetWorkflowHandler } from './queries/get-workflow.handler';
import { ListWorkflowsHandler } from './queries/list-workflows.handler';

/** The bus handlers behind `WorkflowsController` (over `WorkflowsService`). */
export const WORKFLOW_HANDLERS: Provider[] = [
  PushWorkflowHandler,
  ActivateWorkflowVersionHandler,
  DeactivateWorkflowHandler,
  ListWorkflowsHandler,
  GetWorkflowHandler,
  GetWorkflowVersionHandler,
];

/** The bus handlers behind `WorkflowQueueController` (over `WorkflowQueueApiService`). */
export const WORKFLOW_QUEUE_HANDLERS: Provider[] = [
  GetWorkflowQueueHandler,
  PauseWorkflowHandler,
  ResumeWorkflowHandler,
  UnblockWorkflowHandler,
  SetWorkflowBreakpointsHandler,
];
