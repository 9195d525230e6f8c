/** Handshake and administrative commands of a standalone mongod. */
import { type Document } from 'bson';
import { CommandError } from './errors';
import { checkFields, type Ctx, type Handler } from './context';

export const MAX_WIRE_VERSION = 21; // MongoDB 7.0
export const SERVER_VERSION = [7, 0, 0, 0] as const;

/** The hello reply of a writable standalone: no setName, no topologyVersion (so no streaming monitor). */
export function helloReply(ctx: Pick<Ctx, 'connectionId'>, legacy: boolean): Document {
  return {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    helloOk: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

const HELLO_FIELDS = ['helloOk', 'backpressure', 'client', 'compression', 'loadBalanced', 'maxAwaitTimeMS', 'topologyVersion'];

function hello(legacy: boolean): Handler {
  return (cmd, ctx) => {
    checkFields(cmd, HELLO_FIELDS);
    if (cmd.loadBalanced === true) {
      throw new CommandError('BadValue', 'The server is not configured for load balanced mode');
    }
    return helloReply(ctx, legacy);
  };
}

const ping: Handler = (cmd) => {
  checkFields(cmd, []);
  return { ok: 1 };
};

const buildInfo: Handler = (cmd) => {
  checkFields(cmd, []);
  return {
    version: SERVER_VERSION.slice(0, 3).join('.'),
    versionArray: [...SERVER_VERSION],
    gitVersion: 'wire-double',
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['inMemory'],
    ok: 1,
  };
};

const endSessions: Handler = (cmd) => {
  checkFields(cmd, []);
  if (!Array.isArray(cmd.endSessions)) throw new CommandError('TypeMismatch', "BSON field 'endSessions.endSessions' is the wrong type, expected type 'array'");
  return { ok: 1 };
};

export const adminCommands: Record<string, Handler> = {
  hello: hello(false),
  ismaster: hello(true),
  isMaster: hello(true),
  ping,
  buildInfo,
  buildinfo: buildInfo,
  endSessions,
};
