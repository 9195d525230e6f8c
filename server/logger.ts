import pino, { type DestinationStream, type Logger } from 'pino';

/** Anything that could be a secret or a personal identifier (docs/security.md). */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'req.headers["x-csrf-token"]',
  '*.password', '*.token', '*.secret', '*.nationalId', '*.national_id', '*.phone', '*.answers',
  '*.currentPassword', '*.newPassword', '*.passwordHash', '*.csrfToken', '*.setupToken', '*.tokenHash',
  '*.head_name', '*.changes', '*.dataKey', '*.indexKey',
];

/** Structured logs with the paths above redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
