import { AppError } from '../core/errors/app-error.js';

export class ExecutionNotFoundError extends AppError {
  constructor() {
    super('EXECUTION_NOT_FOUND', 'Execution not found');
  }
}
