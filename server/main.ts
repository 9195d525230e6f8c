/**
 * Composition root: configuration → logger → storage adapter → services → createApp(deps) → listen.
 * The only file that starts a server.
 */
import type { Server } from 'node:http';
import { loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { openStorage } from './storage/open';
import { createApp } from './app';
import { loadTemplatesIntoEmptyStore } from './seed';
import type { Storage } from './storage/port';

export interface Running {
  server: Server;
  storage: Storage;
  url: string;
  stop(): Promise<void>;
}

export async function start(config: Config = loadConfig(), beforeListen?: (storage: Storage) => Promise<void>): Promise<Running> {
  const log = createLogger(config.logLevel);
  const storage = await openStorage(config);
  if (config.loadTemplates) await loadTemplatesIntoEmptyStore(storage, log);
  if (beforeListen) await beforeListen(storage);
  const app = createApp({ config, storage, log });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.on('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`;
  log.info({ url, storage: storage.kind, dataDir: storage.kind === 'sqlite' ? config.dataDir : undefined }, 'CunWen is running');
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
