#!/usr/bin/env node
// Consumer test: publish every package to a throwaway local registry (verdaccio 5, 127.0.0.1) with the
// changesets flow, then install them with plain `npm install` into fresh ESM TypeScript, CommonJS and
// esbuild-bundled apps and run iris train → save → load → predict → monitor in each. Run after the build.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'mlops-consumers-'));
const log = (line) => console.log(`consumers: ${line}`);
const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PACKAGES = ['core', 'data', 'train', 'registry', 'monitor', 'cli'];

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`nothing answered at ${url}`);
}

async function portClosed(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/-/ping`);
    return false;
  } catch {
    return true;
  }
}

let verdaccio;
let failed = false;
try {
  // 1. The registry: verdaccio 5.33.0 (node-fetch pinned to 2.7.0: its `node-fetch@cjs` tag is not served here).
  const runner = join(work, 'verdaccio');
  mkdirSync(runner);
  writeFileSync(
    join(runner, 'package.json'),
    JSON.stringify({ private: true, dependencies: { verdaccio: '5.33.0' }, overrides: { 'node-fetch': '2.7.0' } }),
  );
  log('installing verdaccio 5.33.0');
  run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], runner);
  const port = await freePort();
  const registry = `http://127.0.0.1:${port}/`;
  writeFileSync(
    join(runner, 'config.yaml'),
    [
      `storage: ${join(work, 'storage')}`,
      'auth: { htpasswd: { file: ./htpasswd, max_users: -1 } }',
      'packages:',
      "  '@mlops/*': { access: $all, publish: $anonymous }",
      "  '**': { access: $all, publish: $anonymous }",
      'log: { type: stdout, format: pretty, level: warn }',
    ].join('\n'),
  );
  verdaccio = spawn(
    process.execPath,
    [
      join(runner, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
      '--config',
      join(runner, 'config.yaml'),
      '--listen',
      `127.0.0.1:${port}`,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await waitFor(`${registry}-/ping`, 60_000);
  log(`verdaccio up at ${registry}`);

  // 2. Versions: `changeset version` on a throwaway copy of the workspace manifests and built packages.
  const copy = join(work, 'release');
  for (const file of ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', '.changeset'])
    cpSync(join(root, file), join(copy, file), { recursive: true });
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, dir))) {
      const from = join(root, dir, name);
      for (const entry of ['package.json', 'README.md', 'LICENSE', 'dist']) {
        if (existsSync(join(from, entry))) cpSync(join(from, entry), join(copy, dir, name, entry), { recursive: true });
      }
    }
  }
  const changeset = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
  run(process.execPath, [changeset, 'version'], copy);
  const versions = Object.fromEntries(
    PACKAGES.map((p) => [p, JSON.parse(readFileSync(join(copy, 'packages', p, 'package.json'), 'utf8')).version]),
  );
  log(`changeset version: ${PACKAGES.map((p) => `@mlops/${p}@${versions[p]}`).join(', ')}`);

  // 3. Publish with `changeset publish` (pnpm publish turns workspace:^ into real ranges) to the local registry.
  // changesets runs `pnpm publish`: put the pinned pnpm on PATH (installed from the usual registry).
  const pnpmDir = join(work, 'pnpm');
  mkdirSync(pnpmDir);
  writeFileSync(join(pnpmDir, 'package.json'), JSON.stringify({ private: true, dependencies: { pnpm: '10.34.9' } }));
  run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], pnpmDir);
  const shims = join(work, 'bin');
  mkdirSync(shims);
  writeFileSync(
    join(shims, 'pnpm'),
    `#!/bin/sh\nexec "${process.execPath}" "${join(pnpmDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs')}" "$@"\n`,
    { mode: 0o755 },
  );
  writeFileSync(join(copy, '.npmrc'), `@mlops:registry=${registry}\n//127.0.0.1:${port}/:_authToken=placeholder\n`);
  const publishEnv = { PATH: `${shims}:${process.env.PATH}` };
  // pnpm resolves workspace:^ from the installed workspace: link it (third-party packages from the usual registry).
  run(
    join(shims, 'pnpm'),
    ['install', '--prefer-offline', '--ignore-scripts', '--no-frozen-lockfile', '--reporter=silent'],
    copy,
    publishEnv,
  );
  const published = run(process.execPath, [changeset, 'publish', '--no-git-tag'], copy, publishEnv);
  log(
    `changeset publish: ${published.split('\n').filter((l) => /published|success/i.test(l)).length} lines of success`,
  );
  for (const p of PACKAGES) {
    const meta = await (await fetch(`${registry}@mlops%2f${p}`)).json();
    const manifest = meta.versions?.[versions[p]];
    if (!manifest) throw new Error(`@mlops/${p}@${versions[p]} is not on the local registry`);
    const ranges = JSON.stringify({ ...manifest.dependencies, ...manifest.peerDependencies });
    if (ranges.includes('workspace:')) throw new Error(`@mlops/${p} was published with a workspace: range: ${ranges}`);
  }
  log('every package is on the registry, and no workspace: range reached a published manifest');

  // 4. Fresh consumer projects, installed with plain npm from that registry (@mlops/* only; the rest from npm).
  const flow = readFileSync(join(root, 'scripts', 'consumers', 'flow.ts'), 'utf8');
  const deps = Object.fromEntries(
    ['core', 'data', 'train', 'registry', 'monitor'].map((p) => [`@mlops/${p}`, versions[p]]),
  );
  const project = (name, extra, files) => {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, '.npmrc'), `@mlops:registry=${registry}\n`);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify(
        { name, private: true, ...extra.manifest, dependencies: { ...deps, ...extra.dependencies } },
        null,
        2,
      ),
    );
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    return dir;
  };
  const check = (name, output) => {
    const result = JSON.parse(output.trim().split('\n').pop());
    if (
      !(
        result.version === 1 &&
        result.accuracy > 0.9 &&
        result.datasetDrift === false &&
        Math.abs(result.ks - 0.03235138801163838) < 1e-12 &&
        result.pipeline?.format === 'mlops-pipeline' &&
        result.pipeline.labels.length === 2 &&
        result.pipeline.labels.every((label) => label === 'no' || label === 'yes') &&
        JSON.stringify(result.pipeline.classes) === '["no","yes"]' &&
        JSON.stringify(result.pipeline.homeLevels) === '["MORTGAGE","OWN","RENT",null]'
      )
    ) {
      throw new Error(`${name} app printed ${output}`);
    }
    log(`${name}: ${output.trim()}`);
  };

  // (a) ESM TypeScript, type-checked with module/moduleResolution nodenext, then run.
  const esm = project(
    'app-esm',
    { manifest: { type: 'module' }, dependencies: { typescript: '5.9.3', '@types/node': '^20.19.0' } },
    {
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          outDir: 'dist',
          skipLibCheck: false,
          types: ['node'],
        },
        include: ['index.ts'],
      }),
      'index.ts': flow,
    },
  );
  run(process.execPath, [join(esm, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], esm);
  check('ESM + TypeScript (nodenext)', run(process.execPath, ['dist/index.js'], esm));

  // (b) CommonJS with require().
  const cjsSource = flow
    .replace(
      /^import \{([^}]*)\} from '([^']*)';$/gm,
      (_, names, from) => `const {${names.replace(/\btype \w+,?/g, '')}} = require('${from}');`,
    )
    .replace(/: number\[\]/g, '');
  const cjs = project(
    'app-cjs',
    { manifest: { type: 'commonjs' } },
    { 'index.cjs': `(async () => {\n${cjsSource}\n})().catch((e) => { console.error(e); process.exit(1); });\n` },
  );
  check('CommonJS (require)', run(process.execPath, ['index.cjs'], cjs));

  // (c) An esbuild bundle of the app (own packages inlined), run from another directory.
  const build = `import { build } from 'esbuild';\nawait build({ entryPoints: ['index.ts'], bundle: true, platform: 'node', format: 'esm', outfile: 'out/app.mjs', logLevel: 'warning' });\n`;
  const bundled = project(
    'app-bundle',
    { manifest: { type: 'module' }, dependencies: { esbuild: '0.27.7' } },
    { 'index.ts': flow, 'build.mjs': build },
  );
  run(process.execPath, ['build.mjs'], bundled);
  check('esbuild bundle', run(process.execPath, [join(bundled, 'out', 'app.mjs')], bundled));
  log('all three consumers ran train → save → load → predict → monitor from the published packages');
} catch (error) {
  failed = true;
  console.error(`consumers: FAILED: ${error.stderr ?? ''}${error.stdout ?? ''}${error.message}`);
} finally {
  if (verdaccio) {
    const port = Number(/--listen 127\.0\.0\.1:(\d+)/.exec(verdaccio.spawnargs.join(' '))?.[1]);
    verdaccio.kill('SIGTERM');
    await new Promise((resolve) => (verdaccio.exitCode === null ? verdaccio.once('exit', resolve) : resolve()));
    const closed = await portClosed(port);
    log(closed ? 'verdaccio stopped' : 'verdaccio is STILL answering');
    if (!closed) failed = true;
  }
  if (!process.env.MLOPS_KEEP_CONSUMERS) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}
process.exit(failed ? 1 : 0);
