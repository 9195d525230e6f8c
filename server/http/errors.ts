import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ERROR_CODES, bilingualMessage, type ErrorCode } from '../../common/errors';

/** The one error type services throw. The middleware below turns it into `{ error: { code, message, details } }`. */
export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode, readonly details?: unknown, message?: string) {
    super(message ?? bilingualMessage(code));
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
  }
}

/** Zod issues as a stable, serialisable list: where, what, and zod's message. */
export function zodDetails(err: ZodError, where: 'body' | 'query' | 'params' | 'item') {
  return {
    issues: err.issues.map((i) => ({ in: where, path: i.path.map(String).join('.'), code: i.code, message: i.message })),
  };
}

interface BodyParserError { type?: string; status?: number }

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let appErr: AppError;
    if (err instanceof AppError) {
      appErr = err;
    } else if (err instanceof ZodError) {
      appErr = new AppError('VALIDATION_FAILED', zodDetails(err, 'body'));
    } else {
      const bp = err as BodyParserError;
      // body-parser's errors carry a `type`; map them to our codes rather than leaking their text.
      if (bp?.type === 'entity.parse.failed') appErr = new AppError('MALFORMED_JSON');
      else if (bp?.type === 'entity.too.large') appErr = new AppError('PAYLOAD_TOO_LARGE');
      else if (bp?.type === 'charset.unsupported' || bp?.type === 'encoding.unsupported') appErr = new AppError('UNSUPPORTED_MEDIA_TYPE');
      else if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500) appErr = new AppError('VALIDATION_FAILED');
      else {
        log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
        appErr = new AppError('INTERNAL');
      }
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(appErr.status).json({ error: { code: appErr.code, message: appErr.message, details: appErr.details ?? null } });
  };
}
