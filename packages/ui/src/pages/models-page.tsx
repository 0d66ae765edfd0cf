import type { ModelSummary } from '../views';
import { Chart, formatMetric, formatTime, Layout, modelHref, versionHref } from './layout';

/** `/`: every model with its production version, last change, headline metric, drift verdict and trend. */
export function ModelsPage(props: { readonly models: readonly ModelSummary[] }) {
  return (
    <Layout title="Models">
      <h1>Models</h1>
      {props.models.length === 0 ? (
        <p>No model is registered yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Registered models</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Production</th>
              <th scope="col">Versions</th>
              <th scope="col">Last change</th>
              <th scope="col">Headline metric</th>
              <th scope="col">Drift</th>
              <th scope="col">Trend</th>
            </tr>
          </thead>
          <tbody>
            {props.models.map((m) => (
              <tr>
                <th scope="row">
                  <a href={modelHref(m.name)}>{m.name}</a>
                </th>
                <td>
                  {m.production ? <a href={versionHref(m.name, m.production.version)}>v{m.production.version}</a> : '—'}
                </td>
                <td class="number">{m.versions}</td>
                <td>{formatTime(m.lastChange)}</td>
                <td>{m.headline ? `${m.headline.name} ${formatMetric(m.headline.value)}` : '—'}</td>
                <td>
                  {m.drift ? (
                    <span class={m.drift.drifted ? 'badge bad' : 'badge good'}>
                      {m.drift.drifted ? 'drift' : 'no drift'} ({formatTime(m.drift.at)})
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {m.headline && m.trend.length > 1 ? (
                    <Chart
                      id={`trend-${m.name}`}
                      kind="sparkline"
                      label={m.headline.name}
                      xLabel="version"
                      x={m.trend.map((_, i) => i + 1)}
                      y={m.trend}
                    />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
