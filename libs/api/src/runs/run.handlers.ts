import type { Provider } from '@nestjs/common';
import { CommandStamp } from '../command-stamp';
import { KillRunHandler } from './commands/kill-run.handler';
import { RestartRunHandler } from './commands/restart-run.handler';
import { ResumeStepHandler } from './commands/resume-step.handler';
import { RunActionChecks } from './commands/run-action-checks';
import { SkipStepHandler } from './commands/skip-step.handler';
import { StartRunHandler } from './commands/start-run.handler';
import { StopRunHandler } from './commands/stop-run.handler';
import { GetRunHandler } from './queries/get-run.handler';
import { GetStepLogsHandler } from './queries/get-step-logs.handler';
import { ListChildRunsHandler } from './queries/list-child-runs.handler';
import { ListRunEventsHandler } from './queries/list-run-events.handler';
import { ListRunsHandler } from './queries/list-runs.handler';

/** The bus handlers behind `RunsController` and `RunActionsController`, with what they share. */
export const RUN_HANDLERS: Provider[] = [
  CommandStamp,
  RunActionChecks,
  StartRunHandler,
  RestartRunHandler,
  StopRunHandler,
  KillRunHandler,
  SkipStepHandler,
  ResumeStepHandler,
  ListRunsHandler,
  GetRunHandler,
  ListChildRunsHandler,
  ListRunEventsHandler,
  GetStepLogsHandler,
];
