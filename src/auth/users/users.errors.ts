import { AppError } from '../../core/errors/app-error.js';

export class UserNotFoundError extends AppError {
  constructor(id: string) {
    super('USER_NOT_FOUND', `User ${id} not found`);
  }
}

export class UsernameTakenError extends AppError {
  constructor(username: string) {
    super('CONFLICT', `A user named "${username}" already exists`);
  }
}

export class LastAdminError extends AppError {
  constructor() {
    super('CONFLICT', 'The last admin cannot be removed or demoted; make another admin first');
  }
}

export class SelfDeleteError extends AppError {
  constructor() {
    super('CONFLICT', 'You cannot delete your own account');
  }
}
