/**
 * `npm run demo`: the product on its own demo store (DATA_DIR defaults to ./data-demo) with an
 * example org-unit tree, clearly named as examples, so a newcomer sees every screen populated.
 * A plain `npm start` never creates example data.
 */
import { loadConfig } from './config';
import { start } from './main';
import { seedExampleOrgUnits, seedExampleSubmissions } from './demo-data';

const config = loadConfig({ DATA_DIR: './data-demo', ...process.env });
start(config, async (storage) => {
  await seedExampleOrgUnits(storage);
  const n = await seedExampleSubmissions(storage);
  if (n) process.stdout.write(`  示例答卷 example submissions: ${n}\n`);
})
  .then((running) => {
    process.stdout.write(`\n  村问 CunWen 演示 / demo: ${running.url}\n  (示例数据 example data in ${config.dataDir})\n\n`);
    const shutdown = () => { running.stop().finally(() => process.exit(0)); };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  })
  .catch((err: unknown) => {
    process.stderr.write(`demo failed / 演示启动失败: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
