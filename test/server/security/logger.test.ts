import { Writable } from 'node:stream';
import { createLogger } from '../../../server/logger';

describe('log redaction', () => {
  it('redacts tokens, passwords, cookies, CSRF tokens and personal identifiers', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const log = createLogger('info', sink);
    log.info({
      req: { headers: { authorization: 'Bearer secret-token', cookie: 'cw_session=abc', 'x-csrf-token': 'csrf-value' } },
      body: { password: 'pw-123', token: 'tok', nationalId: '110105194912310021', currentPassword: 'old', newPassword: 'new' },
      user: { passwordHash: '$argon2id$...', csrfToken: 'c' },
      submission: { answers: { head_name: '张三' } },
    }, 'request');
    const out = lines.join('');
    expect(out).toContain('"msg":"request"');
    for (const s of ['secret-token', 'cw_session=abc', 'csrf-value', 'pw-123', '"tok"', '110105194912310021', '"old"', '"new"', '$argon2id$', '张三']) expect(out).not.toContain(s);
    expect(out).toContain('[redacted]');
  });
});
