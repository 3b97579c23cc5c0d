import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../../core/http/validators.js';

export class PreviewQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 5 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  count: number = 5;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'Also list up to count slots of the rule that will not fire, with the reason (window, pause)',
  })
  @IsOmittable()
  @IsIn(['true', 'false'], { message: 'includeSkipped must be true or false' })
  includeSkipped?: 'true' | 'false';
}
