import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin', description: 'User name' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({
    example: 'the-password-printed-at-first-start',
    description: 'Password (ADMIN_PASSWORD, or the one printed once at first start)',
  })
  @IsString()
  @Length(1, 1024)
  password: string;
}
