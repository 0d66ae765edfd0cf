import type { AliasMove, ModelVersion } from '@mlops/core';
import type { LifecycleRun } from '../views';
import { Chart, datasetHref, formatMetric, formatTime, Layout, modelHref, versionHref, CompareForm } from './layout';
import { ActionForm } from './version-page';

/** What the model page shows. */
export interface ModelPageProps {
  readonly name: string;
  /** This page of versions, newest first, and the paging. */
  readonly versions: readonly ModelVersion[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly aliases: ReadonlyMap<string, number>;
  /** Alias moves, newest first. */
  readonly history: readonly AliasMove[];
  readonly runs: readonly LifecycleRun[];
  /** The headline metric and its value per version (oldest first) for the chart. */
  readonly headline?: string;
  readonly chart: { readonly x: readonly number[]; readonly y: readonly number[] };
  readonly notice?: string;
  /** Whether writes are enabled (a token is configured). */
  readonly writable: boolean;
}

/** `/models/:name`: versions (paginated), aliases and their history, the lifecycle's decisions, the metric chart. */
export function ModelPage(props: ModelPageProps) {
  const { name } = props;
  const aliasesOf = (version: number) => [...props.aliases].filter(([, v]) => v === version).map(([alias]) => alias);
  const metricNames = [...new Set(props.versions.flatMap((v) => Object.keys(v.metrics)))].sort();
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const pageHref = (page: number) => `${modelHref(name)}?page=${page}`;
  return (
    <Layout title={name} {...(props.notice ? { notice: props.notice } : {})}>
      <h1>{name}</h1>
      <p>
        <a href={`${modelHref(name)}/monitoring`}>Monitoring: scores and drift in production</a>
      </p>
      <section aria-labelledby="aliases">
        <h2 id="aliases">Aliases</h2>
        {props.aliases.size === 0 ? (
          <p>No alias points at a version.</p>
        ) : (
          <ul class="inline">
            {[...props.aliases].map(([alias, version]) => (
              <li>
                <span class="badge">{alias}</span> → <a href={versionHref(name, version)}>v{version}</a>
              </li>
            ))}
          </ul>
        )}
        {props.writable
          ? [...props.aliases.keys()].map((alias) => (
              <ActionForm
                action={`${modelHref(name)}/aliases/${encodeURIComponent(alias)}/rollback`}
                title={`Roll back ${alias}`}
                button="Roll back"
              />
            ))
          : null}
      </section>

      {props.headline && props.chart.x.length > 0 ? (
        <section aria-labelledby="chart-title">
          <h2 id="chart-title">
            {props.headline} per version{props.chart.x.length < props.total ? ` (newest ${props.chart.x.length})` : ''}
          </h2>
          <Chart id="metric-chart" label={props.headline} xLabel="version" x={props.chart.x} y={props.chart.y} />
        </section>
      ) : null}

      <section aria-labelledby="versions">
        <h2 id="versions">Versions ({props.total})</h2>
        <table>
          <caption class="visually-hidden">
            Versions of {name}, newest first, page {props.page} of {pages}
          </caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Aliases</th>
              {metricNames.map((m) => (
                <th scope="col">{m}</th>
              ))}
              <th scope="col">Tags</th>
              <th scope="col">Training data</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {props.versions.map((v) => (
              <tr>
                <th scope="row">
                  <a href={versionHref(name, v.version)}>v{v.version}</a>
                </th>
                <td>{v.status}</td>
                <td>
                  {aliasesOf(v.version).map((a) => (
                    <span class="badge">{a}</span>
                  ))}
                </td>
                {metricNames.map((m) => (
                  <td class="number">{formatMetric(v.metrics[m])}</td>
                ))}
                <td>
                  {Object.entries(v.tags)
                    .map(([k, t]) => `${k}=${t}`)
                    .join(', ')}
                </td>
                <td>
                  {v.dataset?.name ? (
                    <a href={datasetHref(v.dataset.name)}>
                      {v.dataset.name}
                      {v.dataset.version === undefined ? '' : ` v${v.dataset.version}`}
                    </a>
                  ) : (
                    (v.dataset?.fingerprint.slice(0, 12) ?? '—')
                  )}
                </td>
                <td>{formatTime(v.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {pages > 1 ? (
          <nav aria-label="Version pages" class="pages">
            {props.page > 1 ? <a href={pageHref(props.page - 1)}>← Newer</a> : null}
            <span>
              Page {props.page} of {pages}
            </span>
            {props.page < pages ? <a href={pageHref(props.page + 1)}>Older →</a> : null}
          </nav>
        ) : null}
        <CompareForm action={`${modelHref(name)}/compare`} />
      </section>

      <section aria-labelledby="alias-history">
        <h2 id="alias-history">Alias history</h2>
        {props.history.length === 0 ? (
          <p>No alias has moved yet.</p>
        ) : (
          <ol class="timeline">
            {props.history.map((move) => (
              <li>
                <time datetime={move.at}>{formatTime(move.at)}</time> <span class="badge">{move.alias}</span>{' '}
                {move.kind === 'rollback' ? 'rolled back' : 'set'} to{' '}
                <a href={versionHref(name, move.version)}>v{move.version}</a>
                {move.previousVersion === null ? ' (created)' : ` from v${move.previousVersion}`}
                {move.reason ? <span class="reason"> — {move.reason}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="decisions">
        <h2 id="decisions">Lifecycle decisions</h2>
        {props.runs.length === 0 ? (
          <p>The lifecycle has not run on this model.</p>
        ) : (
          <ol class="timeline">
            {props.runs.map((run) => (
              <li>
                <time datetime={run.at}>{formatTime(run.at)}</time>{' '}
                <span class={`badge ${run.action === 'promoted' ? 'good' : run.action === 'rejected' ? 'bad' : ''}`}>
                  {run.action ?? `stopped at ${run.phase}`}
                </span>{' '}
                triggered by {run.triggers.join(', ')}
                {run.championVersion === undefined ? null : <> · champion v{run.championVersion}</>}
                {run.challengerVersion === undefined ? null : <> · challenger v{run.challengerVersion}</>}
                {Object.keys(run.metrics).length ? (
                  <span class="metrics">
                    {' '}
                    ·{' '}
                    {Object.entries(run.metrics)
                      .map(([k, v]) => `${k} ${formatMetric(v)}`)
                      .join(', ')}
                  </span>
                ) : null}
                {run.reason ? <div class="reason">{run.reason}</div> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </Layout>
  );
}
