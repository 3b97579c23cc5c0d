import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { AuthUser } from '../core/http/request-context.js';
import { AuthUserCache, type CachedAuthUser } from './auth-user.cache.js';
import { InvalidCredentialsError, UnauthorizedError } from './auth.errors.js';
import type { MeResponseDto, TokenResponseDto } from './dto/token.response.js';
import { MAX_PASSWORD_BYTES, PasswordHasher } from './password-hasher.js';
import { TokenService } from './token.service.js';
import { UsersRepository } from './users/users.repository.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly cache: AuthUserCache,
  ) {}

  /**
   * Unknown user, wrong password and over-long password all cost one bcrypt comparison and
   * answer the same 401, so neither the body nor the timing tells which users exist.
   */
  async login(username: string, password: string): Promise<TokenResponseDto> {
    const user = await this.users.findByUsername(username);
    const tooLong = Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
    const ok =
      user && !tooLong
        ? await this.hasher.verify(password, user.passwordHash)
        : await this.hasher.verifyAgainstDummy(password);
    if (!user || !ok) {
      throw new InvalidCredentialsError();
    }
    return {
      accessToken: await this.tokens.sign(user),
      tokenType: 'Bearer',
      expiresIn: this.tokens.expiresInS,
    };
  }

  /**
   * The user a bearer token stands for, as stored (the token's role is not trusted): a deleted
   * user, a changed password or a changed role ends older tokens at once on this replica and
   * within AUTH_USER_CACHE_MS on the others (see AuthUserCache).
   */
  async authenticate(token: string): Promise<AuthUser> {
    const claims = await this.tokens.verify(token);
    const found = claims && isUUID(claims.sub) ? await this.cache.get(claims.sub, this.load) : null;
    if (!claims || !found || found.stamp !== claims.cst) {
      throw new UnauthorizedError('The bearer token is invalid or expired');
    }
    return found.user;
  }

  private readonly load = async (id: string): Promise<CachedAuthUser | null> => {
    const user = await this.users.findById(id);
    return user
      ? {
          user: { sub: user.id, username: user.username, role: user.role },
          stamp: this.tokens.stampOf(user),
        }
      : null;
  };

  me(user: AuthUser): MeResponseDto {
    return { id: user.sub, username: user.username, role: user.role };
  }
}
