import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { AuthUser } from '../core/http/request-context.js';
import type { UserEntity } from './users/user.entity.js';

export interface AccessTokenClaims extends AuthUser {
  /** Credential stamp: changes when the user's password or role changes, ending older tokens. */
  cst: string;
}

/** Signs and verifies access tokens (HS256, issuer and lifetime from config). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get expiresInS(): number {
    return this.config.auth.jwtExpiresInS;
  }

  /**
   * An HMAC of the password hash and role under the signing secret: reveals nothing, needs no
   * extra column, and does not depend on clocks agreeing between replicas and the database.
   */
  stampOf(user: Pick<UserEntity, 'passwordHash' | 'role'>): string {
    return createHmac('sha256', this.config.auth.jwtSecret)
      .update(`${user.role}:${user.passwordHash}`)
      .digest('base64url')
      .slice(0, 16);
  }

  sign(user: UserEntity): Promise<string> {
    const claims: AccessTokenClaims = {
      sub: user.id,
      username: user.username,
      role: user.role,
      cst: this.stampOf(user),
    };
    return this.jwt.signAsync(claims);
  }

  /** Null for anything but a well-formed, unexpired token of ours. */
  async verify(token: string): Promise<AccessTokenClaims | null> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token);
      return typeof claims.sub === 'string' && typeof claims.cst === 'string'
        ? (claims as AccessTokenClaims)
        : null;
    } catch {
      return null;
    }
  }
}
