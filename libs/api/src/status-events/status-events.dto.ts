import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Query of `GET /events/stream`: both filters are optional and combine with AND. */
export class StatusStreamQueryDto {
  @ApiPropertyOptional({ description: 'Only the events of this run' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  runId?: string;

  @ApiPropertyOptional({ description: 'Only the events of runs of this workflow' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  workflowId?: string;
}
