/** Write commands: insert, update, delete, findAndModify — with per-statement write errors. */
import { ObjectId, type Document } from 'bson';
import { asCommandError, CommandError, writeError } from './errors';
import { checkFields, collectionName, docArray, optBool, optDoc, type Ctx, type Handler } from './context';
import { select } from './read';
import { applyUpdate, isReplacement, sameDoc, upsertSeed } from './update';
import type { Collection } from './store';

const WRITE_FIELDS = ['ordered', 'writeConcern', 'bypassDocumentValidation'];

/** Runs statements in order; stops at the first error when ordered (mongod's default). */
function eachStatement<T>(items: T[], ordered: boolean, fn: (item: T, index: number) => void): Document[] {
  const errors: Document[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      fn(items[i]!, i);
    } catch (err) {
      errors.push(writeError(i, asCommandError(err)));
      if (ordered) break;
    }
  }
  return errors;
}

function withErrors(reply: Document, errors: Document[]): Document {
  return errors.length > 0 ? { ...reply, writeErrors: errors, ok: 1 } : { ...reply, ok: 1 };
}

const insert: Handler = (cmd, ctx) => {
  checkFields(cmd, ['documents', ...WRITE_FIELDS]);
  const docs = docArray(cmd, 'documents');
  const { coll } = ctx.store.ensure(ctx.db, collectionName(cmd));
  let n = 0;
  const errors = eachStatement(docs, optBool(cmd, 'ordered') ?? true, (doc) => {
    coll.insert(doc);
    n++;
  });
  return withErrors({ n }, errors);
};

/** Applies one update statement; returns counts and the upserted id if any. */
function updateOne(coll: Collection, spec: Document): { n: number; nModified: number; upserted?: unknown } {
  for (const k of Object.keys(spec)) {
    if (!['q', 'u', 'upsert', 'multi', 'arrayFilters'].includes(k)) {
      throw new CommandError('UnknownField', `BSON field 'update.updates.${k}' is an unknown field.`);
    }
  }
  const q = optDoc(spec, 'q') ?? {};
  const u = spec.u as Document;
  const multi = optBool(spec, 'multi') ?? false;
  const arrayFilters = spec.arrayFilters === undefined ? undefined : docArray(spec, 'arrayFilters');
  if (multi && !Array.isArray(u) && isReplacement(u)) {
    throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
  }
  const matched = select(coll.docs, q, multi ? {} : { limit: 1 });
  if (matched.length === 0) {
    if (!(optBool(spec, 'upsert') ?? false)) return { n: 0, nModified: 0 };
    const seed = upsertSeed(q);
    const next = applyUpdate(seed, u, { inserting: true, arrayFilters });
    if (next._id === undefined) next._id = seed._id ?? new ObjectId();
    const stored = coll.insert(next);
    return { n: 1, nModified: 0, upserted: stored._id };
  }
  let nModified = 0;
  for (const doc of matched) {
    const next = applyUpdate(doc, u, { inserting: false, arrayFilters });
    if (sameDoc(doc, next)) continue;
    coll.replace(doc, next);
    nModified++;
  }
  return { n: matched.length, nModified };
}

const update: Handler = (cmd, ctx) => {
  checkFields(cmd, ['updates', ...WRITE_FIELDS]);
  const updates = docArray(cmd, 'updates');
  const { coll } = ctx.store.ensure(ctx.db, collectionName(cmd));
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const errors = eachStatement(updates, optBool(cmd, 'ordered') ?? true, (spec, index) => {
    const r = updateOne(coll, spec);
    n += r.n;
    nModified += r.nModified;
    if (r.upserted !== undefined) upserted.push({ index, _id: r.upserted });
  });
  return withErrors({ n, nModified, ...(upserted.length > 0 ? { upserted } : {}) }, errors);
};

const deleteCmd: Handler = (cmd, ctx) => {
  checkFields(cmd, ['deletes', 'ordered', 'writeConcern']);
  const deletes = docArray(cmd, 'deletes');
  const coll = ctx.store.get(ctx.db, collectionName(cmd));
  let n = 0;
  const errors = eachStatement(deletes, optBool(cmd, 'ordered') ?? true, (spec) => {
    for (const k of Object.keys(spec)) {
      if (!['q', 'limit'].includes(k)) throw new CommandError('UnknownField', `BSON field 'delete.deletes.${k}' is an unknown field.`);
    }
    const limit = spec.limit;
    if (limit !== 0 && limit !== 1) throw new CommandError('FailedToParse', `The limit field in delete objects must be 0 or 1. Got ${String(limit)}`);
    if (!coll) return;
    const matched = select(coll.docs, optDoc(spec, 'q') ?? {}, limit === 1 ? { limit: 1 } : {});
    for (const doc of matched) coll.remove(doc);
    n += matched.length;
  });
  return withErrors({ n }, errors);
};

function project(doc: Document | null, fields: Document | undefined): Document | null {
  if (!doc || !fields || Object.keys(fields).length === 0) return doc;
  return select([doc], {}, { projection: fields })[0] ?? null;
}

const findAndModify: Handler = (cmd, ctx) => {
  checkFields(cmd, ['query', 'sort', 'remove', 'update', 'new', 'fields', 'upsert', 'arrayFilters', 'writeConcern', 'bypassDocumentValidation', 'maxTimeMS']);
  const { coll } = ctx.store.ensure(ctx.db, collectionName(cmd));
  const query = optDoc(cmd, 'query') ?? {};
  const remove = optBool(cmd, 'remove') ?? false;
  const returnNew = optBool(cmd, 'new') ?? false;
  const fields = optDoc(cmd, 'fields');
  const arrayFilters = cmd.arrayFilters === undefined ? undefined : docArray(cmd, 'arrayFilters');
  if (remove === (cmd.update !== undefined)) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && (returnNew || cmd.upsert)) throw new CommandError('FailedToParse', 'Cannot specify both new=true/upsert=true and remove=true');
  const found = select(coll.docs, query, { sort: optDoc(cmd, 'sort'), limit: 1 })[0];
  if (remove) {
    if (found) coll.remove(found);
    return { lastErrorObject: { n: found ? 1 : 0 }, value: project(found ?? null, fields), ok: 1 };
  }
  try {
    if (found) {
      const next = applyUpdate(found, cmd.update, { inserting: false, arrayFilters });
      if (!sameDoc(found, next)) coll.replace(found, next);
      return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(returnNew ? next : found, fields), ok: 1 };
    }
    if (!(optBool(cmd, 'upsert') ?? false)) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const seed = upsertSeed(query);
    const next = applyUpdate(seed, cmd.update, { inserting: true, arrayFilters });
    if (next._id === undefined) next._id = new ObjectId();
    const stored = coll.insert(next);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: stored._id },
      value: returnNew ? project(stored, fields) : null,
      ok: 1,
    };
  } catch (err) {
    throw asCommandError(err);
  }
};

export const writeCommands: Record<string, Handler> = {
  insert,
  update,
  delete: deleteCmd,
  findAndModify,
  findandmodify: findAndModify,
};
