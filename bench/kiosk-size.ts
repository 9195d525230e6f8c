/**
 * Kiosk first-load size: builds the kiosk (client/vite.config.ts) and a bare React + SurveyJS
 * hello world (bench/fixtures/hello-surveyjs) in the same run, and reports the JavaScript + CSS
 * each page's index.html loads before anything lazy (entry scripts, modulepreloads, stylesheets),
 * raw and gzipped (zlib level 6, what a typical web server sends; level 9 beside it).
 *
 *   npx tsx bench/kiosk-size.ts            (prints a markdown table)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..');

export interface FileSize {
  file: string;
  raw: number;
  gzip6: number;
  gzip9: number;
}

export interface PageSize {
  name: string;
  initial: FileSize[];
  lazy: FileSize[];
  totals: { raw: number; gzip6: number; gzip9: number; js6: number; css6: number };
}

function sizeOf(dir: string, file: string): FileSize {
  const buf = fs.readFileSync(path.join(dir, file));
  return { file, raw: buf.length, gzip6: zlib.gzipSync(buf, { level: 6 }).length, gzip9: zlib.gzipSync(buf, { level: 9 }).length };
}

/** The JS and CSS that index.html pulls in before any dynamic import. */
export function initialAssets(dist: string): string[] {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) if (m[1]) refs.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g)) if (m[1]) refs.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g)) if (m[1]) refs.add(m[1]);
  return [...refs].map((r) => r.replace(/^\.?\//, '')).filter((r) => /\.(js|css)$/.test(r));
}

function measure(name: string, dist: string): PageSize {
  const initialFiles = initialAssets(dist);
  const initial = initialFiles.map((f) => sizeOf(dist, f));
  const all = fs.readdirSync(path.join(dist, 'assets')).map((f) => `assets/${f}`).filter((f) => /\.(js|css)$/.test(f));
  const lazy = all.filter((f) => !initialFiles.includes(f)).map((f) => sizeOf(dist, f));
  const sum = (xs: FileSize[], k: keyof Omit<FileSize, 'file'>) => xs.reduce((a, x) => a + x[k], 0);
  return {
    name, initial, lazy,
    totals: {
      raw: sum(initial, 'raw'), gzip6: sum(initial, 'gzip6'), gzip9: sum(initial, 'gzip9'),
      js6: sum(initial.filter((f) => f.file.endsWith('.js')), 'gzip6'), css6: sum(initial.filter((f) => f.file.endsWith('.css')), 'gzip6'),
    },
  };
}

export async function runKioskSize(): Promise<{ kiosk: PageSize; hello: PageSize }> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-size-'));
  try {
    const kioskDist = path.join(out, 'kiosk');
    const helloDist = path.join(out, 'hello');
    // The Vite CLI, exactly as `npm run build:client` runs it (Vite is ESM-only; this script may run as CJS).
    const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
    const viteBuild = (config: string, outDir: string) =>
      execFileSync(process.execPath, [vite, 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
        cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      });
    viteBuild(path.join(ROOT, 'client/vite.config.ts'), kioskDist);
    viteBuild(path.join(ROOT, 'bench/fixtures/hello-surveyjs/vite.config.ts'), helloDist);
    return { kiosk: measure('kiosk', kioskDist), hello: measure('React + SurveyJS hello world', helloDist) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function formatKioskSize(r: { kiosk: PageSize; hello: PageSize }): string {
  const rows = [r.hello, r.kiosk].map((p) =>
    `| ${p.name} | ${kb(p.totals.raw)} | ${kb(p.totals.js6)} | ${kb(p.totals.css6)} | **${kb(p.totals.gzip6)}** | ${kb(p.totals.gzip9)} |`);
  const delta = r.kiosk.totals.gzip6 - r.hello.totals.gzip6;
  const files = r.kiosk.initial.map((f) => `| initial | ${f.file} | ${kb(f.raw)} | ${kb(f.gzip6)} |`)
    .concat(r.kiosk.lazy.map((f) => `| lazy | ${f.file} | ${kb(f.raw)} | ${kb(f.gzip6)} |`));
  return [
    '| page | initial JS+CSS raw | JS gzip | CSS gzip | JS+CSS gzip (level 6) | gzip level 9 |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Kiosk over the bare hello world: ${kb(delta)} gzipped (target: kiosk ≤ 550 KB).`,
    '',
    '| kiosk load | file | raw | gzip |',
    '|---|---|---|---|',
    ...files,
  ].join('\n');
}

if (require.main === module) {
  runKioskSize()
    .then((r) => process.stdout.write(`${formatKioskSize(r)}\n`))
    .catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
}
