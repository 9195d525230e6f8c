/** Collection and index commands: create, drop, dropDatabase, createIndexes, listIndexes, dropIndexes, listCollections. */
import type { Document } from 'bson';
import { CommandError } from './errors';
import { checkFields, collectionName, docArray, optCount, optDoc, type Handler } from './context';
import { select } from './read';
import type { IndexSpec } from './store';

const INDEX_OPTIONS = ['key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'background', 'v'];

function toSpec(raw: Document): IndexSpec {
  for (const k of Object.keys(raw)) {
    if (!INDEX_OPTIONS.includes(k)) throw new CommandError('CannotCreateIndex', `index option '${k}' is not supported by the wire double`);
  }
  const key = optDoc(raw, 'key');
  if (!key || Object.keys(key).length === 0) throw new CommandError('CannotCreateIndex', 'Index keys cannot be empty.');
  for (const [field, dir] of Object.entries(key)) {
    if (dir !== 1 && dir !== -1) throw new CommandError('CannotCreateIndex', `Unsupported index type for field ${field}: ${String(dir)}`);
  }
  if (typeof raw.name !== 'string' || raw.name === '') throw new CommandError('FailedToParse', "The 'name' field is a required property of an index specification");
  const spec: IndexSpec = { v: 2, key: key as Record<string, 1 | -1>, name: raw.name };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  const pfe = optDoc(raw, 'partialFilterExpression');
  if (pfe) spec.partialFilterExpression = pfe;
  return spec;
}

const createIndexes: Handler = (cmd, ctx) => {
  checkFields(cmd, ['indexes', 'writeConcern']);
  const specs = docArray(cmd, 'indexes').map(toSpec);
  const { coll, created } = ctx.store.ensure(ctx.db, collectionName(cmd));
  const before = coll.indexes.size;
  let added = 0;
  for (const spec of specs) if (coll.createIndex(spec)) added++;
  return {
    createdCollectionAutomatically: created,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size,
    ...(added === 0 ? { note: 'all indexes already exist' } : {}),
    ok: 1,
  };
};

const listIndexes: Handler = (cmd, ctx) => {
  checkFields(cmd, ['cursor']);
  const name = collectionName(cmd);
  const coll = ctx.store.get(ctx.db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const cursorOpt = optDoc(cmd, 'cursor') ?? {};
  return { cursor: ctx.cursors.first(coll.ns, coll.specs(), optCount(cursorOpt, 'batchSize')), ok: 1 };
};

const dropIndexes: Handler = (cmd, ctx) => {
  checkFields(cmd, ['index', 'writeConcern']);
  const name = collectionName(cmd);
  const coll = ctx.store.get(ctx.db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const before = coll.indexes.size;
  const index = cmd.index;
  const names = index === '*' ? [...coll.indexes.keys()].filter((n) => n !== '_id_') : Array.isArray(index) ? index : [index];
  for (const n of names) {
    if (typeof n !== 'string') throw new CommandError('NotImplemented', 'dropIndexes by key pattern is not supported by the wire double');
    coll.dropIndex(n);
  }
  return { nIndexesWas: before, ok: 1 };
};

const listCollections: Handler = (cmd, ctx) => {
  checkFields(cmd, ['filter', 'nameOnly', 'authorizedCollections', 'cursor']);
  const all = ctx.store.names(ctx.db).map((name) => ({
    name,
    type: 'collection',
    options: {},
    info: { readOnly: false },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  }));
  const docs = select(all, optDoc(cmd, 'filter'), {});
  const out = cmd.nameOnly === true ? docs.map((d) => ({ name: d.name, type: d.type })) : docs;
  return { cursor: ctx.cursors.first(`${ctx.db}.$cmd.listCollections`, out, optCount(optDoc(cmd, 'cursor') ?? {}, 'batchSize')), ok: 1 };
};

const create: Handler = (cmd, ctx) => {
  checkFields(cmd, ['writeConcern']);
  const name = collectionName(cmd);
  if (ctx.store.get(ctx.db, name)) {
    throw new CommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  }
  ctx.store.ensure(ctx.db, name);
  return { ok: 1 };
};

const drop: Handler = (cmd, ctx) => {
  checkFields(cmd, ['writeConcern']);
  const name = collectionName(cmd);
  const dropped = ctx.store.drop(ctx.db, name);
  return { ...(dropped ? { nIndexesWas: dropped.indexes.size } : {}), ns: `${ctx.db}.${name}`, ok: 1 };
};

const dropDatabase: Handler = (cmd, ctx) => {
  checkFields(cmd, ['writeConcern']);
  if (cmd.dropDatabase !== 1 && cmd.dropDatabase !== true) throw new CommandError('BadValue', 'dropDatabase must be 1');
  ctx.store.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

export const ddlCommands: Record<string, Handler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  listCollections,
  create,
  drop,
  dropDatabase,
};
