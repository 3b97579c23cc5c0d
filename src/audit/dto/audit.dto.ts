import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Length, Matches } from 'class-validator';
import { PaginationQueryDto } from '../../core/http/pagination.dto.js';
import { IsNulFree, IsOmittable } from '../../core/http/validators.js';

const ACTION = /^[a-z_]{1,32}\.[a-z_]{1,32}$/;
const RESOURCE_TYPE = /^[a-z_]{1,32}$/;
const ACTOR_TYPES = ['user', 'api_key', 'system'] as const;
type ActorType = (typeof ACTOR_TYPES)[number];

/** GET /api/jobs/{id}/audit query. */
export class ResourceAuditQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'job.update', description: 'Exact action name' })
  @IsOmittable()
  @Matches(ACTION, { message: 'action must look like job.update' })
  action?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-01T00:00:00Z',
    description: 'Rows at or after this instant',
  })
  @IsOmittable()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-31T23:59:59Z',
    description: 'Rows at or before this instant',
  })
  @IsOmittable()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}

/** GET /api/audit query. */
export class AuditQueryDto extends ResourceAuditQueryDto {
  @ApiPropertyOptional({
    example: 'alice',
    description: 'A user name, an API key prefix (sk_ab12cd34), or a user/key id',
  })
  @IsOmittable()
  @IsString()
  @Length(1, 255)
  @IsNulFree()
  actor?: string;

  @ApiPropertyOptional({
    enum: ACTOR_TYPES,
    description: 'Only changes by users, by API keys, or by the service itself (system)',
  })
  @IsOmittable()
  @IsIn(ACTOR_TYPES)
  actorType?: ActorType;

  @ApiPropertyOptional({ example: 'job', description: 'job, user, api_key (calendar, channel)' })
  @IsOmittable()
  @Matches(RESOURCE_TYPE, { message: 'resourceType must be lower-case letters or _' })
  resourceType?: string;
}

export class AuditActorDto {
  @ApiProperty({ enum: ACTOR_TYPES })
  type: ActorType;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  id: string | null;

  @ApiProperty({ example: 'alice', description: 'User name, the API key prefix, or system' })
  name: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: AuditActorDto })
  actor: AuditActorDto;

  @ApiProperty({ example: 'job.update' })
  action: string;

  @ApiProperty({ example: 'job' })
  resourceType: string;

  @ApiProperty({ format: 'uuid' })
  resourceId: string;

  @ApiProperty({ nullable: true, type: String, description: 'X-Request-Id of the change' })
  requestId: string | null;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Changed fields before (null for a create); secrets show as [redacted]',
    example: { cronExpression: '0 * * * *' },
  })
  before: Record<string, unknown> | null;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Changed fields after (null for a delete)',
    example: { cronExpression: '*/5 * * * *' },
  })
  after: Record<string, unknown> | null;
}

export class AuditPageDto {
  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  limit: number;

  @ApiProperty({ example: true })
  hasNext: boolean;

  @ApiProperty({ example: false })
  hasPrev: boolean;
}

export class AuditListResponseDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first' })
  entries: AuditEntryDto[];

  @ApiProperty({
    type: AuditPageDto,
    description: 'No total: counting millions of rows per page would cost more than the page',
  })
  pagination: AuditPageDto;
}
