/** Update documents the way mongod's update/findAndModify do: operators, replacements, upsert seeds. */
import { EJSON, type Document } from 'bson';
import { aggregate, update as mingoUpdate } from 'mingo';
import { clone } from './store';
import { CommandError } from './errors';

const OPERATORS = new Set([
  '$set', '$setOnInsert', '$inc', '$unset', '$push', '$pull', '$pullAll', '$addToSet',
  '$min', '$max', '$mul', '$rename', '$pop', '$currentDate',
]);

export function isReplacement(u: Document): boolean {
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length > 0 && ops.length < keys.length) {
    throw new CommandError('FailedToParse', 'Cannot mix update operators and plain fields in an update document');
  }
  return keys.length === 0 || ops.length === 0;
}

/** Returns a new document: `doc` with `u` applied (never mutates `doc`). */
export function applyUpdate(doc: Document, u: unknown, opts: { inserting: boolean; arrayFilters?: Document[] }): Document {
  if (Array.isArray(u)) return applyPipeline(doc, u);
  if (u === null || typeof u !== 'object') throw new CommandError('TypeMismatch', "update 'u' must be an object");
  const upd = u as Document;
  if (isReplacement(upd)) {
    if (upd._id !== undefined && doc._id !== undefined && EJSON.stringify(upd._id) !== EJSON.stringify(doc._id)) {
      throw new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    return clone({ ...(doc._id === undefined ? {} : { _id: doc._id }), ...upd });
  }
  const mods: Document = {};
  for (const [op, spec] of Object.entries(upd)) {
    if (!OPERATORS.has(op)) throw new CommandError('FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    if (op === '$setOnInsert') continue;
    mods[op] = spec;
  }
  if (opts.inserting && upd.$setOnInsert) mods.$set = { ...(mods.$set ?? {}), ...upd.$setOnInsert };
  const next = clone(doc);
  if (Object.keys(mods).length > 0) {
    try {
      mingoUpdate(next, mods, opts.arrayFilters, undefined, { cloneMode: 'deep' });
    } catch (err) {
      throw new CommandError('BadValue', err instanceof Error ? err.message : String(err));
    }
  }
  return next;
}

const PIPELINE_STAGES = new Set(['$set', '$addFields', '$project', '$unset', '$replaceRoot', '$replaceWith']);

/** Pipeline-style update: the stages mongod allows there, run by mingo on a copy of the document. */
function applyPipeline(doc: Document, stages: unknown[]): Document {
  for (const stage of stages) {
    const keys = stage !== null && typeof stage === 'object' ? Object.keys(stage) : [];
    if (keys.length !== 1 || !PIPELINE_STAGES.has(keys[0]!)) {
      throw new CommandError('BadValue', `${keys[0] ?? 'stage'} is not allowed to be used within an update`);
    }
  }
  try {
    const out = aggregate([clone(doc)], stages as Document[])[0];
    if (!out) throw new Error('pipeline update produced no document');
    return clone(out as Document);
  } catch (err) {
    throw new CommandError('BadValue', err instanceof Error ? err.message : String(err));
  }
}

/** The document an upsert starts from: the equality fields of the query. */
export function upsertSeed(query: Document): Document {
  const seed: Document = {};
  const set = (path: string, value: unknown) => {
    const parts = path.split('.');
    let cur: Document = seed;
    for (const part of parts.slice(0, -1)) {
      if (cur[part] === null || typeof cur[part] !== 'object') cur[part] = {};
      cur = cur[part] as Document;
    }
    cur[parts[parts.length - 1]!] = value;
  };
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value as Document[]) Object.assign(seed, upsertSeed(part));
      continue;
    }
    if (key.startsWith('$')) continue;
    if (value instanceof RegExp) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && (value as object).constructor === Object) {
      const v = value as Document;
      const keys = Object.keys(v);
      if (keys.some((k) => k.startsWith('$'))) {
        if ('$eq' in v) set(key, v.$eq);
        continue;
      }
    }
    set(key, value);
  }
  return seed;
}

export function sameDoc(a: Document, b: Document): boolean {
  return EJSON.stringify(a, { relaxed: false }) === EJSON.stringify(b, { relaxed: false });
}
