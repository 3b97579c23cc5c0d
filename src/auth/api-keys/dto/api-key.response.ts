import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../roles.decorator.js';
import type { ApiKeyRow } from '../api-keys.repository.js';

/** An API key as lists show it: never the secret, never its hash. */
export class ApiKeyResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'deploy-pipeline' })
  name: string;

  @ApiProperty({ example: 'sk_3f9a0c1d', description: 'Public start of the key; names it in logs' })
  prefix: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  expiresAt: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  revokedAt: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Last request made with the key (written at most once a minute)',
  })
  lastUsedAt: string | null;
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({
    example: 'sk_3f9a0c1d_q3Jx...',
    description: 'The key: shown this once, store it now. Send it as `Authorization: Bearer <key>`',
  })
  key: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toApiKeyResponse(k: ApiKeyRow): ApiKeyResponseDto {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    createdAt: k.createdAt.toISOString(),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    lastUsedAt: iso(k.lastUsedAt),
  };
}
