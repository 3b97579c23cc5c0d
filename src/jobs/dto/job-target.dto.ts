import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import {
  rule,
  IsBoundedJson,
  IsHeaderMap,
  IsHttpTargetUrl,
  IsOmittable,
} from '../../core/http/validators.js';
import { HTTP_METHODS, JOB_LIMITS } from '../job.limits.js';
import { EXPECT_BODY_MAX, expectBodyProblem, successStatusProblem } from '../success-criteria.js';

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

  @ApiPropertyOptional({
    type: 'array',
    items: {
      oneOf: [
        { type: 'integer', minimum: 100, maximum: 599 },
        { type: 'string', pattern: '^[1-5]xx$' },
      ],
    },
    default: ['2xx'],
    example: ['2xx', 304],
    description:
      'Statuses that count as success: codes and classes. Redirects are never followed; a 3xx succeeds only when listed.',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @rule('isSuccessStatus', successStatusProblem, { each: true })
  successStatus?: (number | string)[];

  @ApiPropertyOptional({
    maxLength: EXPECT_BODY_MAX,
    example: '"status":"ok"',
    description:
      'The response body (its first 4 KB) must contain this text, or match it when written /regex/flags (RE2 syntax, flags i m s; linear time)',
  })
  @IsOmittable()
  @IsString()
  @rule('isExpectBody', (v) => (typeof v === 'string' ? expectBodyProblem(v) : null))
  expectBody?: string;
}

export class HandlerTargetDto extends JobTargetDto {
  @ApiProperty({ example: 'log', description: 'A registered in-process handler' })
  @IsString()
  @Length(1, JOB_LIMITS.handlerNameMax)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'name may contain letters, digits, _ . : -' })
  name: string;
}
