/** Read commands: find, getMore, killCursors, count, aggregate. */
import type { Document } from 'bson';
import { aggregate, find } from 'mingo';
import { CommandError } from './errors';
import { checkFields, collectionName, compileFilter, optBool, optCount, optDoc, type Ctx, type Handler } from './context';

function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw new CommandError('BadValue', err instanceof Error ? err.message : String(err));
  }
}

/** Matching documents in the given order, with sort/skip/limit/projection applied. */
export function select(
  docs: Document[],
  filter: Document | undefined,
  o: { sort?: Document; skip?: number; limit?: number; projection?: Document },
): Document[] {
  const query = compileFilter(filter);
  return run(() => {
    const matched = docs.filter((d) => query.test(d));
    let cursor = find(matched, {}, o.projection && Object.keys(o.projection).length > 0 ? o.projection : undefined);
    if (o.sort && Object.keys(o.sort).length > 0) cursor = cursor.sort(o.sort as Record<string, 1 | -1>);
    if (o.skip) cursor = cursor.skip(o.skip);
    if (o.limit) cursor = cursor.limit(o.limit);
    return cursor.all() as Document[];
  });
}

function docsOf(ctx: Ctx, coll: string): Document[] {
  return ctx.store.get(ctx.db, coll)?.docs ?? [];
}

const findCmd: Handler = (cmd, ctx) => {
  checkFields(cmd, ['filter', 'sort', 'projection', 'skip', 'limit', 'batchSize', 'singleBatch', 'maxTimeMS', 'readConcern']);
  const coll = collectionName(cmd);
  const docs = select(docsOf(ctx, coll), optDoc(cmd, 'filter'), {
    sort: optDoc(cmd, 'sort'),
    skip: optCount(cmd, 'skip'),
    limit: optCount(cmd, 'limit'),
    projection: optDoc(cmd, 'projection'),
  });
  const cursor = ctx.cursors.first(`${ctx.db}.${coll}`, docs, optCount(cmd, 'batchSize'), optBool(cmd, 'singleBatch') ?? false);
  return { cursor, ok: 1 };
};

const getMore: Handler = (cmd, ctx) => {
  checkFields(cmd, ['collection', 'batchSize', 'maxTimeMS']);
  const id = cmd.getMore;
  if (typeof id !== 'number') throw new CommandError('TypeMismatch', "BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
  const coll = cmd.collection;
  if (typeof coll !== 'string') throw new CommandError('TypeMismatch', "BSON field 'getMore.collection' is missing or not a string");
  return { cursor: ctx.cursors.more(id, coll, ctx.db, optCount(cmd, 'batchSize')), ok: 1 };
};

const killCursors: Handler = (cmd, ctx) => {
  checkFields(cmd, ['cursors']);
  collectionName(cmd);
  const ids = cmd.cursors;
  if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'number')) {
    throw new CommandError('TypeMismatch', "BSON field 'killCursors.cursors' must be an array of longs");
  }
  return { ...ctx.cursors.kill(ids as number[]), ok: 1 };
};

const count: Handler = (cmd, ctx) => {
  checkFields(cmd, ['query', 'limit', 'skip', 'maxTimeMS', 'readConcern']);
  const coll = collectionName(cmd);
  const n = select(docsOf(ctx, coll), optDoc(cmd, 'query'), { skip: optCount(cmd, 'skip'), limit: optCount(cmd, 'limit') }).length;
  return { n, ok: 1 };
};

const FORBIDDEN_STAGES = ['$out', '$merge', '$lookup', '$graphLookup', '$unionWith', '$changeStream', '$currentOp', '$collStats', '$indexStats'];

const aggregateCmd: Handler = (cmd, ctx) => {
  checkFields(cmd, ['pipeline', 'cursor', 'allowDiskUse', 'maxTimeMS', 'readConcern']);
  if (typeof cmd.aggregate !== 'string') throw new CommandError('NotImplemented', 'database-level aggregate is not supported by the wire double');
  const coll = cmd.aggregate;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  for (const stage of pipeline as Document[]) {
    const name = Object.keys(stage ?? {})[0] ?? '';
    if (Object.keys(stage ?? {}).length !== 1) throw new CommandError('BadValue', 'A pipeline stage specification object must contain exactly one field.');
    if (FORBIDDEN_STAGES.includes(name)) throw new CommandError('NotImplemented', `pipeline stage ${name} is not supported by the wire double`);
  }
  const cursorOpt = optDoc(cmd, 'cursor');
  if (!cursorOpt) throw new CommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  const docs = run(() => aggregate(docsOf(ctx, coll), pipeline as Document[]) as Document[]);
  return { cursor: ctx.cursors.first(`${ctx.db}.${coll}`, docs, optCount(cursorOpt, 'batchSize')), ok: 1 };
};

export const readCommands: Record<string, Handler> = {
  find: findCmd,
  getMore,
  killCursors,
  count,
  aggregate: aggregateCmd,
};
