import { loadConfig } from '../../server/config';

describe('configuration', () => {
  it('has working defaults: SQLite under ./data on port 8080', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, dataDir: './data', mongodbUri: undefined, submissionBatchMax: 100, bodyLimit: '2mb' });
  });

  it('accepts single-host, replica-set and SRV MongoDB URIs', () => {
    for (const uri of [
      'mongodb://localhost:27017/cunwen',
      'mongodb://h1:27017,h2:27017,h3:27017/cunwen?replicaSet=rs0&w=majority',
      'mongodb+srv://user:pw@cluster0.example.net/cunwen',
    ]) expect(loadConfig({ MONGODB_URI: uri }).mongodbUri).toBe(uri);
    expect(loadConfig({ MONGODB_URI: '' }).mongodbUri).toBeUndefined();
  });

  it('refuses nonsense with a message naming the variable', () => {
    expect(() => loadConfig({ MONGODB_URI: 'http://example/db' })).toThrow(/MONGODB_URI/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SUBMISSION_BATCH_MAX: '0' })).toThrow(/SUBMISSION_BATCH_MAX/);
  });
});
