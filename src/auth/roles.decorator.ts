import { SetMetadata } from '@nestjs/common';
import type { AuthUser } from '../core/http/request-context.js';

export type Role = AuthUser['role'];
export const ROLES = ['admin', 'viewer'] as const satisfies readonly Role[];
export const REQUIRED_ROLES = 'auth:roles';

/**
 * Overrides the default rule (reads: any signed-in user; writes: admin) for one route or
 * controller, e.g. `@Roles('viewer', 'admin')` on a write a viewer may make.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/** Admin only, reads included (user management). */
export const AdminOnly = (): MethodDecorator & ClassDecorator => Roles('admin');
