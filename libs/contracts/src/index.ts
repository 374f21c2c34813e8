export { Topics, stepTasksTopic, coreTopics, type TopicDeclaration, type TopicLayout } from './topics';
export { runIdFor, type RunRequest } from './run-request';
export { RunRequestDto } from './run-request.dto';
export {
  CLOUDEVENTS_CONTENT_TYPE,
  STATUS_EVENT_DATA_SCHEMA,
  type RunStatusName,
  type StatusCloudEvent,
  type StatusEventData,
  type StepStatusName,
} from './status-event';
export { statusChangeOf, statusCloudEvent } from './status-event-mapping';
export { deadLetterRecord, type DeadLetter, type DeadLetterRecord, type RefusedRecord } from './dead-letter';
export { decodeMessage, MAX_MESSAGE_NESTING, nestingRefusal, type Decoded } from './validate-message';
export type { StepCancellation, StepLogs, StepStartGranted } from './step-messages';
export {
  SECRET_MASK,
  SecretSealer,
  maskSecretParams,
  maskSecretTokens,
  sealSecretParams,
  type SealedParams,
} from './secret-sealer';
export { JsonBounds, MAX_RUN_PARAMS_BYTES, MAX_RUN_PARAMS_DEPTH } from './json-bounds.validator';
export { CommandMetadataDto, MAX_COMMAND_ID_LENGTH, MAX_ID_LENGTH } from './command-metadata.dto';
export { StepCancellationDto, StepLogsDto, StepStartGrantedDto } from './step-messages.dto';
export { DeadLetterDto } from './dead-letter.dto';
export { StatusCloudEventDto } from './status-event.dto';
export {
  STEP_TASK_SCHEMA_VERSION,
  failed,
  succeeded,
  type ErrorKind,
  type HandlerSpec,
  type HandlerTask,
  type HttpMethod,
  type HttpSpec,
  type HttpTask,
  type LogTail,
  type NoopSpec,
  type NoopTask,
  type ShellSpec,
  type ShellTask,
  type StepFailed,
  type StepOutcome,
  type StepSucceeded,
  type StepTask,
  type StepTaskOf,
  type StepTaskType,
  type StreamTail,
} from './step-task';
export {
  SPEC_DTOS,
  StepTaskDto,
  decodeStepTask,
  type AttemptIdentity,
  type DecodedTask,
} from './step-task.dto';
export {
  workflowHeadKey,
  workflowVersionKey,
  type WorkflowCatalogRecord,
  type WorkflowHeadRecord,
  type WorkflowVersionRecord,
} from './workflow-catalog';
