import type { Config } from '../config';
import type { Storage } from './port';
import { openSqliteStorage } from './sqlite';

/** SQLite under DATA_DIR unless MONGODB_URI is set; mongoose is loaded only when it is used. */
export async function openStorage(config: Pick<Config, 'dataDir' | 'mongodbUri'>): Promise<Storage> {
  if (config.mongodbUri) {
    const { openMongoStorage } = await import('./mongo');
    return openMongoStorage(config.mongodbUri);
  }
  return openSqliteStorage({ dataDir: config.dataDir });
}
