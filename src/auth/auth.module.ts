import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiKeysController } from './api-keys/api-keys.controller.js';
import { ApiKeysRepository } from './api-keys/api-keys.repository.js';
import { ApiKeysService } from './api-keys/api-keys.service.js';
import { AuthUserCache } from './auth-user.cache.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { BootstrapAdminService } from './bootstrap-admin.service.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenService } from './token.service.js';
import { UserEntity } from './users/user.entity.js';
import { UsersController } from './users/users.controller.js';
import { UsersRepository } from './users/users.repository.js';
import { UsersService } from './users/users.service.js';

/**
 * Users, login, tokens, API keys and rate limiting. The guards themselves (AppThrottlerGuard,
 * JwtAuthGuard, RolesGuard) are registered as APP_GUARDs in app.module.ts, in that order.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A KeyObject: given a string, jsonwebtoken first tries it as a PEM public key (a
        // thrown and caught error) on every sign and verify, a tenth of a request's CPU.
        secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')),
        signOptions: {
          algorithm: 'HS256',
          expiresIn: config.auth.jwtExpiresInS,
          issuer: config.auth.jwtIssuer,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: config.auth.jwtIssuer },
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    AuthService,
    AuthUserCache,
    TokenService,
    PasswordHasher,
    UsersRepository,
    UsersService,
    BootstrapAdminService,
    ApiKeysRepository,
    ApiKeysService,
  ],
  exports: [AuthService, TokenService, ApiKeysService],
})
export class AuthModule {}
