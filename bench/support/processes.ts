import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface Child { proc: ChildProcess; info: Record<string, unknown>; stop(): Promise<void> }

/** Start a TypeScript entry in its own Node process and wait for the JSON line it prints when ready. */
export function startChild(entry: string, env: Record<string, string>): Promise<Child> {
  const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const proc = spawn(tsx, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: proc.stdout! });
    proc.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const info = JSON.parse(line) as Record<string, unknown>;
      resolve({
        proc, info,
        stop: () => new Promise<void>((done) => { proc.removeAllListeners('exit'); proc.once('exit', () => done()); proc.kill('SIGTERM'); }),
      });
    });
  });
}
