import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../types';
import { notFound } from '../../errors';
import { documentCommonErrors } from '../../schemas/responses';

/** Swagger UI assets come from the installed swagger-ui-dist package: no CDN, works offline. */
const ASSET_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Wellflow API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  <link rel="icon" href="/docs/assets/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/docs-init.js"></script>
</body>
</html>`;

// Kept as a separate script file so the page works under a strict Content-Security-Policy (no inline JS).
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });`;

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Wellflow API',
    version: '1.0.0',
    description:
      'Durable workflows for a wellness app. Errors always use the `Error` envelope. Auth: `Authorization: Bearer <JWT>` (mint one with `npx wellflow token`).',
  },
};

export function registerDocsRoutes(app: App): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  // Built once, on the first request (every router is mounted by then), with the error responses each
  // operation's traits imply (schemas/responses.ts) added to what the routes declare.
  let document: ReturnType<App['getOpenAPI31Document']> | undefined;
  app.get('/openapi.json', (c) => {
    if (!document) {
      documentCommonErrors(app);
      document = app.getOpenAPI31Document(DOCUMENT);
    }
    return c.json(document);
  });
  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/assets/docs-init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) throw notFound('asset', file);
    const body = await fs.promises.readFile(path.join(ASSET_DIR, file));
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
}
