import { AppError } from '../core/errors/app-error.js';

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid bearer token is required') {
    super('UNAUTHORIZED', message);
  }
}

/** One message for unknown user and wrong password, so login does not reveal who exists. */
export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super('Invalid username or password');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this operation') {
    super('FORBIDDEN', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor() {
    super('RATE_LIMITED', 'Too many requests, please try again later');
  }
}
