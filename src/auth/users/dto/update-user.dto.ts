import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Role } from '../../roles.decorator.js';
import { IsNewPassword, IsRole } from './user-fields.js';

/** Change a password, a role, or both. The user name is permanent. */
export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsNewPassword()
  password?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsRole()
  role?: Role;
}
