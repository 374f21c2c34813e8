import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { FieldErrorDto } from '../http/error.dto';
import { PushResultDto } from '../workflows/workflows.dto';

/** Query of `POST /import/maestro`. */
export class MaestroImportQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'Also push the converted workflow as a new version (needs the admin role)',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'push must be true or false' })
  push?: 'true' | 'false';
}

/** OpenAPI schemas of the answer (documentation only; the service's types are the truth). */
export class ImportIssueDto {
  @ApiProperty({
    example: "$.workflow.steps[0].step.transition.successors['job.2']",
    description: 'JSON path in the Maestro document',
  })
  path!: string;

  @ApiProperty({
    enum: ['unmapped', 'changed'],
    description: 'unmapped: left out or replaced by a placeholder; changed: mapped with a difference',
  })
  kind!: string;

  @ApiProperty({ example: 'SEL not translated: new DateTime(...) (Java objects have no CEL equivalent)' })
  message!: string;
}

export class MaestroImportResponseDto {
  @ApiProperty({ example: 'sample-dag-wf' })
  workflowId!: string;

  @ApiProperty({
    description:
      "Whether Baton's own validation accepts the converted workflow (always, barring an importer bug)",
  })
  valid!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The Baton workflow document (snake_case, as pushed)',
  })
  definition!: Record<string, unknown>;

  @ApiProperty({ description: 'The same workflow as YAML text, headed by a comment; what ?push=true pushes' })
  source!: string;

  @ApiProperty({
    type: [ImportIssueDto],
    description: 'Every construct not mapped, or mapped with a difference',
  })
  issues!: ImportIssueDto[];

  @ApiProperty({
    type: [FieldErrorDto],
    description: "Baton's validation errors of the converted workflow (empty when valid)",
  })
  errors!: FieldErrorDto[];

  @ApiPropertyOptional({
    type: PushResultDto,
    nullable: true,
    description: 'The push, with ?push=true; null otherwise',
  })
  pushed!: PushResultDto | null;
}
