import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.database.embedded).toBe(true);
    expect(config.database.url).toBeNull();
    expect(config.database.runMigrations).toBe(true);
    expect(config.scheduler.defaultTimezone).toBe('Asia/Kolkata');
    expect(config.http.throttle).toEqual({
      ttlMs: 900000,
      limit: 100,
      triggerTtlMs: 60000,
      triggerLimit: 10,
      userTtlMs: 60000,
      userLimit: 1200,
    });
    expect(config.http.allowedOrigins).toBe('*');
    expect(config.auth.jwtSecretGenerated).toBe(true);
    expect(config.scheduler.executionRetentionDays).toBe(30);
  });

  it('reads good values with their types', () => {
    const config = loadConfig({
      PORT: '8080',
      DB_CONNECTION_STRING: 'postgresql://u:p@db:5432/x',
      TIMEZONE: 'America/New_York',
      RUN_MIGRATIONS: 'false',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      HTTP_TARGET_ALLOWLIST: 'API.example.com,*.hooks.example',
      JWT_SECRET: 'x'.repeat(32),
    });
    expect(config.port).toBe(8080);
    expect(config.database).toMatchObject({ embedded: false, url: 'postgresql://u:p@db:5432/x' });
    expect(config.database.runMigrations).toBe(false);
    expect(config.scheduler.defaultTimezone).toBe('America/New_York');
    expect(config.http.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.targets.allowlist).toEqual(['api.example.com', '*.hooks.example']);
    expect(config.auth.jwtSecretGenerated).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['TIMEZONE', 'Mars/Olympus'],
    ['NODE_ENV', 'staging'],
    ['RUN_MIGRATIONS', 'maybe'],
    ['DB_CONNECTION_STRING', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['THROTTLE_LIMIT', '0'],
    ['THROTTLE_USER_LIMIT', '0'],
    ['THROTTLE_USER_TTL_MS', '10'],
    ['BODY_LIMIT', 'huge'],
  ])('rejects %s=%s with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it.each(['JWT_SECRET', 'DB_CONNECTION_STRING'])('refuses production without %s', (missing) => {
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      JWT_SECRET: 'y'.repeat(32),
      DB_CONNECTION_STRING: 'postgresql://u@db/x',
    };
    delete env[missing];
    expect(() => loadConfig(env)).toThrow(`${missing} is required when NODE_ENV=production`);
  });

  it('never echoes a secret value in its error', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short-secret' })).toThrow(/JWT_SECRET.*\*\*\*/);
    expect(() => loadConfig({ JWT_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
  });
});
