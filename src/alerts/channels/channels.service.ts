import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { AuditEntry } from '../../audit/audit.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AppError, ValidationFailedError } from '../../core/errors/app-error.js';
import { EventBus } from '../../core/events/event-bus.js';
import { assertVersionMatches, type IfMatchCondition } from '../../core/http/etag.js';
import { Clock } from '../../core/time/clock.js';
import { targetUrlProblem } from '../../core/net/target-policy.js';
import type { AlertChannelCatalog } from '../../jobs/job-alerts.js';
import type {
  ChannelListResponseDto,
  ChannelResponseDto,
  CreateChannelDto,
  UpdateChannelDto,
} from '../dto/channel.dto.js';
import { NotificationsRepository } from '../delivery/notifications.repository.js';
import type { Channel, ChannelInput } from './channel.types.js';
import { ChannelsRepository } from './channels.repository.js';

export class ChannelNotFoundError extends AppError {
  constructor() {
    super('NOT_FOUND', 'Channel not found');
  }
}

export function toChannelResponse(c: Channel): ChannelResponseDto {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    url: c.type === 'slack' ? `${new URL(c.url).origin}/***` : c.url,
    hasSecret: c.secret !== null,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/**
 * The audit entry of a channel change: the channel as the API shows it, plus its secret, which
 * the audit trail stores only as `[redacted]` (so a rotation shows as a change, never the value).
 */
function channelAudit(before: Channel | null, after: Channel | null): AuditEntry {
  const shown = (c: Channel | null): Record<string, unknown> | null =>
    c && { ...toChannelResponse(c), secret: c.secret, createdAt: undefined, updatedAt: undefined };
  return {
    action: before && after ? 'channel.update' : before ? 'channel.delete' : 'channel.create',
    resourceType: 'channel',
    resourceId: (after ?? before)?.id ?? '',
    before: shown(before),
    after: shown(after),
    always: !(before && after),
  };
}

/** Channel CRUD and test sends; also the jobs API's catalog of channel ids. */
@Injectable()
export class ChannelsService implements AlertChannelCatalog {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<ChannelListResponseDto> {
    return { channels: (await this.channels.list()).map(toChannelResponse) };
  }

  async get(id: string): Promise<ChannelResponseDto> {
    return toChannelResponse(await this.found(id));
  }

  async create(dto: CreateChannelDto): Promise<ChannelResponseDto> {
    const input: ChannelInput = {
      name: dto.name,
      type: dto.type,
      url: dto.url,
      secret: dto.secret ?? null,
    };
    this.assertValid(input);
    const created = await this.channels.transaction(async (em) => {
      const row = await this.channels.insert(input, em);
      await this.audit.record(em, channelAudit(null, row));
      return row;
    });
    return toChannelResponse(created);
  }

  /** Partial, merged under the row lock (where If-Match is checked too). */
  async update(
    id: string,
    dto: UpdateChannelDto,
    ifMatch?: IfMatchCondition,
  ): Promise<ChannelResponseDto> {
    const nulls = (['name', 'type', 'url'] as const).filter((k) => dto[k] === null);
    if (nulls.length > 0) {
      throw new ValidationFailedError(
        nulls.map((k) => ({ field: k, message: `${k} must not be null` })),
      );
    }
    const updated = await this.channels.transaction(async (em) => {
      const current = await this.locked(id, ifMatch, em);
      const input: ChannelInput = {
        name: dto.name ?? current.name,
        type: dto.type ?? current.type,
        url: dto.url ?? current.url,
        secret: dto.secret === undefined ? current.secret : dto.secret,
      };
      this.assertValid(input);
      const row = await this.channels.update(id, input, em);
      await this.audit.record(em, channelAudit(current, row));
      return row;
    });
    return toChannelResponse(updated);
  }

  /** 409 naming the jobs while a job names it in its alerts; answers the deleted channel. */
  async remove(id: string, ifMatch?: IfMatchCondition): Promise<ChannelResponseDto> {
    const deleted = await this.channels.transaction(async (em) => {
      const current = await this.locked(id, ifMatch, em);
      const usedBy = await this.channels.usedBy(id, em);
      if (usedBy.length > 0) {
        throw new AppError('CONFLICT', `Channel is used by job(s): ${usedBy.join(', ')}`);
      }
      await this.channels.remove(id, em);
      await this.audit.record(em, channelAudit(current, null));
      return current;
    });
    return toChannelResponse(deleted);
  }

  /** Queues a `channel.test` notification, delivered (and retried) like any other. */
  async test(id: string): Promise<{ notificationId: string }> {
    const channel = await this.found(id);
    const notificationId = await this.notifications.enqueueTest(channel.id, {
      event: 'channel.test',
      occurredAt: this.clock.now().toISOString(),
      channel: { id: channel.id, name: channel.name },
      message: 'Test notification from job-scheduler',
    });
    this.events.publish('notifications.queued', { count: 1 });
    return { notificationId };
  }

  missing(ids: string[]): Promise<string[]> {
    return this.channels.missing(ids);
  }

  private assertValid(input: ChannelInput): void {
    const problem = targetUrlProblem(input.url, this.config.targets.allowlist);
    if (problem) {
      throw new ValidationFailedError([{ field: 'url', message: `url ${problem}` }]);
    }
  }

  /** The channel locked for a write, 404 if missing, 412 unless it satisfies If-Match. */
  private async locked(id: string, ifMatch: IfMatchCondition, em: EntityManager): Promise<Channel> {
    const channel = await this.channels.lock(id, em);
    if (!channel) {
      throw new ChannelNotFoundError();
    }
    assertVersionMatches(ifMatch, 'channel', channel.version);
    return channel;
  }

  private async found(id: string): Promise<Channel> {
    const channel = await this.channels.findById(id);
    if (!channel) {
      throw new ChannelNotFoundError();
    }
    return channel;
  }
}
