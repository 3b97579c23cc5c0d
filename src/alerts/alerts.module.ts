import { Global, Module } from '@nestjs/common';
import { ALERT_CHANNELS } from '../jobs/job-alerts.js';
import { ChannelsController } from './channels/channels.controller.js';
import { ChannelsRepository } from './channels/channels.repository.js';
import { ChannelsService } from './channels/channels.service.js';
import { NotificationClient } from './delivery/notification-client.js';
import { NotificationSenderService } from './delivery/notification-sender.service.js';
import { NotificationsController } from './delivery/notifications.controller.js';
import { NotificationsRepository } from './delivery/notifications.repository.js';
import { NotificationsService } from './delivery/notifications.service.js';
import { ReplayController } from './replay.controller.js';
import { AlertWatchRepository } from './watch/alert-watch.repository.js';
import { AlertWatchService } from './watch/alert-watch.service.js';

/**
 * Failure handling and alerting (issue 16): notification channels, the outbox sender, the missed
 * and no-success watch, and replay of dead letters. Global so the jobs API finds the channel
 * catalog (ALERT_CHANNELS) without importing this module. The job events themselves are queued
 * by the run ledger, in the transaction of the outcome (executions/outcome-events.sql.ts).
 */
@Global()
@Module({
  controllers: [ChannelsController, NotificationsController, ReplayController],
  providers: [
    ChannelsRepository,
    ChannelsService,
    NotificationsRepository,
    NotificationsService,
    NotificationClient,
    NotificationSenderService,
    AlertWatchRepository,
    AlertWatchService,
    { provide: ALERT_CHANNELS, useExisting: ChannelsService },
  ],
  exports: [ALERT_CHANNELS],
})
export class AlertsModule {}
