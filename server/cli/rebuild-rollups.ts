/**
 * `tsx server/cli/rebuild-rollups.ts` (intended as `npm run rollups:rebuild`): recompute every
 * submission's facts and every rollup from the stored submissions, with the indicator definitions
 * and the COUNTED_REVIEW_STATES in force. Same configuration as the server (DATA_DIR or
 * MONGODB_URI). Run it after changing COUNTED_REVIEW_STATES, after a crash on MongoDB without a
 * replica set, or whenever counts are in doubt; the result equals what incremental updates give.
 * Submissions arriving while it runs may be missed by it: run it while collection is quiet.
 */
import { loadConfig } from '../config';
import { openStorage } from '../storage/open';
import { makeRollupEngine } from '../modules/reports/rollups';

async function main(): Promise<void> {
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    const engine = makeRollupEngine({ storage, now: () => new Date(), countedStates: config.security.countedReviewStates });
    const r = await engine.rebuild();
    process.stdout.write(`汇总已重建 / rollups rebuilt: ${r.submissions} submissions → ${r.rollups} rollups, ${r.itemRollups} item rollups in ${(r.ms / 1000).toFixed(1)} s\n`);
  } finally {
    await storage.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`重建失败 / rebuild failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
