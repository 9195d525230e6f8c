/** The real CunWen server in its own process for benchmarks; prints {"url": ...} when listening. */
import { loadConfig } from '../../server/config';
import { start } from '../../server/main';

start(loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }))
  .then((running) => {
    process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
    process.on('SIGTERM', () => { running.stop().finally(() => process.exit(0)); });
  })
  .catch((err: unknown) => { process.stderr.write(`${String(err)}\n`); process.exit(1); });
