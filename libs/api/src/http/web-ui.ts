import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';

/** Where `npm run build` puts the web UI (apps/web, built by Vite): `dist/web`, beside `dist/libs`. */
export const DEFAULT_WEB_DIR = resolve(__dirname, '../../../../web');

/** Paths that are never the UI's, so an unknown API route still answers the API's 404 in JSON. */
const NOT_UI = /^\/(api|health|metrics)(\/|$)/;

/**
 * Serves the built web UI at `/`: its files, and `index.html` for any other
 * GET that asks for HTML (the UI routes in the browser, so `/runs/<id>` is a
 * real URL). Static files are public like `/health`: the UI itself asks for
 * a token and sends it on every API call. Returns false, serving nothing,
 * when the UI was not built (a process started from sources).
 */
export function serveWebUi(app: INestApplication, dir: string = DEFAULT_WEB_DIR): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const express = app as unknown as NestExpressApplication;
  express.useStaticAssets(dir, {
    index: false,
    // Vite names assets by content hash: they never change under the same name.
    setHeaders: (response: ServerResponse, path: string) => {
      response.setHeader(
        'Cache-Control',
        path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  express.use(
    (
      request: IncomingMessage,
      response: ServerResponse & { sendFile(path: string): void },
      next: () => void,
    ) => {
      const path = (request.url ?? '/').split('?')[0];
      const wantsHtml = (request.headers.accept ?? '').includes('text/html');
      if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_UI.test(path) || !wantsHtml)
        return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(index);
    },
  );
  return true;
}
