import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { isValidTimeZone } from '../core/time/zone.js';

/** Env strings "true"/"false"/"1"/"0" → boolean; anything else is left for @IsBoolean to reject. */
const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) {
    return true;
  }
  if (['false', '0', 'no', 'off'].includes(v)) {
    return false;
  }
  return value;
};

@ValidatorConstraint({ name: 'isTimeZone' })
class IsTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidTimeZone(value);
  }
  defaultMessage(): string {
    return 'must be an IANA time zone such as Asia/Kolkata or UTC';
  }
}

/**
 * Every environment variable the service reads, in one place.
 * Defaults live in the property initialisers; README and .env.example list the same.
 */
export class EnvDto {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
  DB_CONNECTION_STRING?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** The scheduler's own pool (claims, result writes, recovery): API traffic never waits in it. */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(100)
  DB_SCHEDULER_POOL_SIZE = 6;

  @IsString()
  EMBEDDED_PG_DATA_DIR = './data/pg';

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Transform(toBoolean)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  JWT_SECRET?: string;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  JWT_EXPIRES_IN_S = 3600;

  @IsString()
  JWT_ISSUER = 'job-scheduler';

  /** How long a bearer token's user row is reused before it is read again; 0 reads every time. */
  @IsInt()
  @Min(0)
  @Max(60_000)
  AUTH_USER_CACHE_MS = 2000;

  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z0-9_.-]{3,64}$/, { message: 'must be 3-64 letters, digits, _ . or -' })
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @Validate(IsTimeZoneConstraint)
  TIMEZONE = 'Asia/Kolkata';

  @IsString()
  ALLOWED_ORIGINS = '*';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  THROTTLE_TTL_MS = 900000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT = 100;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  THROTTLE_TRIGGER_TTL_MS = 60000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  THROTTLE_TRIGGER_LIMIT = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  THROTTLE_USER_TTL_MS = 60000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  THROTTLE_USER_LIMIT = 1200;

  @Transform(toBoolean)
  @IsBoolean()
  TRUST_PROXY = false;

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 1mb or 512kb' })
  BODY_LIMIT = '1mb';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  REQUEST_TIMEOUT_MS = 30000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  WEBHOOK_SIGNING_SECRET?: string;

  /** Comma-separated host names (exact, or *.suffix) that http targets may call. Empty: any public host. */
  @IsString()
  HTTP_TARGET_ALLOWLIST = '';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36500)
  EXECUTION_RETENTION_DAYS = 30;

  /** Audit rows older than this are dropped, a whole month at a time. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36500)
  AUDIT_RETENTION_DAYS = 365;

  @Transform(toBoolean)
  @IsBoolean()
  SCHEDULER_ENABLED = true;

  @IsOptional()
  @Matches(/^[a-zA-Z0-9_.:-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ . : or -' })
  REPLICA_ID?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  RECONCILE_INTERVAL_MS = 60000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  HEARTBEAT_INTERVAL_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  WORKER_LOST_AFTER_MS = 30000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60000)
  RECOVERY_SWEEP_INTERVAL_MS = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 25000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  MISFIRE_MAX_CATCHUP = 100;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Alerting (issue 16): the notification sender and the missed / no-success watch. */
  @Transform(toBoolean)
  @IsBoolean()
  NOTIFICATIONS_ENABLED = true;

  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60000)
  NOTIFICATION_POLL_MS = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  NOTIFICATION_MAX_ATTEMPTS = 8;

  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(3600000)
  NOTIFICATION_RETRY_BASE_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(120000)
  NOTIFICATION_TIMEOUT_MS = 10000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3600000)
  ALERT_WATCH_INTERVAL_MS = 5000;
}
