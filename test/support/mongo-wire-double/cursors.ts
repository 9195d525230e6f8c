/** Server-side cursors: a snapshot of results handed out in batches by find/aggregate/getMore. */
import { Long, type Document } from 'bson';
import { CommandError } from './errors';

interface Cursor {
  ns: string;
  docs: Document[];
  pos: number;
}

export const DEFAULT_BATCH = 101;

export class Cursors {
  private readonly open = new Map<number, Cursor>();
  private nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000);

  /** Builds the `cursor` reply field; keeps a cursor open when documents remain. */
  first(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): Document {
    const size = batchSize === undefined ? DEFAULT_BATCH : batchSize;
    const firstBatch = size === 0 && !singleBatch ? [] : docs.slice(0, singleBatch && size === 0 ? docs.length : size);
    let id = 0;
    if (!singleBatch && firstBatch.length < docs.length) {
      id = this.nextId++;
      this.open.set(id, { ns, docs, pos: firstBatch.length });
    }
    return { firstBatch, id: Long.fromNumber(id), ns };
  }

  more(id: number, collection: string, dbName: string, batchSize: number | undefined): Document {
    const cursor = this.open.get(id);
    if (!cursor) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== `${dbName}.${collection}`) {
      throw new CommandError('BadValue', `Requested getMore on namespace '${dbName}.${collection}', but cursor belongs to a different namespace ${cursor.ns}`);
    }
    const end = batchSize === undefined || batchSize === 0 ? cursor.docs.length : cursor.pos + batchSize;
    const nextBatch = cursor.docs.slice(cursor.pos, end);
    cursor.pos += nextBatch.length;
    const done = cursor.pos >= cursor.docs.length;
    if (done) this.open.delete(id);
    return { nextBatch, id: Long.fromNumber(done ? 0 : id), ns: cursor.ns };
  }

  kill(ids: number[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
  }

  get size(): number {
    return this.open.size;
  }
}
