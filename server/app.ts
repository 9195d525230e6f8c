/**
 * createApp(deps): the whole HTTP surface, built from injected dependencies. It never listens —
 * server/main.ts does — so tests drive exactly this app with supertest.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Storage } from './storage/port';
import type { Config } from './config';
import { AppError, errorMiddleware } from './http/errors';
import { defineRoute, mountRoutes, type RouteDef } from './http/route';
import { buildOpenApi } from './http/openapi';
import { makeOrgUnitService } from './modules/org-units/org-units.service';
import { orgUnitRoutes } from './modules/org-units/org-units.routes';
import { makeFormService } from './modules/forms/forms.service';
import { formRoutes } from './modules/forms/forms.routes';
import { makeSubmissionService } from './modules/submissions/submissions.service';
import { submissionRoutes } from './modules/submissions/submissions.routes';

export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'submissionBatchMax' | 'clientDist'>;
  storage: Storage;
  log: Logger;
  now?: () => Date;
  version?: string;
}

export interface BuiltApp {
  app: Express;
  /** Every API route with its declared access rule (walked by tests and the OpenAPI document). */
  routes: RouteDef[];
}

export function buildApp(deps: AppDeps): BuiltApp {
  const now = deps.now ?? (() => new Date());
  const { storage, log } = deps;
  const services = {
    orgUnits: makeOrgUnitService({ storage, now }),
    forms: makeFormService({ storage, now }),
    submissions: makeSubmissionService({ storage, now, batchMax: deps.config.submissionBatchMax }),
  };
  const routes: RouteDef[] = [
    ...orgUnitRoutes(services.orgUnits),
    ...formRoutes(services.forms),
    ...submissionRoutes(services.submissions),
  ];
  let openapi: unknown;
  routes.push(defineRoute({
    method: 'get', path: '/openapi.json', tag: 'meta', summary: 'This API described as OpenAPI 3.1',
    access: { kind: 'public', why: 'the API description holds no data' },
    handler: async () => (openapi ??= buildOpenApi(routes, { version: deps.version ?? '0.1.0' })),
  }));

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple'); // no nested objects from ?a[b]=c: nothing to smuggle operators in
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // survey-core sets inline style attributes on elements it renders
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'worker-src': ["'self'"],
        'manifest-src': ["'self'"],
      },
    },
  }));

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    try {
      await storage.ping();
      res.json({ status: 'ready', storage: storage.kind });
    } catch (err) {
      log.warn({ err }, 'storage not ready');
      res.status(503).json({ error: { code: 'STORAGE_UNAVAILABLE', message: new AppError('STORAGE_UNAVAILABLE').message, details: null } });
    }
  });

  const api = express.Router();
  mountRoutes(api, routes, { jsonLimit: deps.config.bodyLimit });
  api.use((req, _res, next) => next(new AppError('ROUTE_NOT_FOUND', { method: req.method, path: req.path })));
  app.use('/api/v1', api);
  app.use('/api', (req, _res, next) => next(new AppError('ROUTE_NOT_FOUND', { method: req.method, path: req.path })));

  // The built client (vite build → client/dist), with the SPA's index.html for unknown paths.
  const dist = path.resolve(deps.config.clientDist);
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    app.use(express.static(dist, {
      index: false,
      setHeaders(res, file) {
        // hashed assets never change; the service worker and the html must always be revalidated
        if (/[.-][A-Za-z0-9_-]{8,}\.(js|css|woff2?)$/.test(file)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else res.setHeader('Cache-Control', 'no-cache');
      },
    }));
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(dist, 'index.html'));
    });
  }
  app.use((req, _res, next) => next(new AppError('ROUTE_NOT_FOUND', { method: req.method, path: req.path })));
  app.use(errorMiddleware(log));
  return { app, routes };
}

export function createApp(deps: AppDeps): Express {
  return buildApp(deps).app;
}
