import { defineCommand } from 'citty';
import { startPredictionServer } from '../serve/server';
import { ARTIFACTS_ARG, openCliRegistry, parseModelRef } from '../shared/open-cli-registry';

export const serve = defineCommand({
  meta: {
    name: 'serve',
    description: 'Serve a model over HTTP: POST /predict, GET /schema, GET /openapi.json, GET /health, GET /metrics',
  },
  args: {
    model: { type: 'string', required: true, description: 'name@alias or name@version (e.g. iris@production)' },
    port: { type: 'string', default: '8080', description: 'Port (0: any free port)' },
    host: { type: 'string', default: '127.0.0.1', description: 'Interface to listen on' },
    registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
    artifacts: ARTIFACTS_ARG,
    'reload-ms': { type: 'string', default: '2000', description: 'How often to check whether the alias moved' },
    'headers-timeout-ms': {
      type: 'string',
      default: '10000',
      description: 'Time a client has to send its request headers',
    },
    'request-timeout-ms': {
      type: 'string',
      default: '30000',
      description: 'Time a client has to send its whole request',
    },
    'keep-alive-timeout-ms': {
      type: 'string',
      default: '5000',
      description: 'How long an idle keep-alive connection stays open',
    },
  },
  async run({ args }) {
    const { name, ref } = parseModelRef(args.model);
    const store = await openCliRegistry(args.registry, args.artifacts);
    const server = await startPredictionServer({
      store,
      name,
      ref,
      port: Number(args.port),
      host: args.host,
      reloadMs: Number(args['reload-ms']),
      headersTimeoutMs: Number(args['headers-timeout-ms']),
      requestTimeoutMs: Number(args['request-timeout-ms']),
      keepAliveTimeoutMs: Number(args['keep-alive-timeout-ms']),
      log: (line) => console.log(line),
    });
    console.log(
      `serving ${name}@${ref} (v${server.version}) on ${server.url}: POST /predict, GET /schema, GET /openapi.json, GET /health, GET /metrics`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await store.close();
  },
});
