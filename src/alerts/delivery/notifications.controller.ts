import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../../core/http/api-responses.js';
import { UuidParam } from '../../core/http/validators.js';
import {
  ListNotificationsQueryDto,
  NotificationListResponseDto,
  NotificationResponseDto,
} from '../dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('alerting')
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'Notification deliveries, newest first, with their status' })
  @ApiEnvelope(NotificationListResponseDto)
  @ApiErrors()
  list(@Query() query: ListNotificationsQueryDto): Promise<NotificationListResponseDto> {
    return this.notifications.list(query);
  }

  @Get(':id')
  @ApiParam({ name: 'id', type: String, format: 'uuid', description: 'Notification id' })
  @ApiOperation({ summary: 'One notification with every delivery attempt' })
  @ApiEnvelope(NotificationResponseDto)
  @ApiErrors(404)
  get(@UuidParam() id: string): Promise<NotificationResponseDto> {
    return this.notifications.get(id);
  }
}
