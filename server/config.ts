import path from 'node:path';
import { z } from 'zod';

/** Parsed once at start from the environment (never read at import time elsewhere). */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  MONGODB_URI: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  SUBMISSION_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(100),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i).default('2mb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLIENT_DIST: z.string().default(path.join('client', 'dist')),
  /** Load the templates in form-definitions/ into an empty store at first start. */
  LOAD_TEMPLATES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri: string | undefined;
  submissionBatchMax: number;
  bodyLimit: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  clientDist: string;
  loadTemplates: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = EnvSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration / 配置有误:\n${lines}`);
  }
  const e = r.data;
  return {
    port: e.PORT, host: e.HOST, dataDir: e.DATA_DIR, mongodbUri: e.MONGODB_URI, submissionBatchMax: e.SUBMISSION_BATCH_MAX,
    bodyLimit: e.BODY_LIMIT, logLevel: e.LOG_LEVEL, clientDist: e.CLIENT_DIST, loadTemplates: e.LOAD_TEMPLATES,
  };
}
