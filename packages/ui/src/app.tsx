import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConflictError, InvalidInputError, NotFoundError, type Registry } from '@mlops/core';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CHARTS_JS } from './assets/charts-js';
import { UI_CSS } from './assets/ui-css';
import { bearerToken, sameOrigin, tokenMatches } from './auth';
import { type DatasetProfile, profileDataset, rowChanges } from './dataset-profile';
import type { UiMonitoring } from './monitoring';
import { ComparePage } from './pages/compare-page';
import { DatasetComparePage, DatasetPage, DatasetsPage } from './pages/dataset-pages';
import { Layout, modelHref } from './pages/layout';
import { ModelPage } from './pages/model-page';
import { ModelsPage } from './pages/models-page';
import { MonitoringPage } from './pages/monitoring-page';
import { VersionPage } from './pages/version-page';
import { CHART_VERSIONS, currentAliases, headlineOf, lifecycleRuns, modelSummary } from './views';

/** What the UI shows and who may change it. */
export interface UiOptions {
  /** The registry to show (any backend: `openRegistry(location)` from `@mlops/registry`). */
  readonly registry: Registry;
  /**
   * Enables promote, roll back and archive for requests carrying it (`Authorization: Bearer …` or the form's token
   * field). Without one the UI is read-only.
   */
  readonly token?: string | undefined;
  /** The metric pages lead with (default: accuracy, f1, r2, mae … whichever a version has). */
  readonly headlineMetric?: string;
  /** Versions per page on a model page (default 50). */
  readonly pageSize?: number;
  /** Production scores and drift checks for the monitoring pages (without it they say where to start). */
  readonly monitoring?: UiMonitoring;
  /** Called with one line per request (method, path, status, ms) — never bodies or tokens. */
  readonly log?: (line: string) => void;
}

/** Dataset profiles kept in memory. */
const PROFILES_KEPT = 16;

/** Shortest accepted write token. */
const MIN_TOKEN_LENGTH = 16;

/** Largest accepted form body. */
const MAX_BODY_BYTES = 16 * 1024;

/** Headers of every response: nothing loads from elsewhere, nothing frames the app. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin', // not no-referrer: with it, browsers send `Origin: null` on form posts
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** The tab icon: a rising line. */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5cad"/><path d="M3 12l4-4 3 2 3-6" stroke="#fff" stroke-width="2" fill="none"/></svg>';

/** uPlot's browser files, served by the app itself. */
function uplotAsset(file: string): string {
  return readFileSync(createRequire(import.meta.url).resolve(`uplot/dist/${file}`), 'utf8');
}

/** A version number from a path segment, or `InvalidInputError`. */
function versionParam(text: string): number {
  const version = Number(text);
  if (!/^[1-9][0-9]{0,9}$/.test(text) || !Number.isSafeInteger(version))
    throw new InvalidInputError(`version must be a whole number ≥ 1, got ${JSON.stringify(text.slice(0, 40))}`);
  return version;
}

/** A page number from the query (absent: 1), or `InvalidInputError`. */
function pageParam(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^[1-9][0-9]{0,6}$/.test(text))
    throw new InvalidInputError(`page must be a whole number ≥ 1, got ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}

/** What a write did, as the redirect after it names it (`?done=…&alias=…&version=…`). */
type Done = {
  readonly done: 'promoted' | 'rolled-back' | 'archived' | 'restored';
  readonly version: number;
  readonly alias?: string;
};

/**
 * The notice after a write, shown only while the registry still says so: a crafted link cannot make the page claim
 * something that did not happen.
 */
async function noticeOf(registry: Registry, name: string, query: Record<string, string>): Promise<string | undefined> {
  const version = Number(query.version);
  if (!Number.isSafeInteger(version) || version < 1) return undefined;
  const { done, alias } = query;
  if ((done === 'promoted' || done === 'rolled-back') && alias !== undefined) {
    if ((await registry.getAlias(name, alias).catch(() => undefined)) !== version) return undefined;
    return done === 'promoted' ? `${alias} now points at v${version}.` : `${alias} rolled back to v${version}.`;
  }
  if (done === 'archived' || done === 'restored') {
    const status = await registry.getVersion(name, version).then(
      (v) => v.status,
      () => undefined,
    );
    if (status === (done === 'archived' ? 'archived' : 'active')) return `v${version} ${done}.`;
  }
  return undefined;
}

/** The reason of a write: required, one line, at most 500 characters. */
function reasonOf(value: unknown): string {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (reason === '') throw new InvalidInputError('a reason is required');
  if (reason.length > 500 || /[\r\n]/.test(reason))
    throw new InvalidInputError('the reason must be one line of at most 500 characters');
  return reason;
}

/**
 * The web UI over `options.registry` as a Hono app (serve it with `serveUi`, or mount `app.fetch` anywhere):
 * server-rendered pages that read without JavaScript, charts drawn with uPlot from the app's own assets, and — with
 * a token — promote, roll back and archive as same-origin POSTs with a reason that lands in the alias history.
 */
export function createUi(options: UiOptions): Hono {
  const { registry, token } = options;
  if (token !== undefined && (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH))
    throw new InvalidInputError(`the UI token must have at least ${MIN_TOKEN_LENGTH} characters`);
  const pageSize = options.pageSize ?? 50;
  const assets = new Map<string, { body: string; type: string }>([
    ['/assets/ui.css', { body: UI_CSS, type: 'text/css; charset=utf-8' }],
    ['/assets/favicon.svg', { body: FAVICON_SVG, type: 'image/svg+xml' }],
    ['/assets/charts.js', { body: CHARTS_JS, type: 'text/javascript; charset=utf-8' }],
    ['/assets/uPlot.iife.min.js', { body: uplotAsset('uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' }],
    ['/assets/uPlot.min.css', { body: uplotAsset('uPlot.min.css'), type: 'text/css; charset=utf-8' }],
  ]);
  const app = new Hono();

  app.use(async (c, next) => {
    const start = performance.now();
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    options.log?.(
      `${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${Math.round(performance.now() - start)}ms`,
    );
  });

  app.get('/assets/:file', (c) => {
    const asset = assets.get(new URL(c.req.url).pathname);
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type });
  });

  app.get('/favicon.ico', (c) => c.redirect('/assets/favicon.svg', 301));

  app.get('/', async (c) => {
    const names = await registry.listModels();
    const models = await Promise.all(
      names.map(async (name) =>
        modelSummary(registry, name, options.headlineMetric, (await options.monitoring?.drift(name))?.at(-1)),
      ),
    );
    return c.html(<ModelsPage models={models} />);
  });

  app.get('/models/:name', async (c) => {
    const name = c.req.param('name');
    const page = pageParam(c.req.query('page'));
    const [versions, chart, history, records] = await Promise.all([
      registry.searchVersions({ name, limit: pageSize, offset: (page - 1) * pageSize }),
      registry.searchVersions({ name, limit: CHART_VERSIONS }),
      registry.aliasHistory(name),
      registry.decisions.list(name),
    ]);
    if (versions.total === 0 && history.length === 0) await registry.getVersion(name, 'latest'); // NotFoundError
    const pages = Math.max(1, Math.ceil(versions.total / pageSize));
    if (page > pages) throw new NotFoundError(`${JSON.stringify(name)} has ${pages} page(s) of versions, not ${page}`);
    const aliases = currentAliases(history);
    // The chart plots the metric the models page leads with: the production version's, else the newest's.
    const production = chart.versions.find((v) => v.version === aliases.get('production'));
    const lead = production ?? chart.versions.find((v) => v.status === 'active') ?? chart.versions[0];
    const headline = lead ? headlineOf(lead.metrics, options.headlineMetric) : undefined;
    const plotted = headline === undefined ? [] : [...chart.versions].reverse().filter((v) => headline in v.metrics);
    const notice = await noticeOf(registry, name, c.req.query());
    return c.html(
      <ModelPage
        name={name}
        versions={versions.versions}
        total={versions.total}
        page={page}
        pageSize={pageSize}
        aliases={aliases}
        history={[...history].reverse()}
        runs={lifecycleRuns(records)}
        {...(headline === undefined ? {} : { headline })}
        chart={{ x: plotted.map((v) => v.version), y: plotted.map((v) => v.metrics[headline!]!) }}
        {...(notice ? { notice } : {})}
        writable={token !== undefined}
      />,
    );
  });

  app.get('/models/:name/monitoring', async (c) => {
    const name = c.req.param('name');
    await registry.getVersion(name, 'latest'); // NotFoundError for an unknown model
    const [windows, drift] = options.monitoring
      ? await Promise.all([options.monitoring.windows(name), options.monitoring.drift(name)])
      : [[], []];
    return c.html(
      <MonitoringPage name={name} windows={windows} drift={drift} connected={options.monitoring !== undefined} />,
    );
  });

  app.get('/models/:name/versions/:version', async (c) => {
    const name = c.req.param('name');
    const version = await registry.getVersion(name, versionParam(c.req.param('version')));
    const history = await registry.aliasHistory(name);
    const aliases = [...currentAliases(history)].filter(([, v]) => v === version.version).map(([a]) => a);
    const promoted = history.find((m) => m.alias === 'production' && m.version === version.version);
    return c.html(
      <VersionPage
        version={version}
        aliases={aliases}
        {...(promoted?.previousVersion == null ? {} : { replaced: promoted.previousVersion })}
        writable={token !== undefined}
      />,
    );
  });

  app.get('/models/:name/compare', async (c) => {
    const name = c.req.param('name');
    const [a, b] = await Promise.all([
      registry.getVersion(name, versionParam(c.req.query('a') ?? '')),
      registry.getVersion(name, versionParam(c.req.query('b') ?? '')),
    ]);
    return c.html(<ComparePage a={a} b={b} />);
  });

  // Writes: same origin, then the token, then a reason; each lands in the registry's own history.
  const write = (handle: (c: Context, form: Record<string, unknown>) => Promise<Done>) => async (c: Context) => {
    if (!sameOrigin(c.req.url, c.req.header('origin'), c.req.header('sec-fetch-site')))
      return c.text('Cross-origin writes are refused.', 403);
    if (token === undefined) return c.text('This UI is read-only: it was started without a token.', 403);
    const form = await c.req.parseBody();
    const given =
      bearerToken(c.req.header('authorization')) ?? (typeof form.token === 'string' ? form.token : undefined);
    if (!tokenMatches(token, given)) return c.text('A valid token is required.', 401, { 'www-authenticate': 'Bearer' });
    if (form.confirm !== 'yes') return c.text("Confirm the change: send confirm=yes (the form's checkbox).", 400);
    const name = c.req.param('name')!;
    const { done, version, alias } = await handle(c, form);
    const query = new URLSearchParams({ done, version: String(version), ...(alias === undefined ? {} : { alias }) });
    return c.redirect(`${modelHref(name)}?${query}`, 303);
  };
  const limited = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.text(`Request body too large: forms take at most ${MAX_BODY_BYTES} bytes.`, 413),
  });

  app.post(
    '/models/:name/versions/:version/promote',
    limited,
    write(async (c, form) => {
      const name = c.req.param('name')!;
      const version = versionParam(c.req.param('version')!);
      const alias = typeof form.alias === 'string' && form.alias !== '' ? form.alias : 'production';
      const reason = reasonOf(form.reason);
      if ((await registry.getAlias(name, alias)) === version)
        throw new ConflictError(`${alias} already points at v${version}`, { name, version });
      await registry.setAlias(name, alias, version, { reason });
      return { done: 'promoted', alias, version };
    }),
  );
  app.post(
    '/models/:name/aliases/:alias/rollback',
    limited,
    write(async (c, form) => {
      const name = c.req.param('name')!;
      const move = await registry.rollback(name, c.req.param('alias')!, { reason: reasonOf(form.reason) });
      return { done: 'rolled-back', alias: move.alias, version: move.version };
    }),
  );
  app.post(
    '/models/:name/versions/:version/archive',
    limited,
    write(async (c, form) => {
      const name = c.req.param('name')!;
      const version = versionParam(c.req.param('version')!);
      await registry.archiveVersion(name, version, { reason: reasonOf(form.reason) });
      return { done: 'archived', version };
    }),
  );
  app.post(
    '/models/:name/versions/:version/restore',
    limited,
    write(async (c, form) => {
      const name = c.req.param('name')!;
      const version = versionParam(c.req.param('version')!);
      await registry.restoreVersion(name, version, { reason: reasonOf(form.reason) });
      return { done: 'restored', version };
    }),
  );

  // Dataset versions are immutable: their profiles are kept for the next request (the newest few).
  const profiles = new Map<string, DatasetProfile>();
  const profileOf = async (name: string, ref: number | 'latest'): Promise<DatasetProfile> => {
    const version = await registry.datasets.getVersion(name, ref);
    const key = `${name}@${version.version}`;
    let profile = profiles.get(key);
    if (!profile) {
      const loaded = await registry.datasets.load(name, version.version);
      profile = profileDataset(loaded.version, loaded.dataset);
      if (profiles.size >= PROFILES_KEPT) profiles.delete(profiles.keys().next().value!);
    }
    profiles.delete(key);
    profiles.set(key, profile);
    return profile;
  };

  app.get('/datasets', async (c) => {
    const names = await registry.datasets.list();
    const datasets = await Promise.all(
      names.map(async (name) => ({ name, latest: await registry.datasets.getVersion(name, 'latest') })),
    );
    return c.html(<DatasetsPage datasets={datasets} />);
  });

  const datasetPage = async (c: Context, ref: number | 'latest') => {
    const name = c.req.param('name')!;
    const [profile, versions] = await Promise.all([profileOf(name, ref), registry.datasets.listVersions(name)]);
    return c.html(<DatasetPage versions={versions} profile={profile} />);
  };
  app.get('/datasets/:name', (c) => datasetPage(c, 'latest'));
  app.get('/datasets/:name/versions/:version', (c) => datasetPage(c, versionParam(c.req.param('version'))));

  app.get('/datasets/:name/compare', async (c) => {
    const name = c.req.param('name');
    const [a, b] = [versionParam(c.req.query('a') ?? ''), versionParam(c.req.query('b') ?? '')];
    const [pa, pb, da, db] = await Promise.all([
      profileOf(name, a),
      profileOf(name, b),
      registry.datasets.load(name, a),
      registry.datasets.load(name, b),
    ]);
    return c.html(<DatasetComparePage a={pa} b={pb} rows={rowChanges(da.dataset, db.dataset)} />);
  });

  app.notFound((c) =>
    c.html(
      <Layout title="Not found">
        <h1>Not found</h1>
        <p>There is no page here.</p>
      </Layout>,
      404,
    ),
  );

  app.onError((error, c) => {
    const status = NotFoundError.isInstance(error)
      ? 404
      : ConflictError.isInstance(error)
        ? 409
        : InvalidInputError.isInstance(error)
          ? 400
          : 500;
    const message = status === 500 ? 'Something went wrong on the server.' : error.message;
    if (status === 500) options.log?.(`error: ${error instanceof Error ? error.message : String(error)}`);
    return c.html(
      <Layout title="Error">
        <h1>{status === 404 ? 'Not found' : status === 500 ? 'Server error' : 'Refused'}</h1>
        <p>{message}</p>
        <p>
          <a href="/">Back to the models</a>
        </p>
      </Layout>,
      status,
    );
  });

  return app;
}
