/** Routes one command document to its handler; every failure becomes an `ok: 0` reply. */
import type { Document } from 'bson';
import { asCommandError, CommandError } from './errors';
import type { Ctx, Handler } from './context';
import { adminCommands } from './admin';
import { readCommands } from './read';
import { writeCommands } from './write';
import { ddlCommands } from './ddl';

const HANDLERS: Record<string, Handler> = { ...adminCommands, ...readCommands, ...writeCommands, ...ddlCommands };
const TXN_FIELDS = ['txnNumber', 'startTransaction', 'autocommit'];

export function runCommand(body: Document, ctx: Omit<Ctx, 'db'>, dbFromNamespace?: string): Document {
  try {
    const name = Object.keys(body)[0];
    if (name === undefined) throw new CommandError('FailedToParse', 'empty command');
    // A standalone mongod refuses anything transactional (and retryable writes) outright.
    if (TXN_FIELDS.some((f) => f in body)) {
      throw new CommandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
    }
    const db = dbFromNamespace ?? body.$db;
    if (typeof db !== 'string' || db === '') throw new CommandError('FailedToParse', "OP_MSG requests require a $db argument");
    const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    return handler(body, { ...ctx, db });
  } catch (err) {
    return asCommandError(err).toReply();
  }
}
