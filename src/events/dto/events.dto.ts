import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class EventTicketResponseDto {
  @ApiProperty({ description: 'Pass as `GET /api/events?ticket=...`; valid once, briefly' })
  ticket: string;

  @ApiProperty({ example: 30, description: 'Seconds the ticket stays valid' })
  expiresIn: number;
}

/** GET /api/events query. Without a ticket the answer is 401, as for any route without a token. */
export class EventStreamQueryDto {
  @ApiPropertyOptional({ description: 'A ticket from POST /api/events/ticket (required)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  ticket?: string;
}
