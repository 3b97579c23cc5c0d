import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the web console is served. */
export const CONSOLE_PATH = '/ui';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * The folder Vite built the console into (`vite build` writes `dist/ui`). Compiled, this file is
 * `dist/src/core/http/`; run from source (the tests), it is `src/core/http/`.
 */
export function consoleAssetsDir(): string | undefined {
  // From source, ../../../ui is the console's source folder: a build is the one with assets/.
  return [resolve(HERE, '../../../ui'), resolve(HERE, '../../../dist/ui')].find(
    (dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets')),
  );
}

/** Vite names every built asset after its content hash, so a URL under assets/ never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself is revalidated every time, so a new build is picked up at once. */
const REVALIDATE = 'no-cache';

/**
 * Serves the console's static files under /ui: hashed assets cached for a year, index.html
 * revalidated, and every other path under /ui answered with index.html (the SPA's router takes
 * it from there). A missing asset is a 404, never the page. Without a build, /ui says how to
 * make one.
 */
export function consoleAssets(dir = consoleAssetsDir()): RequestHandler {
  const router = express.Router();
  if (!dir) {
    router.use(CONSOLE_PATH, (_req: Request, res: Response) => {
      res
        .status(404)
        .type('text/plain')
        .send('The web console is not built: run `npm run build` (it builds ui/ into dist/ui).');
    });
    return router;
  }
  const index = join(dir, 'index.html');
  router.use(
    CONSOLE_PATH,
    express.static(dir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res, path) =>
        res.setHeader('Cache-Control', path.includes('/assets/') ? IMMUTABLE : REVALIDATE),
    }),
    (req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/assets/')) {
        next();
        return;
      }
      res.setHeader('Cache-Control', REVALIDATE);
      res.sendFile(index);
    },
  );
  return router;
}
