/** argon2id password hashing (OWASP parameters by default; tests may pass cheaper ones). */
import * as argon2 from 'argon2';

export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane. */
export const DEFAULT_PASSWORD_HASHING: PasswordHashing = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function makePasswords(params: PasswordHashing = DEFAULT_PASSWORD_HASHING) {
  let dummy: Promise<string> | null = null;
  const hash = (password: string) => argon2.hash(password, { type: argon2.argon2id, ...params });
  return {
    hash,
    async verify(passwordHash: string, password: string): Promise<boolean> {
      try {
        return await argon2.verify(passwordHash, password);
      } catch {
        return false; // a corrupt stored hash is a failed sign-in, not a 500
      }
    },
    /** Spend the same time for a username that does not exist, so timing reveals nothing. */
    async burn(password: string): Promise<void> {
      dummy ??= hash('not-a-real-password-cunwen');
      await argon2.verify(await dummy, password).catch(() => false);
    },
  };
}
export type Passwords = ReturnType<typeof makePasswords>;
