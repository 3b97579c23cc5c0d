import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import type { Role } from '../roles.decorator.js';
import { UserEntity } from './user.entity.js';

/** Every users query, named. Values always travel as bind parameters. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByUsername(username: string, em?: EntityManager): Promise<UserEntity | null> {
    return (em?.getRepository(UserEntity) ?? this.repo).findOneBy({ username });
  }

  findByIdIn(em: EntityManager, id: string): Promise<UserEntity | null> {
    return em.getRepository(UserEntity).findOneBy({ id });
  }

  list(): Promise<UserEntity[]> {
    return this.repo.find({ order: { username: 'ASC' } });
  }

  countAdmins(): Promise<number> {
    return this.repo.countBy({ role: 'admin' });
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  /**
   * Creates the user unless the name exists, atomically: several replicas booting together may
   * all try, exactly one inserts. True when this call created it.
   */
  async insertIfMissing(
    username: string,
    passwordHash: string,
    role: Role,
    em: EntityManager = this.repo.manager,
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [username, passwordHash, role],
    );
    return rows.length === 1;
  }

  /**
   * Runs `fn` with every admin row locked, so two concurrent demotions or deletions cannot
   * both see "another admin remains" and leave none.
   */
  withAdminsLocked<T>(fn: (adminIds: string[], em: EntityManager) => Promise<T>): Promise<T> {
    return this.repo.manager.transaction(async (em) => {
      const rows = await em.query<{ id: string }[]>(
        `SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE`,
      );
      return fn(
        rows.map((r) => r.id),
        em,
      );
    });
  }

  async update(
    id: string,
    changes: { passwordHash?: string; role?: Role },
    em: EntityManager = this.repo.manager,
  ): Promise<boolean> {
    const result = await em.update(UserEntity, { id }, changes);
    return (result.affected ?? 0) > 0;
  }

  async remove(id: string, em: EntityManager = this.repo.manager): Promise<boolean> {
    const result = await em.delete(UserEntity, { id });
    return (result.affected ?? 0) > 0;
  }
}
