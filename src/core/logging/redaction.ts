/** Keys whose values never reach a log line, at any of the first four levels of nesting. */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'jwtSecret',
  'signingSecret',
  'authorization',
  'cookie',
  'apiKey',
];

/**
 * pino `redact` paths: every secret key at depth 0..3 (`password`, `*.password`, …), so
 * `req.headers.authorization`, `{ body: { password } }` and `{ err: { config: { token } } }`
 * are all covered, plus header names that are not identifiers.
 */
export function redactPaths(): string[] {
  const prefixes = ['', '*.', '*.*.', '*.*.*.'];
  return [
    ...prefixes.flatMap((p) => SECRET_KEYS.map((k) => `${p}${k}`)),
    'req.headers["x-api-key"]',
    'req.headers["x-metrics-token"]',
    'res.headers["set-cookie"]',
  ];
}
