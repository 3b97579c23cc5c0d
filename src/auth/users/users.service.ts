import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { AuditActor } from '../../audit/audit.types.js';
import type { Role } from '../roles.decorator.js';
import { ValidationFailedError } from '../../core/errors/app-error.js';
import { AuthUserCache } from '../auth-user.cache.js';
import { PasswordHasher } from '../password-hasher.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';
import type { UserEntity } from './user.entity.js';
import {
  LastAdminError,
  SelfDeleteError,
  UsernameTakenError,
  UserNotFoundError,
} from './users.errors.js';
import { UsersRepository } from './users.repository.js';

/** A user as the audit trail keeps it: the hash only to tell that it changed (stored redacted). */
const auditedUser = (u: Pick<UserEntity, 'username' | 'role' | 'passwordHash'>) => ({
  username: u.username,
  role: u.role,
  passwordHash: u.passwordHash,
});

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly authUsers: AuthUserCache,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * ON CONFLICT DO NOTHING rather than catching the unique violation: a failed query is logged
   * with its parameters, and those would include the new password hash.
   */
  async create(dto: CreateUserDto): Promise<UserEntity> {
    const hash = await this.hasher.hash(dto.password);
    const created = await this.createIfMissing(dto.username, hash, dto.role);
    if (!created) {
      throw new UsernameTakenError(dto.username);
    }
    return created;
  }

  /**
   * Creates the user with its audit row in one transaction, unless the name is taken (null then:
   * replicas booting together may all try, exactly one inserts and audits). `actor` defaults to
   * the caller of the request being served.
   */
  createIfMissing(
    username: string,
    passwordHash: string,
    role: Role,
    actor?: AuditActor,
  ): Promise<UserEntity | null> {
    return this.dataSource.transaction(async (em) => {
      if (!(await this.users.insertIfMissing(username, passwordHash, role, em))) {
        return null;
      }
      const created = await this.users.findByUsername(username, em);
      if (!created) {
        throw new UserNotFoundError(username);
      }
      await this.audit.record(em, {
        action: 'user.create',
        resourceType: 'user',
        resourceId: created.id,
        after: auditedUser(created),
        actor,
      });
      return created;
    });
  }

  list(): Promise<UserEntity[]> {
    return this.users.list();
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) {
      throw new UserNotFoundError(id);
    }
    return user;
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserEntity> {
    // @IsOptional lets null through as "absent"; treat it so.
    const password = dto.password ?? undefined;
    const role = dto.role ?? undefined;
    if (password === undefined && role === undefined) {
      throw new ValidationFailedError([
        { field: 'password', message: 'give a new password, a new role, or both' },
      ]);
    }
    const passwordHash = password === undefined ? undefined : await this.hasher.hash(password);
    await this.changeLocked(id, async (adminIds, em) => {
      const demotesLastAdmin = role === 'viewer' && adminIds.length === 1 && adminIds[0] === id;
      if (demotesLastAdmin) {
        throw new LastAdminError();
      }
      const changes = {
        ...(passwordHash ? { passwordHash } : {}),
        ...(role ? { role } : {}),
      };
      const before = await this.users.findByIdIn(em, id);
      if (!before || !(await this.users.update(id, changes, em))) {
        throw new UserNotFoundError(id);
      }
      await this.audit.record(em, {
        action: 'user.update',
        resourceType: 'user',
        resourceId: id,
        before: auditedUser(before),
        after: auditedUser({ ...before, ...changes }),
      });
    });
    return this.get(id);
  }

  async remove(id: string, actorId: string): Promise<void> {
    if (id === actorId) {
      throw new SelfDeleteError();
    }
    await this.changeLocked(id, async (adminIds, em) => {
      if (adminIds.length === 1 && adminIds[0] === id) {
        throw new LastAdminError();
      }
      const before = await this.users.findByIdIn(em, id);
      if (!before || !(await this.users.remove(id, em))) {
        throw new UserNotFoundError(id);
      }
      await this.audit.record(em, {
        action: 'user.delete',
        resourceType: 'user',
        resourceId: id,
        before: auditedUser(before),
      });
    });
  }

  /** A change to user `id` under the admins lock; older tokens of `id` end once it commits. */
  private async changeLocked(
    id: string,
    fn: Parameters<UsersRepository['withAdminsLocked']>[0],
  ): Promise<void> {
    try {
      await this.users.withAdminsLocked(fn);
    } finally {
      this.authUsers.forget(id);
    }
  }
}
