import createClient, { type Middleware } from 'openapi-fetch';
import { sessions } from '../auth/session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Job = Schemas['JobResponseDto'];
export type Execution = Schemas['ExecutionResponseDto'];
export type CreateJob = Schemas['CreateJobDto'];
export type ExecutionStatus = Execution['status'];

/** The API's error body (design 3): `details` has one entry per bad field. */
export interface ApiErrorBody {
  success: false;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
  requestId?: string;
  /** A 412's: the version the resource is at now (api/versions.ts). */
  currentVersion?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body?.message ?? `The server answered ${status}`);
  }

  get fieldErrors(): { field: string; message: string }[] {
    return this.body?.details ?? [];
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = sessions.current?.token;
    if (token) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && !response.url.endsWith('/api/auth/login')) {
      sessions.expire();
    }
    return response;
  },
};

/** Typed from the service's OpenAPI document (ui/openapi.json -> schema.d.ts). */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Every answer is wrapped as `{ success, data, ... }`; this returns `data` or throws an ApiError.
 * Some routes (auth, users) document the bare DTO although the envelope wraps them too, so the
 * envelope is detected rather than assumed.
 */
export async function call<T>(pending: Promise<Result<T>>): Promise<Unwrapped<T>> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    throw new ApiError(response.status, error as ApiErrorBody | undefined);
  }
  const body = data as unknown;
  if (body && typeof body === 'object' && 'success' in body && 'data' in body) {
    return (body as { data: Unwrapped<T> }).data;
  }
  return body as Unwrapped<T>;
}

type Unwrapped<T> = T extends { success: boolean; data: infer D } ? D : T;
