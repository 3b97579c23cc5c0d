import { Injectable } from '@nestjs/common';
import { AppError } from '../../core/errors/app-error.js';
import { toPagination } from '../../core/http/pagination.dto.js';
import type {
  ListNotificationsQueryDto,
  NotificationListResponseDto,
  NotificationResponseDto,
} from '../dto/notification.dto.js';
import type { NotificationRow } from './notification.types.js';
import { NotificationsRepository } from './notifications.repository.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toNotificationResponse(n: NotificationRow): NotificationResponseDto {
  return {
    id: n.id,
    channelId: n.channelId,
    jobId: n.jobId,
    event: n.event,
    status: n.status,
    attempts: n.attempts,
    nextAttemptAt: n.nextAttemptAt.toISOString(),
    lastError: n.lastError,
    createdAt: n.createdAt.toISOString(),
    deliveredAt: iso(n.deliveredAt),
    payload: n.payload,
  };
}

@Injectable()
export class NotificationsService {
  constructor(private readonly outbox: NotificationsRepository) {}

  async list(q: ListNotificationsQueryDto): Promise<NotificationListResponseDto> {
    const { items, total } = await this.outbox.search(
      { channelId: q.channel, jobId: q.job, status: q.status, event: q.event },
      q.page,
      q.limit,
    );
    return {
      notifications: items.map(toNotificationResponse),
      pagination: toPagination(q.page, q.limit, total),
    };
  }

  async get(id: string): Promise<NotificationResponseDto> {
    const [row, attempts] = await Promise.all([
      this.outbox.findById(id),
      this.outbox.attemptsOf(id),
    ]);
    if (!row) {
      throw new AppError('NOT_FOUND', 'Notification not found');
    }
    return {
      ...toNotificationResponse(row),
      attemptLog: attempts.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() })),
    };
  }
}
