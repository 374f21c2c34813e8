import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { JsonObject, RestartMode } from '@baton/domain';

export const RESTART_MODES: readonly RestartMode[] = ['incomplete', 'beginning', 'from_step'];

/** Body of `POST /runs/{runId}/restart`. */
export class RestartRunDto {
  @ApiPropertyOptional({
    enum: RESTART_MODES,
    description:
      'incomplete: re-run every step that did not succeed, keeping the others and their outputs; ' +
      'beginning: re-run every step; from_step: re-run stepId and everything downstream of it. ' +
      'Default: from_step when stepId is given, else incomplete.',
  })
  @IsOptional()
  @IsIn(RESTART_MODES, { message: `mode must be one of ${RESTART_MODES.join(', ')}` })
  mode?: RestartMode;

  @ApiPropertyOptional({ example: 'load', description: 'The step to restart from; only with mode from_step' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  stepId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { day: '2026-01-02' },
    description: 'New values for some params; the others keep the values the run had',
  })
  @IsOptional()
  @IsObject({ message: 'params must be an object of param names to values' })
  params?: JsonObject;
}

/** Body of `POST /runs/{runId}/stop`, `/kill` (alias `/cancel`) and `/steps/{stepId}/skip`. */
export class RunActionReasonDto {
  @ApiPropertyOptional({ example: 'wrong input file', maxLength: 1000, description: 'Recorded on the run' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

/** The answer of every run action: the command is on the log; the engine decides it asynchronously. */
export class RunActionResponseDto {
  @ApiProperty()
  runId!: string;

  @ApiProperty({
    example: 'api-restart/6f1c2b1e-8a57-4f0e-9a55-0d8e6f7a9b10',
    description: 'Echoed on a CommandRejected event should the engine refuse the command',
  })
  commandId!: string;
}
