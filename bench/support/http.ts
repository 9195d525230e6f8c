import http from 'node:http';

export interface JsonResponse { status: number; body: unknown; setCookie: string[] }

/** Minimal JSON client over a keep-alive agent (no dependency, so the client costs little CPU). */
export function jsonClient(baseUrl: string, maxSockets = 8) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const u = new URL(baseUrl);
  return {
    request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = http.request({
          host: u.hostname, port: u.port, path, method, agent,
          headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...headers },
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, setCookie: res.headers['set-cookie'] ?? [] });
          });
        });
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      });
    },
    close() { agent.destroy(); },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Sign in as a staff user: the session cookie and CSRF header every later staff request needs. */
export async function signIn(client: ReturnType<typeof jsonClient>, username: string, password: string): Promise<Record<string, string>> {
  const res = await client.request('POST', '/api/v1/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = res.setCookie.map((c) => c.split(';')[0]).join('; ');
  return { cookie, 'x-csrf-token': (res.body as { csrfToken: string }).csrfToken };
}
