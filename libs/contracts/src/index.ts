export { Topics, stepTasksTopic, coreTopics, type TopicLayout } from './topics';
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
export { deadLetterRecord, type DeadLetter } from './dead-letter';
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
export { StepCancellationDto, StepLogsDto, StepStartGrantedDto } from './step-messages.dto';
export { DeadLetterDto } from './dead-letter.dto';
export { StatusCloudEventDto } from './status-event.dto';
export {
  workflowHeadKey,
  workflowVersionKey,
  type WorkflowCatalogRecord,
  type WorkflowHeadRecord,
  type WorkflowVersionRecord,
} from './workflow-catalog';
