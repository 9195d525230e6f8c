/**
 * Wire framing for the test-only MongoDB double: parses OP_QUERY / OP_MSG requests and builds
 * OP_REPLY / OP_MSG replies. Nothing else of the legacy protocol is accepted (OP_COMPRESSED is
 * never negotiated because the handshake reply advertises no compressors).
 */
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const HEADER = 16;
const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;
const KNOWN_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME | (1 << 16);

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export type Request =
  | { kind: 'query'; header: Header; collection: string; query: Document }
  | { kind: 'msg'; header: Header; moreToCome: boolean; body: Document };

export class ProtocolError extends Error {}

function readCString(buf: Buffer, at: number): { value: string; next: number } {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new ProtocolError('unterminated cstring');
  return { value: buf.toString('utf8', at, end), next: end + 1 };
}

function readDoc(buf: Buffer, at: number): { doc: Document; next: number } {
  if (at + 4 > buf.length) throw new ProtocolError('truncated document');
  const size = buf.readInt32LE(at);
  if (size < 5 || at + size > buf.length) throw new ProtocolError('bad document size');
  // promoteValues keeps Long → number for small values, and Binary/ObjectId as BSON classes.
  const doc = deserialize(buf.subarray(at, at + size), { promoteLongs: true, promoteValues: true });
  return { doc, next: at + size };
}

/** Returns the length of the next whole message in `buf`, or null if more bytes are needed. */
export function frameLength(buf: Buffer): number | null {
  if (buf.length < 4) return null;
  const len = buf.readInt32LE(0);
  if (len < HEADER || len > 48_000_000) throw new ProtocolError(`bad message length ${len}`);
  return buf.length >= len ? len : null;
}

export function parseMessage(msg: Buffer): Request {
  const header: Header = {
    length: msg.readInt32LE(0),
    requestId: msg.readInt32LE(4),
    responseTo: msg.readInt32LE(8),
    opCode: msg.readInt32LE(12),
  };
  if (header.opCode === OP_QUERY) {
    const name = readCString(msg, HEADER + 4);
    const { doc } = readDoc(msg, name.next + 8);
    return { kind: 'query', header, collection: name.value, query: doc };
  }
  if (header.opCode === OP_MSG) return parseOpMsg(msg, header);
  throw new ProtocolError(`unsupported opcode ${header.opCode}`);
}

function parseOpMsg(msg: Buffer, header: Header): Request {
  const flags = msg.readUInt32LE(HEADER);
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new ProtocolError(`unknown OP_MSG flags ${flags}`);
  const end = flags & CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let at = HEADER + 4;
  let body: Document | null = null;
  const sequences: Record<string, Document[]> = {};
  while (at < end) {
    const kind = msg.readUInt8(at);
    at += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError('two kind-0 sections');
      const r = readDoc(msg, at);
      body = r.doc;
      at = r.next;
    } else if (kind === 1) {
      const size = msg.readInt32LE(at);
      const stop = at + size;
      const id = readCString(msg, at + 4);
      const docs: Document[] = [];
      let p = id.next;
      while (p < stop) {
        const r = readDoc(msg, p);
        docs.push(r.doc);
        p = r.next;
      }
      if (id.value in sequences) throw new ProtocolError(`duplicate sequence ${id.value}`);
      sequences[id.value] = docs;
      at = stop;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without body');
  for (const [name, docs] of Object.entries(sequences)) {
    if (name in body) throw new ProtocolError(`field ${name} both in body and sequence`);
    body[name] = docs;
  }
  return { kind: 'msg', header, moreToCome: (flags & MORE_TO_COME) !== 0, body };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(HEADER);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function opReply(requestId: number, responseTo: number, doc: Document): Buffer {
  const body = Buffer.from(serialize(doc));
  const fixed = Buffer.alloc(20); // responseFlags, cursorID (int64 0), startingFrom, numberReturned
  fixed.writeInt32LE(1, 16);
  const length = HEADER + fixed.length + body.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_REPLY), fixed, body]);
}

export function opMsg(requestId: number, responseTo: number, doc: Document): Buffer {
  const body = Buffer.from(serialize(doc));
  const flagsAndKind = Buffer.alloc(5); // flags 0, section kind 0
  const length = HEADER + flagsAndKind.length + body.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_MSG), flagsAndKind, body]);
}
