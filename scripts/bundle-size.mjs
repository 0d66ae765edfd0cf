#!/usr/bin/env node
// Bundle cost of each package, as a consumer's bundler sees it: minified + gzipped size of the whole entry and
// of an app that imports one function (tree-shaking at work), without and with third-party dependencies.
//   node scripts/bundle-size.mjs            prints the table (run after the build)
//   node scripts/bundle-size.mjs --write    also replaces the table in README.md
import { readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = [
  ['core', 'createDataset'],
  ['data', 'trainTestSplit'],
  ['train', 'randomForestClassifier'],
  ['registry', 'FileSystemModelStore'],
  ['monitor', 'ksTest'],
  ['cli', 'startPredictionServer'],
];
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

async function size(dir, contents, bundleDependencies) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const external = [...nodeBuiltins, ...(bundleDependencies ? [] : Object.keys(manifest.dependencies ?? {}))];
  const result = await build({
    stdin: { contents, resolveDir: dir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    external,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const rows = [];
for (const [name, fn] of packages) {
  const dir = join(root, 'packages', name);
  const entry = join(dir, 'dist', 'index.js');
  const all = `export * from ${JSON.stringify(entry)};`;
  const one = `import { ${fn} } from ${JSON.stringify(entry)}; console.log(${fn});`;
  const [whole, single, wholeDeps, singleDeps] = await Promise.all([
    size(dir, all, false),
    size(dir, one, false),
    size(dir, all, true),
    size(dir, one, true),
  ]);
  if (single.gzip > whole.gzip)
    throw new Error(`@mlops/${name}: importing ${fn} costs more than the whole entry: tree-shaking is broken`);
  rows.push(
    `| \`@mlops/${name}\` | ${kb(whole.min)} / ${kb(whole.gzip)} | \`${fn}\`: ${kb(single.gzip)} (${Math.round((100 * single.gzip) / whole.gzip)}%) | ${kb(wholeDeps.gzip)} | ${kb(singleDeps.gzip)} |`,
  );
}
const table = [
  '| package | whole entry, min / gzip (own code) | one import, gzip (share of the entry) | whole entry with dependencies, gzip | one import with dependencies, gzip |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
console.log(table);
if (process.argv.includes('--write')) {
  const readme = join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bundle-sizes:start -->';
  const end = '<!-- bundle-sizes:end -->';
  if (!text.includes(start)) throw new Error(`README.md lacks the ${start} marker`);
  writeFileSync(readme, text.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`));
  console.log('README.md updated');
}
