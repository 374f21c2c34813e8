import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches } from 'class-validator';
import type { JsonObject } from '@baton/domain';
import { SIGNAL_ID_PATTERN, SIGNAL_NAME_PATTERN } from '@baton/domain/signals';

/** Body of `POST /signals`. */
export class SendSignalDto {
  @ApiProperty({
    example: 'table.loaded',
    pattern: SIGNAL_NAME_PATTERN.source,
    description: 'What happened; wait_for_signal steps and signal triggers name it',
  })
  @IsString()
  @Matches(SIGNAL_NAME_PATTERN, {
    message:
      'name must start with a letter and hold letters, digits, _ . - / (at most 128), like table.loaded',
  })
  name!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { table: 'sales', day: '2026-01-02' },
    description: "Matched against waits' and triggers' `match` (every entry must be equal); default {}",
  })
  @IsOptional()
  @IsObject({ message: 'params must be an object of names to values' })
  params?: JsonObject;

  @ApiPropertyOptional({
    example: 'sales-2026-01-02',
    pattern: SIGNAL_ID_PATTERN.source,
    description:
      'Idempotency key: a signal sent again with the same id is delivered once. A fresh one is made when omitted.',
  })
  @IsOptional()
  @IsString()
  @Matches(SIGNAL_ID_PATTERN, { message: 'signalId must be 1-128 printable characters without spaces' })
  signalId?: string;
}

/** Answer of `POST /signals`. */
export class SendSignalResponseDto {
  @ApiProperty({ example: 'sales-2026-01-02', description: 'The id given, or the one made' })
  signalId!: string;
}
