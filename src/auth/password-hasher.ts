import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** bcrypt only looks at the first 72 bytes; longer passwords are refused rather than truncated. */
export const MAX_PASSWORD_BYTES = 72;

/**
 * bcrypt with cost 12 in production (~250 ms on one core) and 10 elsewhere, so tests and
 * development stay quick. The cost is stored in each hash, so changing it never breaks logins.
 */
@Injectable()
export class PasswordHasher {
  private readonly rounds: number;
  private dummy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.rounds = config.env === 'production' ? 12 : 10;
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.rounds);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  /**
   * Spends the same time as a real comparison, for logins with an unknown user name, so response
   * time does not reveal which users exist.
   */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.dummy ??= this.hash('dummy-password-never-matches');
    await bcrypt.compare(password, await this.dummy);
    return false;
  }
}
