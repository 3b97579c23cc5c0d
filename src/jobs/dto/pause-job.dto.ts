import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNulFree } from '../../core/http/validators.js';
import { JOB_LIMITS } from '../job.limits.js';

/** Body of POST /api/jobs/{id}/pause (and the pause fields of a bulk pause). */
export class PauseJobDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the job resumes by itself (ISO 8601 with offset, in the future); omitted or null: paused until resumed',
    example: '2030-01-01T06:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  until?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: JOB_LIMITS.pauseNoteMax,
    description: 'Why the job is paused (shown with the job)',
    example: 'Upstream maintenance',
  })
  @IsOptional()
  @IsString()
  @MaxLength(JOB_LIMITS.pauseNoteMax)
  @IsNulFree()
  note?: string | null;
}
