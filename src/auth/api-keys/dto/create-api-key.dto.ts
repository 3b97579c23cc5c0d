import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, Length, Matches } from 'class-validator';
import { IsOmittable, rule } from '../../../core/http/validators.js';
import type { Role } from '../../roles.decorator.js';
import { IsRole } from '../../users/dto/user-fields.js';

const inFuture = (v: unknown): string | null =>
  typeof v === 'string' && new Date(v).getTime() > Date.now() ? null : 'must be in the future';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'deploy-pipeline', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/^[\x20-\x7e]+$/, { message: 'name must be printable ASCII' })
  name: string;

  @IsRole()
  role: Role;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2027-01-01T00:00:00Z',
    description: 'When the key stops working (default: never)',
  })
  @IsOmittable()
  @IsISO8601({ strict: true, strictSeparator: true })
  @rule('isFuture', inFuture)
  expiresAt?: string;
}
