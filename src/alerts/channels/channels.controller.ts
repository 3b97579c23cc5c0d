import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../../core/http/api-responses.js';
import { ResponseMessage } from '../../core/http/envelope.interceptor.js';
import {
  ApiIfMatch,
  ETAG_HEADER,
  IfMatch,
  SendsETag,
  type IfMatchCondition,
} from '../../core/http/etag.js';
import { UuidParam } from '../../core/http/validators.js';
import {
  ChannelListResponseDto,
  ChannelResponseDto,
  ChannelTestResponseDto,
  CreateChannelDto,
  UpdateChannelDto,
} from '../dto/channel.dto.js';
import { ChannelsService } from './channels.service.js';

const ApiChannelId = (): MethodDecorator =>
  ApiParam({ name: 'id', type: String, format: 'uuid', description: 'Channel id' });

@ApiTags('alerting')
@Controller('api/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get()
  @ApiOperation({ summary: 'List notification channels (secrets are never shown)' })
  @ApiEnvelope(ChannelListResponseDto)
  @ApiErrors()
  list(): Promise<ChannelListResponseDto> {
    return this.channels.list();
  }

  @Post()
  @ResponseMessage('Channel created successfully')
  @ApiOperation({ summary: 'Create a webhook or slack channel' })
  @ApiEnvelope(ChannelResponseDto, HttpStatus.CREATED, 'Created')
  @ApiErrors()
  create(@Body() dto: CreateChannelDto): Promise<ChannelResponseDto> {
    return this.channels.create(dto);
  }

  @Get(':id')
  @ApiChannelId()
  @ApiOperation({ summary: 'Get a channel' })
  @ApiEnvelope(ChannelResponseDto, HttpStatus.OK, 'Success', ETAG_HEADER)
  @SendsETag()
  @ApiErrors(404)
  get(@UuidParam() id: string): Promise<ChannelResponseDto> {
    return this.channels.get(id);
  }

  @Put(':id')
  @ApiChannelId()
  @ResponseMessage('Channel updated successfully')
  @ApiOperation({
    summary: 'Update a channel (partial; an omitted secret is kept, null removes it)',
  })
  @ApiIfMatch('channel')
  @ApiEnvelope(ChannelResponseDto, HttpStatus.OK, 'Success', ETAG_HEADER)
  @SendsETag()
  @ApiErrors(404, 412)
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateChannelDto,
    @IfMatch() ifMatch: IfMatchCondition,
  ): Promise<ChannelResponseDto> {
    return this.channels.update(id, dto, ifMatch);
  }

  @Delete(':id')
  @ApiChannelId()
  @ResponseMessage('Channel deleted successfully')
  @ApiOperation({ summary: 'Delete a channel (409 while a job names it in its alerts)' })
  @ApiIfMatch('channel')
  @ApiEnvelope(ChannelResponseDto, HttpStatus.OK, 'The deleted channel')
  @ApiErrors(404, 409, 412)
  remove(
    @UuidParam() id: string,
    @IfMatch() ifMatch: IfMatchCondition,
  ): Promise<ChannelResponseDto> {
    return this.channels.remove(id, ifMatch);
  }

  @Post(':id/test')
  @ApiChannelId()
  @HttpCode(HttpStatus.ACCEPTED)
  @ResponseMessage('Test notification queued')
  @ApiOperation({ summary: 'Queue a channel.test notification to this channel' })
  @ApiEnvelope(ChannelTestResponseDto, HttpStatus.ACCEPTED, 'Accepted: queued for delivery')
  @ApiErrors(404)
  test(@UuidParam() id: string): Promise<ChannelTestResponseDto> {
    return this.channels.test(id);
  }
}
