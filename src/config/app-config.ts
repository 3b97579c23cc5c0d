import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EnvDto } from './env.dto.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  database: {
    /** Null until the embedded server has started (no DB_CONNECTION_STRING given). */
    url: string | null;
    embedded: boolean;
    /** The API's pool. */
    poolSize: number;
    /** The scheduler's pool (claims, result writes, recovery), apart from the API's. */
    schedulerPoolSize: number;
    embeddedDataDir: string;
    embeddedPort: number;
    runMigrations: boolean;
  };
  auth: {
    jwtSecret: string;
    /** True when no JWT_SECRET was given and a per-process secret was generated (development). */
    jwtSecretGenerated: boolean;
    jwtExpiresInS: number;
    jwtIssuer: string;
    /** Reuse of a token's user row; changes made through another replica apply after this. */
    userCacheMs: number;
    adminUsername?: string;
    adminPassword?: string;
  };
  http: {
    allowedOrigins: string[] | '*';
    trustProxy: boolean;
    bodyLimit: string;
    requestTimeoutMs: number;
    throttle: {
      /** Per client IP, unauthenticated requests (login above all). */
      ttlMs: number;
      limit: number;
      /** Per caller (user id, else IP) on manual trigger routes. */
      triggerTtlMs: number;
      triggerLimit: number;
      /** Per user, authenticated requests. */
      userTtlMs: number;
      userLimit: number;
    };
  };
  log: { level: string; pretty: boolean };
  scheduler: {
    enabled: boolean;
    defaultTimezone: string;
    replicaId: string;
    reconcileIntervalMs: number;
    heartbeatIntervalMs: number;
    workerLostAfterMs: number;
    recoverySweepIntervalMs: number;
    shutdownGraceMs: number;
    misfireMaxCatchup: number;
    executionRetentionDays: number;
  };
  targets: { signingSecret?: string; allowlist: string[] };
  audit: { retentionDays: number };
  metrics: { token?: string };
  alerts: {
    /** This replica sends notifications and runs the missed / no-success watch. */
    enabled: boolean;
    pollMs: number;
    maxAttempts: number;
    /** First retry delay; doubles per attempt (capped at 15 minutes). */
    retryBaseMs: number;
    timeoutMs: number;
    watchIntervalMs: number;
  };
}

export class ConfigError extends Error {}

/** One line per bad variable: `PORT must be an integer number (got "abc")`. */
function describe(errors: ValidationError[], env: Record<string, string | undefined>): string {
  return errors
    .map((e) => {
      const reasons = Object.values(e.constraints ?? {}).join(', ');
      const raw = env[e.property];
      const shown = /SECRET|PASSWORD|TOKEN|CONNECTION/.test(e.property) ? '***' : raw;
      return `${e.property} ${reasons.replace(`${e.property} `, '')}${raw === undefined ? '' : ` (got "${shown}")`}`;
    })
    .join('; ');
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Parses and validates the environment. Throws ConfigError with one readable line. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const dto = plainToInstance(EnvDto, present, { exposeDefaultValues: true });
  const errors = validateSync(dto, { whitelist: false });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration: ${describe(errors, env)}`);
  }
  if (dto.NODE_ENV === 'production') {
    for (const name of ['JWT_SECRET', 'DB_CONNECTION_STRING'] as const) {
      if (!dto[name]) {
        throw new ConfigError(
          `Invalid configuration: ${name} is required when NODE_ENV=production`,
        );
      }
    }
  }
  const origins = list(dto.ALLOWED_ORIGINS);
  return {
    env: dto.NODE_ENV as AppConfig['env'],
    port: dto.PORT,
    database: {
      url: dto.DB_CONNECTION_STRING ?? null,
      embedded: !dto.DB_CONNECTION_STRING,
      poolSize: dto.DB_POOL_SIZE,
      schedulerPoolSize: dto.DB_SCHEDULER_POOL_SIZE,
      embeddedDataDir: dto.EMBEDDED_PG_DATA_DIR,
      embeddedPort: dto.EMBEDDED_PG_PORT,
      runMigrations: dto.RUN_MIGRATIONS,
    },
    auth: {
      jwtSecret: dto.JWT_SECRET ?? randomBytes(32).toString('hex'),
      jwtSecretGenerated: !dto.JWT_SECRET,
      jwtExpiresInS: dto.JWT_EXPIRES_IN_S,
      jwtIssuer: dto.JWT_ISSUER,
      userCacheMs: dto.AUTH_USER_CACHE_MS,
      adminUsername: dto.ADMIN_USERNAME,
      adminPassword: dto.ADMIN_PASSWORD,
    },
    http: {
      allowedOrigins: origins.length === 0 || origins.includes('*') ? '*' : origins,
      trustProxy: dto.TRUST_PROXY,
      bodyLimit: dto.BODY_LIMIT,
      requestTimeoutMs: dto.REQUEST_TIMEOUT_MS,
      throttle: {
        ttlMs: dto.THROTTLE_TTL_MS,
        limit: dto.THROTTLE_LIMIT,
        triggerTtlMs: dto.THROTTLE_TRIGGER_TTL_MS,
        triggerLimit: dto.THROTTLE_TRIGGER_LIMIT,
        userTtlMs: dto.THROTTLE_USER_TTL_MS,
        userLimit: dto.THROTTLE_USER_LIMIT,
      },
    },
    log: { level: dto.LOG_LEVEL, pretty: dto.NODE_ENV === 'development' },
    scheduler: {
      enabled: dto.SCHEDULER_ENABLED,
      defaultTimezone: dto.TIMEZONE,
      replicaId: dto.REPLICA_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      reconcileIntervalMs: dto.RECONCILE_INTERVAL_MS,
      heartbeatIntervalMs: dto.HEARTBEAT_INTERVAL_MS,
      workerLostAfterMs: dto.WORKER_LOST_AFTER_MS,
      recoverySweepIntervalMs: dto.RECOVERY_SWEEP_INTERVAL_MS,
      shutdownGraceMs: dto.SHUTDOWN_GRACE_MS,
      misfireMaxCatchup: dto.MISFIRE_MAX_CATCHUP,
      executionRetentionDays: dto.EXECUTION_RETENTION_DAYS,
    },
    targets: {
      signingSecret: dto.WEBHOOK_SIGNING_SECRET,
      allowlist: list(dto.HTTP_TARGET_ALLOWLIST).map((h) => h.toLowerCase()),
    },
    metrics: { token: dto.METRICS_TOKEN },
    alerts: {
      enabled: dto.NOTIFICATIONS_ENABLED,
      pollMs: dto.NOTIFICATION_POLL_MS,
      maxAttempts: dto.NOTIFICATION_MAX_ATTEMPTS,
      retryBaseMs: dto.NOTIFICATION_RETRY_BASE_MS,
      timeoutMs: dto.NOTIFICATION_TIMEOUT_MS,
      watchIntervalMs: dto.ALERT_WATCH_INTERVAL_MS,
    },
    audit: { retentionDays: dto.AUDIT_RETENTION_DAYS },
  };
}
