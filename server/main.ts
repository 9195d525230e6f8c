/**
 * Composition root: configuration → logger → storage adapter → services → createApp(deps) → listen.
 * The only file that starts a server.
 */
import type { Server } from 'node:http';
import { loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { openStorage } from './storage/open';
import { buildApp } from './app';
import { loadDataKeys } from './security/data-keys';
import { loadTemplatesIntoEmptyStore } from './seed';
import type { Storage } from './storage/port';

export interface Running {
  server: Server;
  storage: Storage;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Receives the one-time first-admin link (`…/console/setup#token=…`) instead of stdout; for an
   * in-process caller (the e2e tests) that needs the link without it being printed anywhere.
   */
  onSetupLink?: (link: string) => void;
}

/** The console page that creates the first admin; the token travels in the fragment (never sent to the server in a request line or logged). */
export function setupLink(url: string, token: string): string {
  return `${url}console/setup#token=${encodeURIComponent(token)}`;
}

export async function start(
  config: Config = loadConfig(),
  beforeListen?: (storage: Storage) => Promise<void>,
  options: StartOptions = {},
): Promise<Running> {
  const log = createLogger(config.logLevel);
  const storage = await openStorage(config);
  if (config.loadTemplates) await loadTemplatesIntoEmptyStore(storage, log);
  if (beforeListen) await beforeListen(storage);
  const dataKeys = loadDataKeys(config.keys, (msg, file) => log.warn({ file }, msg));
  const { app, services } = buildApp({ config, storage, log, dataKeys });
  // First start: an admin from CUNWEN_ADMIN_* or a one-time setup link; never a default password.
  const boot = await services.auth.bootstrap(config.admin);
  if (boot && 'created' in boot) log.info({ username: boot.created }, 'created the first admin from CUNWEN_ADMIN_USERNAME');
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.on('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`;
  log.info({ url, storage: storage.kind, dataDir: storage.kind === 'sqlite' ? config.dataDir : undefined }, 'CunWen is running');
  if (boot && 'setupToken' in boot) {
    // printed once, on stdout only (not into the structured logs); only its hash is stored
    const link = setupLink(url, boot.setupToken);
    if (options.onSetupLink) options.onSetupLink(link);
    else process.stdout.write(`\n  尚无管理员。请打开以下一次性链接创建第一个管理员 / No admin yet. Open this one-time link to create the first admin:\n  ${link}\n\n`);
  }
  return {
    server, storage, url,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await storage.close();
    },
  };
}

if (require.main === module) {
  start()
    .then((running) => {
      process.stdout.write(`\n  村问 CunWen 已启动 / is running: ${running.url}\n\n`);
      const shutdown = () => { running.stop().finally(() => process.exit(0)); };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    })
    .catch((err: unknown) => {
      process.stderr.write(`CunWen failed to start / 启动失败: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
