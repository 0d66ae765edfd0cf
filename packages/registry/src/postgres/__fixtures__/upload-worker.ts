// Child process of the object-storage crash tests: registers one model version whose artifact holds `megabytes` of
// weights, on PostgreSQL + S3 (endpoint and credentials from the AWS environment variables), printing `uploading`
// first. Usage: tsx upload-worker.ts <connection string> <schema> <s3 URL> <model> <megabytes>
import { PostgresModelStore, S3ObjectStore } from '../../index';

const [url, schema, artifacts, name, megabytes] = process.argv.slice(2);
if (!url || !schema || !artifacts || !name || !megabytes)
  throw new Error('usage: upload-worker.ts <url> <schema> <s3 URL> <model> <megabytes>');
const store = new PostgresModelStore({
  connectionString: url,
  schema,
  artifacts: new S3ObjectStore({ url: artifacts }),
});
const weights = Array.from({ length: Math.round((Number(megabytes) * 1e6) / 20) }, (_, i) => Math.sin(i));
process.stdout.write('uploading\n');
await store.register(name, {
  artifact: { format: 'upload-test', formatVersion: 1, featureNames: ['x'], params: {}, payload: { weights } },
});
process.stdout.write('registered\n');
await store.close();
