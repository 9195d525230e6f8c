import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname);
const pkg = JSON.parse(fs.readFileSync(path.resolve(root, '..', 'package.json'), 'utf8')) as { version: string };

/**
 * `cunwen-sw`: emits dist/sw.js from client/sw.template.js with the list of files to precache
 * (the app shell, every emitted JS/CSS chunk including lazy ones, public/ files) and a cache name
 * derived from their content, so each build gets a new cache and the old one is deleted.
 */
function serviceWorker(): Plugin {
  return {
    name: 'cunwen-sw',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = new Map<string, string>();
      for (const [fileName, item] of Object.entries(bundle)) {
        if (fileName === 'sw.js' || fileName.endsWith('.map')) continue;
        files.set(`/${fileName === 'index.html' ? 'index.html' : fileName}`, item.type === 'chunk' ? item.code : String(item.source));
      }
      const publicDir = path.join(root, 'public');
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else files.set(`/${path.relative(publicDir, full).split(path.sep).join('/')}`, fs.readFileSync(full, 'latin1'));
        }
      };
      if (fs.existsSync(publicDir)) walk(publicDir);
      files.set('/index.html', fs.readFileSync(path.join(root, 'index.html'), 'utf8') + (files.get('/index.html') ?? ''));
      const urls = [...files.keys()].sort();
      const hash = crypto.createHash('sha256');
      for (const u of urls) hash.update(u).update('\0').update(files.get(u) ?? '').update('\0');
      const build = hash.digest('hex').slice(0, 12);
      const template = fs.readFileSync(path.join(root, 'sw.template.js'), 'utf8');
      const source = template.replace('__CUNWEN_BUILD__', build).replace('__CUNWEN_PRECACHE__', JSON.stringify(urls, null, 1));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), serviceWorker()],
  define: {
    __CUNWEN_VERSION__: JSON.stringify(`${pkg.version}+${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}`),
  },
  build: {
    outDir: path.resolve(root, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/healthz': 'http://localhost:8080', '/readyz': 'http://localhost:8080' },
  },
});
