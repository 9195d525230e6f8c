/**
 * A strict, in-process MongoDB wire-protocol double FOR TESTS ONLY (imported from test/ and bench/,
 * never from server/ or client/). It speaks just enough of mongod's protocol — the OP_QUERY
 * handshake and OP_MSG commands — for the official driver and mongoose to run CunWen's storage
 * adapter against it. Anything it does not implement answers `ok: 0`, never a silent success.
 */
import net from 'node:net';
import { Cursors } from './cursors';
import { runCommand } from './dispatch';
import { CommandError } from './errors';
import { Store } from './store';
import { frameLength, opMsg, opReply, parseMessage, ProtocolError, type Request } from './wire';

export interface MongoWireDouble {
  uri: string;
  stop(): Promise<void>;
}

const HANDSHAKE = new Set(['hello', 'ismaster', 'isMaster']);

export async function startMongoWireDouble(): Promise<MongoWireDouble> {
  const store = new Store();
  const cursors = new Cursors();
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  let nextRequestId = 1;

  function answer(req: Request, connectionId: number): Buffer | null {
    const requestId = nextRequestId++;
    if (req.kind === 'query') {
      const name = Object.keys(req.query)[0] ?? '';
      const reply = req.collection.endsWith('.$cmd') && HANDSHAKE.has(name)
        ? runCommand(req.query, { store, cursors, connectionId }, req.collection.slice(0, -'.$cmd'.length))
        : new CommandError('CommandNotFound', `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`).toReply();
      return opReply(requestId, req.header.requestId, reply);
    }
    const reply = runCommand(req.body, { store, cursors, connectionId });
    return req.moreToCome ? null : opMsg(requestId, req.header.requestId, reply);
  }

  const server = net.createServer((socket) => {
    sockets.add(socket);
    const connectionId = nextConnectionId++;
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      try {
        for (let len = frameLength(pending); len !== null; len = frameLength(pending)) {
          const msg = pending.subarray(0, len);
          pending = pending.subarray(len);
          const out = answer(parseMessage(msg), connectionId);
          if (out) socket.write(out);
        }
      } catch (err) {
        // Malformed framing: a real server closes the connection too.
        if (!(err instanceof ProtocolError)) throw err;
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('wire double: no TCP address');

  return {
    uri: `mongodb://127.0.0.1:${address.port}/?directConnection=true`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
