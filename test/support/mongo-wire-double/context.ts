/** Shared command plumbing: the per-call context and strict argument checks. */
import type { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError } from './errors';
import type { Cursors } from './cursors';
import type { Store } from './store';

export interface Ctx {
  store: Store;
  cursors: Cursors;
  db: string;
  connectionId: number;
}

export type Handler = (cmd: Document, ctx: Ctx) => Document;

/** Fields every command may carry (session id, routing and gossip that a standalone ignores). */
const GENERIC = ['$db', 'lsid', '$readPreference', '$clusterTime', 'comment'];

/** Rejects any field not in `allowed` (plus the generic ones), like mongod's IDL parser. */
export function checkFields(cmd: Document, allowed: readonly string[]): void {
  const name = Object.keys(cmd)[0] ?? '';
  for (const key of Object.keys(cmd)) {
    if (key === name || GENERIC.includes(key) || allowed.includes(key)) continue;
    throw new CommandError('UnknownField', `BSON field '${name}.${key}' is an unknown field.`);
  }
  const wc = cmd.writeConcern as Document | undefined;
  if (wc !== undefined) {
    if (typeof wc !== 'object' || wc === null) throw new CommandError('TypeMismatch', 'writeConcern must be an object');
    for (const k of Object.keys(wc)) {
      if (!['w', 'j', 'wtimeout'].includes(k)) throw new CommandError('UnknownField', `BSON field 'writeConcern.${k}' is an unknown field.`);
    }
  }
  const rc = cmd.readConcern as Document | undefined;
  if (rc !== undefined && !(rc && (rc.level === undefined || rc.level === 'local') && Object.keys(rc).every((k) => k === 'level'))) {
    throw new CommandError('NotImplemented', 'only readConcern level "local" is supported by the wire double');
  }
}

export function collectionName(cmd: Document): string {
  const name = Object.keys(cmd)[0] ?? '';
  const coll = cmd[name];
  if (typeof coll !== 'string' || coll.length === 0) {
    throw new CommandError('InvalidNamespace', `collection name has invalid type ${typeof coll}`);
  }
  return coll;
}

export function optDoc(cmd: Document, field: string): Document | undefined {
  const v = cmd[field];
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type, expected type 'object'`);
  }
  return v as Document;
}

export function optCount(cmd: Document, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type, expected a number`);
  }
  if (v < 0) throw new CommandError('BadValue', `${field} value must be non-negative, but received: ${v}`);
  return v;
}

export function optBool(cmd: Document, field: string): boolean | undefined {
  const v = cmd[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type, expected type 'bool'`);
  return v;
}

export function docArray(cmd: Document, field: string): Document[] {
  const v = cmd[field];
  if (!Array.isArray(v)) throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type, expected type 'array'`);
  for (const d of v) if (d === null || typeof d !== 'object') throw new CommandError('TypeMismatch', `${field} entries must be objects`);
  return v as Document[];
}

/** Compiles a filter; a bad operator becomes a BadValue error rather than a crash. */
export function compileFilter(filter: Document | undefined): Query {
  try {
    return new Query(filter ?? {});
  } catch (err) {
    throw new CommandError('BadValue', err instanceof Error ? err.message : String(err));
  }
}
