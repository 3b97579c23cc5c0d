import type { Role } from '../../roles.decorator.js';
import { IsNewPassword, IsRole, IsUsername } from './user-fields.js';

export class CreateUserDto {
  @IsUsername()
  username: string;

  @IsNewPassword()
  password: string;

  @IsRole()
  role: Role;
}
