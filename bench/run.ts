/**
 * npm run bench -- <name> [options]   (no name: every benchmark)
 * Benchmarks never run in `npm test`; they print markdown tables recorded in docs/benchmarks.md.
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { formatIngest, runIngest } from './ingest';
import { formatReports, runReports } from './reports';
import { formatKioskSize, runKioskSize } from './kiosk-size';

/** Benchmarks that are their own script (they drive a browser or print their own tables). */
function script(file: string) {
  return async (args: string[]) =>
    execFileSync(path.join('node_modules', '.bin', 'tsx'), [file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
}

const BENCHES: Record<string, (args: string[]) => Promise<string>> = {
  ingest: async (args) => formatIngest(await runIngest(args)),
  reports: async (args) => formatReports(await runReports(args)),
  'kiosk-size': async () => formatKioskSize(await runKioskSize()),
  'kiosk-browser': script('bench/kiosk-browser.ts'),
  validate: script('bench/validate.ts'),
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const names = name ? [name] : Object.keys(BENCHES);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
  for (const n of names) {
    const bench = BENCHES[n];
    if (!bench) throw new Error(`unknown benchmark ${n}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.stdout.write(`\n## ${n}  (npm run bench -- ${[n, ...args].join(' ')})\n\n${await bench(args)}\n`);
  }
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
