/**
 * createApp(deps): the whole HTTP surface, built from injected dependencies. It never listens —
 * server/main.ts does — so tests drive exactly this app with supertest.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import compression from 'compression';
import type { Logger } from 'pino';
import type { Storage } from './storage/port';
import { DEFAULT_SECURITY, type Config, type SecurityConfig } from './config';
import { AppError, errorMiddleware } from './http/errors';
import { defineRoute, mountRoutes, type RouteDef } from './http/route';
import { buildOpenApi } from './http/openapi';
import { makeOrgUnitService } from './modules/org-units/org-units.service';
import { orgUnitRoutes } from './modules/org-units/org-units.routes';
import { makeFormService } from './modules/forms/forms.service';
import { formRoutes } from './modules/forms/forms.routes';
import { designerRoutes } from './modules/designer/designer.routes';
import { makeSubmissionService } from './modules/submissions/submissions.service';
import { submissionRoutes } from './modules/submissions/submissions.routes';
import { makeAuditService } from './modules/audit/audit.service';
import { auditRoutes } from './modules/audit/audit.routes';
import { makeAuthService } from './modules/auth/auth.service';
import { authRoutes } from './modules/auth/auth.routes';
import { makeUserService } from './modules/users/users.service';
import { userRoutes } from './modules/users/users.routes';
import { makeDeviceService } from './modules/devices/devices.service';
import { deviceRoutes } from './modules/devices/devices.routes';
import { makeReviewService } from './modules/review/review.service';
import { makeRollupEngine } from './modules/reports/rollups';
import { makeReportService } from './modules/reports/reports.service';
import { reportRoutes } from './modules/reports/reports.routes';
import { makeExports } from './modules/reports/exports';
import { maskAnswers, sensitiveFields } from './security/census';
import { makeGuard } from './auth/guard';
import { makeRateLimiter } from './security/rate-limit';
import { makePasswords, type PasswordHashing } from './security/passwords';
import { randomDataKeys, type DataKeys } from './security/data-keys';

export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'submissionBatchMax' | 'clientDist'> & { security?: SecurityConfig; trustProxy?: Config['trustProxy'] };
  storage: Storage;
  /** Keys for census personal data. Omitted: random keys that live as long as the process (tests only — main passes real ones). */
  dataKeys?: DataKeys;
  /** argon2id cost (tests pass cheaper parameters). */
  passwordHashing?: PasswordHashing;
  log: Logger;
  now?: () => Date;
  version?: string;
}

export interface BuiltApp {
  app: Express;
  /** Every API route with its declared access rule (walked by tests and the OpenAPI document). */
  routes: RouteDef[];
  services: ReturnType<typeof makeServices>;
}

function makeServices(deps: AppDeps, now: () => Date) {
  const { storage } = deps;
  const security = deps.config.security ?? DEFAULT_SECURITY;
  const dataKeys = deps.dataKeys ?? randomDataKeys();
  const limiter = makeRateLimiter({ store: storage.rateLimits, now: () => now().getTime(), policies: Object.values(security.rateLimits) });
  const passwords = makePasswords(deps.passwordHashing);
  const audit = makeAuditService({ storage, now });
  // issue 5: scoring at ingestion and rollups; review decisions that change whether a submission counts move its contribution
  const rollups = makeRollupEngine({ storage, now, countedStates: security.countedReviewStates });
  const submissions = makeSubmissionService({ storage, now, batchMax: deps.config.submissionBatchMax, dataKeys, rollups });
  const reviewStorage: Storage = {
    ...storage,
    reviews: {
      ...storage.reviews,
      async record(event) {
        const ok = await storage.reviews.record(event);
        if (ok) await rollups.reviewChanged(event.submissionId, event.fromState, event.toState);
        return ok;
      },
    },
  };
  const reports = makeReportService({ storage, now, engine: rollups });
  const exportsSvc = makeExports({
    storage, reports,
    async mask(form, version, id, answers) {
      if (form.kind !== 'census') return answers;
      const v = await storage.forms.getVersion(form.id, version);
      return v ? maskAnswers(dataKeys, sensitiveFields(v.definition), id, answers) : answers;
    },
  });
  return {
    security, limiter, dataKeys,
    audit,
    auth: makeAuthService({ storage, now, security, passwords, limiter, audit }),
    users: makeUserService({ storage, now, passwords, audit }),
    devices: makeDeviceService({ storage, now, security, limiter, audit }),
    orgUnits: makeOrgUnitService({ storage, now }),
    forms: makeFormService({ storage, now }),
    submissions,
    review: makeReviewService({ storage: reviewStorage, now, dataKeys, audit, submissions }),
    rollups, reports, exports: exportsSvc,
  };
}

export function buildApp(deps: AppDeps): BuiltApp {
  const now = deps.now ?? (() => new Date());
  const { storage, log } = deps;
  const services = makeServices(deps, now);
  const routes: RouteDef[] = [
    ...authRoutes(services.auth, services.security),
    ...userRoutes(services.users),
    ...deviceRoutes(services.devices),
    ...orgUnitRoutes(services.orgUnits),
    ...designerRoutes(services.forms),
    ...formRoutes(services.forms, services.audit),
    ...submissionRoutes(services.submissions, services.review),
    ...auditRoutes(services.audit),
    ...reportRoutes(services.reports, services.rollups, services.exports),
  ];
  // MongoDB without transactions: apply rollups of submissions stored before a crash (see storage/mongo/reports.ts)
  if (storage.kind === 'mongo') services.rollups.repair().catch((err: unknown) => log.error({ err }, 'rollup repair failed'));
  const guard = makeGuard({ storage, now, security: services.security, limiter: services.limiter });
  let openapi: unknown;
  routes.push(defineRoute({
    method: 'get', path: '/openapi.json', tag: 'meta', summary: 'This API described as OpenAPI 3.1',
    access: { kind: 'public', why: 'the API description holds no data' },
    handler: async () => (openapi ??= buildOpenApi(routes, { version: deps.version ?? '0.1.0' })),
  }));

  const app = express();
  app.disable('x-powered-by');
  if (deps.config.trustProxy !== undefined) app.set('trust proxy', deps.config.trustProxy);
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

  // Village networks are slow: gzip the client and JSON. Never the SSE stream, which must flush
  // each event as it happens (compression would buffer it).
  app.use(compression({
    filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') && compression.filter(req, res),
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
  api.use((_req, res, next) => { res.setHeader('Cache-Control', 'no-store'); next(); }); // API answers hold personal data: never cached
  mountRoutes(api, routes, { jsonLimit: deps.config.bodyLimit, guard: guard.check });
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
  return { app, routes, services };
}

export function createApp(deps: AppDeps): Express {
  return buildApp(deps).app;
}
