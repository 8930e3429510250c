// The web UI at /ui/ (Marathon serves its UI there too): the files of the UI package's built
// bundle, found through that package's public entry point and handed in by the wiring. Hashed
// assets are cached for good; index.html is revalidated each time, so a new build shows at once.
// A client route (/ui/apps/prod/web) answers index.html and the page routes itself.
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import express, { Router, type Response } from 'express';
import { UiNotBuilt } from '../errors';

/** Vite names every file under assets/ by its content hash. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** A path whose last segment has no dot is a page of the app, not a file. */
const isClientRoute = (path: string): boolean => !(path.split('/').pop() ?? '').includes('.');

export function uiRoutes(bundleDir: string): Router {
  const router = Router({ strict: true });
  const index = join(bundleDir, 'index.html');
  const assets = join(bundleDir, 'assets') + sep;
  const sendIndex = (res: Response): void => {
    res.setHeader('Cache-Control', REVALIDATE);
    res.sendFile(index, { cacheControl: false });
  };
  router.get('/ui', (_req, res) => res.redirect(301, '/ui/'));
  router.use('/ui', (req, _res, next) => {
    // Checked per request, so a Marathon started before the build serves the UI once it is built.
    if ((req.method === 'GET' || req.method === 'HEAD') && !existsSync(index)) throw new UiNotBuilt();
    next();
  });
  router.use('/ui', express.static(bundleDir, {
    index: false,
    redirect: false,
    cacheControl: false,
    dotfiles: 'ignore',
    setHeaders: (res: Response, path: string) => {
      res.setHeader('Cache-Control', path.startsWith(assets) ? IMMUTABLE : REVALIDATE);
    },
  }));
  router.get('/ui/', (_req, res) => sendIndex(res));
  router.get('/ui/*path', (req, res, next) => (isClientRoute(req.path) ? sendIndex(res) : next()));
  return router;
}
