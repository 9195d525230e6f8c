/** Server-style command errors: `ok: 0` with errmsg, code and codeName, like mongod answers. */
import type { Document } from 'bson';

export const Codes = {
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  InvalidNamespace: 73,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  CannotCreateIndex: 67,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  ImmutableField: 66,
  DuplicateKey: 11000,
  UnknownField: 40415,
  NotImplemented: 238,
} as const;

export type CodeName = keyof typeof Codes;

export class CommandError extends Error {
  constructor(
    readonly codeName: CodeName,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
  }

  get code(): number {
    return Codes[this.codeName];
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

/** A write error entry (writeErrors[i]) built from a CommandError. */
export function writeError(index: number, err: CommandError): Document {
  return { index, code: err.code, errmsg: err.message, ...err.extra };
}

/** Turns anything thrown into a CommandError: our own pass through, library errors become BadValue. */
export function asCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CommandError('BadValue', message);
}
