import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { loadConfig } from '../../config/app-config.js';
import { buildLoggerParams } from './logging.module.js';
import { redactPaths } from './redaction.js';

type PinoHttpOptions = { transport?: { target: string }; level: string };

function optionsFor(env: Record<string, string>): PinoHttpOptions {
  const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), ...env });
  return buildLoggerParams(config, null).pinoHttp as PinoHttpOptions;
}

describe('logging configuration', () => {
  it('pretty-prints in development only', () => {
    expect(optionsFor({ NODE_ENV: 'development' }).transport?.target).toBe('pino-pretty');
    const production = { NODE_ENV: 'production', DB_CONNECTION_STRING: 'postgres://db/x' };
    expect(optionsFor(production).transport).toBeUndefined();
    expect(optionsFor({ NODE_ENV: 'test' }).transport).toBeUndefined();
  });

  it('takes the level from LOG_LEVEL', () => {
    expect(optionsFor({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).level).toBe('warn');
  });

  it('redacts credentials at any of the first levels of nesting', () => {
    const out: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const log = pino({ redact: { paths: redactPaths(), censor: '[redacted]' } }, sink);
    log.info({
      password: 'p0',
      req: { headers: { authorization: 'Bearer t1', cookie: 'c2', 'x-api-key': 'k3' } },
      body: { user: { secret: 's4', accessToken: 'a5' } },
    });
    const line = out.join('');
    for (const value of ['p0', 't1', 'c2', 'k3', 's4', 'a5']) {
      expect(line).not.toContain(`"${value}`);
    }
    expect(line).toContain('[redacted]');
  });
});
