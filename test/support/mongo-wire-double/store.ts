/**
 * In-memory databases and collections for the wire double. Keeps index definitions and enforces
 * unique ones (the `_id_` index included) exactly where mongod would: on insert, update and
 * when a unique index is built over existing data. Documents are stored as private BSON copies.
 */
import { deserialize, EJSON, ObjectId, serialize, type Document } from 'bson';
import { Query } from 'mingo';
import { CommandError } from './errors';

export interface IndexSpec {
  v: 2;
  key: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
}

export function clone<T extends Document>(doc: T): T {
  return deserialize(serialize(doc), { promoteLongs: true, promoteValues: true }) as T;
}

export function getPath(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function formatKeyValue(value: Document): string {
  const parts = Object.entries(value).map(([k, v]) => `${k}: ${EJSON.stringify(v === undefined ? null : v)}`);
  return `{ ${parts.join(', ')} }`;
}

class Index {
  readonly entries = new Map<string, Document>();
  private readonly partial: Query | null;

  constructor(readonly spec: IndexSpec) {
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : null;
  }

  /** The unique key of `doc`, or null when the index does not cover it (sparse / partial). */
  keyOf(doc: Document): { key: string; value: Document } | null {
    const fields = Object.keys(this.spec.key);
    const value: Document = {};
    let present = false;
    for (const f of fields) {
      const v = getPath(doc, f);
      if (v !== undefined) present = true;
      value[f] = v === undefined ? null : v;
    }
    if (this.spec.sparse && !present) return null;
    if (this.partial && !this.partial.test(doc)) return null;
    return { key: EJSON.stringify(fields.map((f) => value[f]), { relaxed: false }), value };
  }

  duplicate(ns: string, value: Document): CommandError {
    return new CommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${this.spec.name} dup key: ${formatKeyValue(value)}`,
      { keyPattern: { ...this.spec.key }, keyValue: value },
    );
  }
}

export class Collection {
  docs: Document[] = [];
  readonly indexes = new Map<string, Index>();

  constructor(readonly ns: string) {
    this.indexes.set('_id_', new Index({ v: 2, key: { _id: 1 }, name: '_id_', unique: true }));
  }

  specs(): IndexSpec[] {
    // mongod lists the _id index without a `unique` field although it is unique.
    return [...this.indexes.values()].map((i) => (i.spec.name === '_id_' ? { v: 2, key: { _id: 1 }, name: '_id_' } : { ...i.spec }));
  }

  byId(id: unknown): Document | undefined {
    return this.indexes.get('_id_')!.entries.get(EJSON.stringify([id], { relaxed: false }));
  }

  /** Throws DuplicateKey if `doc` collides with another document (`self` is the one it replaces). */
  private checkUnique(doc: Document, self: Document | null): void {
    for (const index of this.indexes.values()) {
      if (!index.spec.unique) continue;
      const k = index.keyOf(doc);
      if (!k) continue;
      const other = index.entries.get(k.key);
      if (other && other !== self) throw index.duplicate(this.ns, k.value);
    }
  }

  private unlink(doc: Document): void {
    for (const index of this.indexes.values()) {
      const k = index.spec.unique ? index.keyOf(doc) : null;
      if (k && index.entries.get(k.key) === doc) index.entries.delete(k.key);
    }
  }

  private link(doc: Document): void {
    for (const index of this.indexes.values()) {
      const k = index.spec.unique ? index.keyOf(doc) : null;
      if (k) index.entries.set(k.key, doc);
    }
  }

  insert(input: Document): Document {
    const doc = clone(input);
    if (doc._id === undefined) {
      const withId: Document = { _id: new ObjectId(), ...doc };
      return this.insert(withId);
    }
    if (Array.isArray(doc._id)) throw new CommandError('BadValue', "can't use an array for _id");
    // Nested $-prefixed names are storable since 5.0; top-level ones never are.
    const dollar = Object.keys(doc).find((k) => k.startsWith('$'));
    if (dollar) throw new CommandError('BadValue', `Document can't have $ prefixed field names: ${dollar}`);
    this.checkUnique(doc, null);
    this.docs.push(doc);
    this.link(doc);
    return doc;
  }

  replace(old: Document, next: Document): void {
    const doc = clone(next);
    if (EJSON.stringify(doc._id, { relaxed: false }) !== EJSON.stringify(old._id, { relaxed: false })) {
      throw new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    this.checkUnique(doc, old);
    this.unlink(old);
    const at = this.docs.indexOf(old);
    this.docs[at] = doc;
    this.link(doc);
  }

  remove(doc: Document): void {
    this.unlink(doc);
    this.docs = this.docs.filter((d) => d !== doc);
  }

  /** Creates an index; returns false if an identical one exists. */
  createIndex(spec: IndexSpec): boolean {
    const byName = this.indexes.get(spec.name);
    const sameKey = [...this.indexes.values()].find((i) => JSON.stringify(i.spec.key) === JSON.stringify(spec.key));
    const same = (i: Index) => EJSON.stringify(i.spec) === EJSON.stringify(spec);
    if (byName && same(byName)) return false;
    if (byName) {
      throw new CommandError('IndexKeySpecsConflict', `An existing index has the same name as the requested index. Requested index: ${EJSON.stringify(spec)}, existing index: ${EJSON.stringify(byName.spec)}`);
    }
    if (sameKey && !spec.partialFilterExpression && !sameKey.spec.partialFilterExpression) {
      throw new CommandError('IndexOptionsConflict', `An equivalent index already exists with a different name and options. Requested index: ${EJSON.stringify(spec)}, existing index: ${EJSON.stringify(sameKey.spec)}`);
    }
    const index = new Index(spec);
    if (spec.unique) {
      for (const doc of this.docs) {
        const k = index.keyOf(doc);
        if (!k) continue;
        if (index.entries.has(k.key)) throw index.duplicate(this.ns, k.value);
        index.entries.set(k.key, doc);
      }
    }
    this.indexes.set(spec.name, index);
    return true;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new CommandError('IllegalOperation', 'cannot drop _id index');
    if (!this.indexes.delete(name)) throw new CommandError('IndexNotFound', `index not found with name [${name}]`);
  }
}

export class Store {
  private readonly dbs = new Map<string, Map<string, Collection>>();

  private db(name: string): Map<string, Collection> {
    let db = this.dbs.get(name);
    if (!db) {
      db = new Map();
      this.dbs.set(name, db);
    }
    return db;
  }

  get(dbName: string, coll: string): Collection | undefined {
    return this.dbs.get(dbName)?.get(coll);
  }

  /** Returns the collection, creating it implicitly (as writes and createIndexes do). */
  ensure(dbName: string, coll: string): { coll: Collection; created: boolean } {
    if (!/^[^$\0]+$/.test(coll) || coll.startsWith('system.')) {
      throw new CommandError('InvalidNamespace', `Invalid collection name: ${coll}`);
    }
    const db = this.db(dbName);
    const existing = db.get(coll);
    if (existing) return { coll: existing, created: false };
    const created = new Collection(`${dbName}.${coll}`);
    db.set(coll, created);
    return { coll: created, created: true };
  }

  names(dbName: string): string[] {
    return [...(this.dbs.get(dbName)?.keys() ?? [])];
  }

  drop(dbName: string, coll: string): Collection | undefined {
    const db = this.dbs.get(dbName);
    const found = db?.get(coll);
    db?.delete(coll);
    return found;
  }

  dropDatabase(dbName: string): void {
    this.dbs.delete(dbName);
  }
}
