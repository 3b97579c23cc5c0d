import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class EventTicketResponseDto {
  @ApiProperty({ description: 'Pass as `GET /api/events?ticket=...`; valid once, briefly' })
  ticket: string;

  @ApiProperty({ example: 30, description: 'Seconds the ticket stays valid' })
  expiresIn: number;
}

/** GET /api/events query. */
export class EventStreamQueryDto {
  @ApiProperty({ description: 'A ticket from POST /api/events/ticket' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  ticket: string;
}
