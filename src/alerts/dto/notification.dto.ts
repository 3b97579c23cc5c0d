import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { PaginationDto, PaginationQueryDto } from '../../core/http/pagination.dto.js';
import { IsOmittable } from '../../core/http/validators.js';
import {
  NOTIFICATION_EVENTS,
  NOTIFICATION_STATUSES,
  type NotificationEvent,
  type NotificationStatus,
} from '../delivery/notification.types.js';

/** GET /api/notifications query. */
export class ListNotificationsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this channel' })
  @IsOmittable()
  @IsUUID('all')
  channel?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this job' })
  @IsOmittable()
  @IsUUID('all')
  job?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOmittable()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: NOTIFICATION_EVENTS })
  @IsOmittable()
  @IsIn(NOTIFICATION_EVENTS)
  event?: NotificationEvent;
}

export class NotificationAttemptDto {
  @ApiProperty({ example: 1 })
  attempt: number;

  @ApiProperty({ nullable: true, type: String, example: 'replica-1' })
  replicaId: string | null;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ example: 42 })
  durationMs: number;

  @ApiProperty({ nullable: true, type: Number, example: 500 })
  httpStatus: number | null;

  @ApiProperty({ nullable: true, type: String, example: 'HTTP 500 from channel: oops' })
  error: string | null;
}

export class NotificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  channelId: string;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  jobId: string | null;

  @ApiProperty({ enum: NOTIFICATION_EVENTS, example: 'job.failed' })
  event: NotificationEvent;

  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'delivered' })
  status: NotificationStatus;

  @ApiProperty({ example: 1, description: 'Delivery attempts so far' })
  attempts: number;

  @ApiProperty({ format: 'date-time', description: 'When the next attempt is due (pending)' })
  nextAttemptAt: string;

  @ApiProperty({ nullable: true, type: String })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  deliveredAt: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event as sent' })
  payload: Record<string, unknown>;

  @ApiPropertyOptional({
    type: [NotificationAttemptDto],
    description: 'GET /api/notifications/{id} only',
  })
  attemptLog?: NotificationAttemptDto[];
}

export class NotificationListResponseDto {
  @ApiProperty({ type: [NotificationResponseDto] })
  notifications: NotificationResponseDto[];

  @ApiProperty({ type: PaginationDto })
  pagination: PaginationDto;
}
