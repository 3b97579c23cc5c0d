import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MinLength, ValidateBy } from 'class-validator';
import { MAX_PASSWORD_BYTES } from '../../password-hasher.js';
import { ROLES } from '../../roles.decorator.js';

export const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,64}$/;

export const IsUsername = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example: 'alice', pattern: USERNAME_PATTERN.source }),
    IsString(),
    Matches(USERNAME_PATTERN, { message: 'username must be 3-64 letters, digits, _ . or -' }),
  );

/** At least 8 characters and at most 72 bytes (bcrypt ignores anything beyond). */
export const IsNewPassword = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example: 'correct-horse-battery', minLength: 8, maxLength: MAX_PASSWORD_BYTES }),
    IsString(),
    MinLength(8, { message: 'password must be at least 8 characters' }),
    ValidateBy({
      name: 'maxPasswordBytes',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' && Buffer.byteLength(v, 'utf8') <= MAX_PASSWORD_BYTES,
        defaultMessage: () => `password must be at most ${MAX_PASSWORD_BYTES} bytes`,
      },
    }),
  );

export const IsRole = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ enum: ROLES, example: 'viewer' }),
    IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }),
  );
