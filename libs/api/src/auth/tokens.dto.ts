import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '@baton/auth';

const SCOPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Body of `POST /tokens`. */
export class CreateTokenDto {
  @ApiProperty({
    example: 'ci-sales',
    description: 'Who or what holds the token (shown in lists, 1-64 characters)',
    minLength: 1,
    maxLength: 64,
  })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'operator' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: SCOPE_PATTERN.source },
    maxItems: 32,
    example: ['sales.'],
    description: 'Workflow-id prefixes the token may touch; omitted: every workflow',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Matches(SCOPE_PATTERN, {
    each: true,
    message: 'each scope is a workflow-id prefix: letters, digits, . _ - (like sales.)',
  })
  scopes?: string[];
}

export class ApiTokenDto {
  @ApiProperty({ example: '3f9a0c1b2d4e' }) tokenId!: string;
  @ApiProperty({ example: 'ci-sales' }) name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: [String], nullable: true, description: 'null: every workflow' }) scopes!:
    string[] | null;
  @ApiProperty({ description: 'epoch ms' }) createdAt!: number;
  @ApiProperty({ example: 'token:1a2b3c4d5e6f', description: 'The principal that created it' })
  createdBy!: string;
  @ApiProperty({ nullable: true, type: Number }) revokedAt!: number | null;
  @ApiProperty({ nullable: true, type: String }) revokedBy!: string | null;
}

export class CreatedTokenDto extends ApiTokenDto {
  @ApiProperty({
    example: 'baton_3f9a0c1b2d4e_…',
    description: 'The bearer token. Shown this once: only its salted hash is stored.',
  })
  token!: string;
}
