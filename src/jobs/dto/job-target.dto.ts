import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import {
  IsBoundedJson,
  IsHeaderMap,
  IsHttpTargetUrl,
  IsOmittable,
} from '../../core/http/validators.js';
import { HTTP_METHODS, JOB_LIMITS } from '../job.limits.js';

/**
 * The discriminated union `target`: class-transformer picks the subclass by `type`; an unknown
 * `type` stays this base class, whose @IsIn rejects it, and whitelisting rejects fields that
 * belong to the other variant.
 */
export class JobTargetDto {
  @ApiProperty({ enum: ['http', 'handler'], example: 'handler' })
  @IsIn(['http', 'handler'], { message: 'type must be one of: http, handler' })
  type: 'http' | 'handler';
}

export class HttpTargetDto extends JobTargetDto {
  @ApiProperty({ example: 'https://hooks.example.com/backup', maxLength: 2048 })
  @IsHttpTargetUrl()
  url: string;

  @ApiPropertyOptional({ enum: HTTP_METHODS, default: 'POST' })
  @IsOmittable()
  @IsIn(HTTP_METHODS)
  method?: (typeof HTTP_METHODS)[number];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'X-Team': 'data' },
    description: `At most ${JOB_LIMITS.headers.maxCount} headers, values up to ${JOB_LIMITS.headers.maxValueLength} characters`,
  })
  @IsOmittable()
  @IsHeaderMap(JOB_LIMITS.headers)
  headers?: Record<string, string>;

  @ApiPropertyOptional({
    description: "JSON body; defaults to the job's payload",
    example: { full: true },
  })
  @IsOmittable()
  @IsBoundedJson(JOB_LIMITS.payload)
  body?: unknown;
}

export class HandlerTargetDto extends JobTargetDto {
  @ApiProperty({ example: 'log', description: 'A registered in-process handler' })
  @IsString()
  @Length(1, JOB_LIMITS.handlerNameMax)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'name may contain letters, digits, _ . : -' })
  name: string;
}
