import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CONSOLE_DIST = join(process.cwd(), 'dist', 'ui');

/**
 * The console's build (dist/ui), made once if missing: `npm run build` makes it before the tests
 * in CI; a bare `npm test` after `npm ci` builds it here (Vite, about 10 s).
 */
export function ensureConsoleBuilt(): string {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
    execFileSync(
      process.execPath,
      [join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'ui/vite.config.ts'],
      { stdio: 'ignore', timeout: 180_000 },
    );
  }
  return CONSOLE_DIST;
}
