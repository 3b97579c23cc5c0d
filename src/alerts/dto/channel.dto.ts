import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ApiVersionProperty } from '../../core/http/etag.js';
import { IsHttpTargetUrl, IsNulFree } from '../../core/http/validators.js';
import { CHANNEL_TYPES, type ChannelType } from '../channels/channel.types.js';

/** Body of POST /api/channels. */
export class CreateChannelDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'ops webhook' })
  @IsString()
  @Length(1, 255)
  @IsNulFree()
  name: string;

  @ApiProperty({ enum: CHANNEL_TYPES, example: 'webhook' })
  @IsIn(CHANNEL_TYPES)
  type: ChannelType;

  @ApiProperty({
    maxLength: 2048,
    example: 'https://alerts.example.com/scheduler',
    description: 'Where notifications are POSTed; the same outbound policy as http targets',
  })
  @IsHttpTargetUrl()
  url: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 16,
    maxLength: 256,
    writeOnly: true,
    description:
      'webhook: HMAC-SHA256 key of the X-Signature header. Write-only: responses say only hasSecret.',
  })
  @IsOptional()
  @IsString()
  @Length(16, 256)
  @IsNulFree()
  secret?: string | null;
}

/** Body of PUT /api/channels/{id}: any subset; an omitted secret is kept, null removes it. */
export class UpdateChannelDto extends PartialType(CreateChannelDto, {
  skipNullProperties: false,
}) {}

export class ChannelResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ops webhook' })
  name: string;

  @ApiProperty({ enum: CHANNEL_TYPES, example: 'webhook' })
  type: ChannelType;

  @ApiProperty({
    example: 'https://alerts.example.com/scheduler',
    description: "A slack channel's URL is shown without its path (the path is Slack's secret)",
  })
  url: string;

  @ApiProperty({ example: true, description: 'Whether a signing secret is set (never shown)' })
  hasSecret: boolean;

  @ApiVersionProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ChannelTestResponseDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The queued test notification (GET /api/notifications)',
  })
  notificationId: string;
}

export class ChannelListResponseDto {
  @ApiProperty({ type: [ChannelResponseDto] })
  channels: ChannelResponseDto[];
}
