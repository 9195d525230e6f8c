/** The test-only MongoDB wire double in its own process (benchmarks label its figures as such). */
import { startMongoWireDouble } from '../../test/support/mongo-wire-double';

startMongoWireDouble()
  .then((d) => {
    process.stdout.write(`${JSON.stringify({ uri: d.uri })}\n`);
    process.on('SIGTERM', () => { d.stop().finally(() => process.exit(0)); });
  })
  .catch((err: unknown) => { process.stderr.write(`${String(err)}\n`); process.exit(1); });
