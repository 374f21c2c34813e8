import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI schemas of the workflow routes' answers (documentation only; the services' types are the truth). */
export class PushResultDto {
  @ApiProperty({ example: 'sales.daily' })
  workflowId!: string;

  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({
    description: 'False when the document equals the latest version (that version is returned)',
  })
  created!: boolean;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 2,
    description:
      'The active version after the push: `version` unless pushed with activate=false (or null: ' +
      'deactivated and not activated by this push)',
  })
  activeVersion!: number | null;
}

export class WorkflowSummaryDto {
  @ApiProperty({ example: 'sales.daily' })
  workflowId!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Null while the workflow is deactivated' })
  activeVersion!: number | null;

  @ApiProperty()
  latestVersion!: number;

  @ApiProperty({ description: 'Of the active version (of the latest while deactivated)' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({ description: 'Epoch milliseconds' })
  createdAt!: number;

  @ApiProperty({ description: 'Epoch milliseconds' })
  updatedAt!: number;
}

export class WorkflowVersionRefDto {
  @ApiProperty()
  version!: number;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ description: 'Epoch milliseconds' })
  createdAt!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'token:3f9a0c1b2d4e',
    description: 'Who pushed it (the audit trail); null for versions pushed before it was recorded',
  })
  pushedBy!: string | null;
}

export class WorkflowDetailDto extends WorkflowSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "The active version's normalized definition (camelCase, durations in ms); the latest's while deactivated",
  })
  definition!: Record<string, unknown>;

  @ApiProperty({ description: 'The active (else the latest) version as it was pushed (YAML or JSON)' })
  source!: string;

  @ApiProperty({ type: [WorkflowVersionRefDto], description: 'Newest first' })
  versions!: WorkflowVersionRefDto[];
}

export class WorkflowVersionDto {
  @ApiProperty()
  workflowId!: string;

  @ApiProperty()
  version!: number;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true })
  definition!: Record<string, unknown>;

  @ApiProperty()
  source!: string;

  @ApiPropertyOptional({ description: 'Epoch milliseconds' })
  createdAt!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'token:3f9a0c1b2d4e',
    description: 'Who pushed it (the audit trail); null for versions pushed before it was recorded',
  })
  pushedBy!: string | null;
}
