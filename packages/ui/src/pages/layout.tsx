import type { Child } from 'hono/jsx';

/** Formats a metric value for a table cell. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

/** Formats an ISO 8601 time as `YYYY-MM-DD HH:MM` UTC. */
export function formatTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—';
}

/** Link to a model page. */
export const modelHref = (name: string) => `/models/${encodeURIComponent(name)}`;
/** Link to a version page. */
export const versionHref = (name: string, version: number) => `${modelHref(name)}/versions/${version}`;
/** Link to a dataset page. */
export const datasetHref = (name: string) => `/datasets/${encodeURIComponent(name)}`;

/**
 * Data for a chart drawn by `/assets/charts.js` (uPlot): x values, one series, and what they are. The page carries
 * the same numbers as a table, so it reads without JavaScript.
 */
export function Chart(props: {
  readonly id: string;
  readonly label: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly xLabel: string;
  readonly kind?: 'line' | 'sparkline';
}) {
  const data = JSON.stringify({ x: props.x, y: props.y, label: props.label, xLabel: props.xLabel });
  return (
    <div
      class={props.kind === 'sparkline' ? 'sparkline' : 'chart'}
      id={props.id}
      data-chart={props.kind ?? 'line'}
      data-series={data}
      role="img"
      aria-label={`${props.label} by ${props.xLabel}: ${props.y.map((v) => formatMetric(v)).join(', ') || 'no values'}`}
    />
  );
}

/** Every page: navigation, the content, and the scripts that draw charts. */
export function Layout(props: { readonly title: string; readonly children: Child; readonly notice?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · mlops`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/uPlot.min.css" />
        <link rel="stylesheet" href="/assets/ui.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <nav aria-label="Main">
            <a href="/" class="brand">
              mlops
            </a>
            <a href="/">Models</a>
            <a href="/datasets">Datasets</a>
          </nav>
        </header>
        <main id="main">
          {props.notice ? (
            <p class="notice" role="status">
              {props.notice}
            </p>
          ) : null}
          {props.children}
        </main>
        <script src="/assets/uPlot.iife.min.js" defer />
        <script src="/assets/charts.js" defer />
      </body>
    </html>
  );
}

/** A GET form asking for two version numbers to compare, sent to `action`. */
export function CompareForm(props: { readonly action: string }) {
  return (
    <form method="get" action={props.action} class="compare">
      <label>
        Compare version <input type="number" name="a" min="1" required />
      </label>
      <label>
        with version <input type="number" name="b" min="1" required />
      </label>
      <button type="submit">Compare</button>
    </form>
  );
}
