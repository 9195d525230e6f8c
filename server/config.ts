import path from 'node:path';
import { z } from 'zod';
import type { ReviewState } from '../common/api/submissions';
import { parseCountedReviewStates } from '../common/review';
import type { BucketPolicy } from './security/rate-limit';

/** Parsed once at start from the environment (never read at import time elsewhere). */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  // Not z.url(): a replica-set URI lists several hosts (mongodb://h1,h2,h3/db?replicaSet=rs0), which is no URL.
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must start with mongodb:// or mongodb+srv://').optional()
    .or(z.literal('').transform(() => undefined)),
  SUBMISSION_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(100),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i).default('2mb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLIENT_DIST: z.string().default(path.join('client', 'dist')),
  /** Load the templates in form-definitions/ into an empty store at first start. */
  LOAD_TEMPLATES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  // ---- access and security (docs/security.md) ----
  CUNWEN_ADMIN_USERNAME: z.string().optional(),
  CUNWEN_ADMIN_PASSWORD: z.string().optional(),
  /** base64 of 32 bytes; else CUNWEN_DATA_KEY_FILE; else a key file generated under DATA_DIR */
  CUNWEN_DATA_KEY: z.string().optional(),
  CUNWEN_DATA_KEY_PREVIOUS: z.string().optional(),
  CUNWEN_INDEX_KEY: z.string().optional(),
  CUNWEN_DATA_KEY_FILE: z.string().optional(),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: z.string().default('false'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  ENROLMENT_CODE_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(24),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_DEVICE_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  COUNTED_REVIEW_STATES: z.string().optional(),
});

export interface SecurityConfig {
  /** 'auto': Secure when the request came over https (set TRUST_PROXY behind a TLS proxy) */
  cookieSecure: 'auto' | boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  enrolmentHours: number;
  rateLimits: { user: BucketPolicy; device: BucketPolicy; login: BucketPolicy; enrol: BucketPolicy };
  countedReviewStates: ReviewState[];
}

export const DEFAULT_SECURITY: SecurityConfig = {
  cookieSecure: 'auto',
  sessionIdleMinutes: 60,
  sessionMaxHours: 12,
  loginMaxFailures: 5,
  loginLockMinutes: 15,
  enrolmentHours: 24,
  rateLimits: {
    user: { burst: 600, perMinute: 600 },
    device: { burst: 120, perMinute: 120 },
    login: { burst: 10, perMinute: 10 },
    enrol: { burst: 30, perMinute: 30 },
  },
  countedReviewStates: parseCountedReviewStates(undefined),
};

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
  security: SecurityConfig;
  /** Express "trust proxy" (false, true, a hop count or a list of addresses) */
  trustProxy: boolean | number | string;
  admin: { username: string; password: string } | null;
  keys: { dataKey?: string; previousDataKeys?: string; indexKey?: string; dataKeyFile?: string; dataDir: string };
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
    security: {
      cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
      sessionMaxHours: e.SESSION_MAX_HOURS,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginLockMinutes: e.LOGIN_LOCK_MINUTES,
      enrolmentHours: e.ENROLMENT_CODE_HOURS,
      rateLimits: {
        ...DEFAULT_SECURITY.rateLimits,
        user: { burst: e.RATE_LIMIT_USER_PER_MINUTE, perMinute: e.RATE_LIMIT_USER_PER_MINUTE },
        device: { burst: e.RATE_LIMIT_DEVICE_PER_MINUTE, perMinute: e.RATE_LIMIT_DEVICE_PER_MINUTE },
      },
      countedReviewStates: countedStates(e.COUNTED_REVIEW_STATES),
    },
    trustProxy: e.TRUST_PROXY === 'true' ? true : e.TRUST_PROXY === 'false' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    admin: adminFromEnv(e.CUNWEN_ADMIN_USERNAME, e.CUNWEN_ADMIN_PASSWORD),
    keys: {
      dataDir: e.DATA_DIR,
      ...(e.CUNWEN_DATA_KEY ? { dataKey: e.CUNWEN_DATA_KEY } : {}),
      ...(e.CUNWEN_DATA_KEY_PREVIOUS ? { previousDataKeys: e.CUNWEN_DATA_KEY_PREVIOUS } : {}),
      ...(e.CUNWEN_INDEX_KEY ? { indexKey: e.CUNWEN_INDEX_KEY } : {}),
      ...(e.CUNWEN_DATA_KEY_FILE ? { dataKeyFile: e.CUNWEN_DATA_KEY_FILE } : {}),
    },
  };
}

function countedStates(v: string | undefined): ReviewState[] {
  try {
    return parseCountedReviewStates(v);
  } catch (err) {
    throw new Error(`Invalid configuration / 配置有误:\n  COUNTED_REVIEW_STATES: ${(err as Error).message}`);
  }
}

function adminFromEnv(username: string | undefined, password: string | undefined): { username: string; password: string } | null {
  if (!username && !password) return null;
  if (!username || !password) throw new Error('Invalid configuration / 配置有误:\n  CUNWEN_ADMIN_USERNAME and CUNWEN_ADMIN_PASSWORD go together');
  if (password.length < 10) throw new Error('Invalid configuration / 配置有误:\n  CUNWEN_ADMIN_PASSWORD: at least 10 characters');
  return { username: username.trim().toLowerCase(), password };
}
