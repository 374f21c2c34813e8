export { RunProjectorService, PROJECTOR_GROUP_ID, type ProjectorOptions } from './projector.service';
export { ProjectorModule } from './projector.module';
export { rebuildProjection, type RebuildOptions, type RebuildResult } from './rebuild-projection';
export { verifyReadModel, readRunEvents, type ReadModelDifference } from './verify-read-model';
export {
  decodeBatch,
  projectBatch,
  projectRecords,
  PROJECTED_TOPICS,
  type BatchResult,
  type DecodedBatch,
  type ProjectedRecords,
} from './project-batch';
export type { RunProjectionResult } from './run-projection';
