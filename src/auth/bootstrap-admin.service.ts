import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersRepository } from './users/users.repository.js';
import { UsersService } from './users/users.service.js';

const GENERATED_ADMIN = 'admin';

/**
 * Makes sure someone can log in. Runs after migrations (those run in onModuleInit), is
 * idempotent, and is safe with replicas starting together (INSERT … ON CONFLICT DO NOTHING).
 * It never changes an existing user: ADMIN_PASSWORD only seeds, it does not reset. The user it
 * creates is audited (`user.create` by the `system` actor, the hash redacted) in the insert's
 * transaction.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly accounts: UsersService,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminUsername, adminPassword } = this.config.auth;
    if (adminUsername && adminPassword) {
      await this.ensureConfiguredAdmin(adminUsername, adminPassword);
      return;
    }
    if (adminUsername || adminPassword) {
      this.logger.warn('Set both ADMIN_USERNAME and ADMIN_PASSWORD to create the first admin');
    }
    if ((await this.users.countAdmins()) > 0) {
      return;
    }
    if (this.config.env === 'production') {
      this.logger.warn(
        'No admin user exists and ADMIN_USERNAME/ADMIN_PASSWORD are not set: nobody can log in. ' +
          'Set both variables and restart to create the first admin.',
      );
      return;
    }
    await this.generateDevelopmentAdmin();
  }

  private async ensureConfiguredAdmin(username: string, password: string): Promise<void> {
    const created = await this.createAdmin(username, password);
    if (created) {
      this.logger.log(`Created admin user "${username}" from ADMIN_USERNAME/ADMIN_PASSWORD`);
      return;
    }
    const existing = await this.users.findByUsername(username);
    if (existing?.role !== 'admin') {
      this.logger.warn(`ADMIN_USERNAME "${username}" exists but is not an admin; left unchanged`);
    }
  }

  /** Development/test only: a random password, shown exactly once, in one clear line. */
  private async generateDevelopmentAdmin(): Promise<void> {
    const password = randomBytes(18).toString('base64url');
    const created = await this.createAdmin(GENERATED_ADMIN, password);
    if (!created) {
      this.logger.warn(
        `No admin exists and user "${GENERATED_ADMIN}" is taken; set ADMIN_USERNAME/ADMIN_PASSWORD`,
      );
      return;
    }
    this.logger.warn(
      `ONE-TIME NOTICE: created user "${GENERATED_ADMIN}" with password "${password}" ` +
        '(shown only now; log in with POST /api/auth/login, then change it with PUT /api/users/:id, ' +
        'or set ADMIN_USERNAME/ADMIN_PASSWORD)',
    );
  }

  private async createAdmin(username: string, password: string): Promise<boolean> {
    const hash = await this.hasher.hash(password);
    return (await this.accounts.createIfMissing(username, hash, 'admin', SYSTEM_ACTOR)) !== null;
  }
}
