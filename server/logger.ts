import pino, { type Logger } from 'pino';

/** Structured logs; anything that could be a secret or a personal identifier is redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
        '*.password', '*.token', '*.secret', '*.nationalId', '*.national_id', '*.phone', '*.answers',
        'req.headers["x-csrf-token"]', '*.currentPassword', '*.newPassword', '*.passwordHash', '*.csrfToken',
        '*.setupToken', '*.tokenHash', '*.head_name', '*.changes', '*.dataKey', '*.indexKey',
      ],
      censor: '[redacted]',
    },
  });
}
