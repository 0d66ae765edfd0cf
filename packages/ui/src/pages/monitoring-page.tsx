import type { DriftCheck, MonitoringWindow } from '../monitoring';
import { Chart, formatMetric, formatTime, Layout, modelHref, versionHref } from './layout';

/** Drift checks shown per feature (the newest). */
const DRIFT_COLUMNS = 12;

function WindowsSection(props: { readonly name: string; readonly windows: readonly MonitoringWindow[] }) {
  const { name, windows } = props;
  if (windows.length === 0)
    return <p>No labelled predictions are logged for {name} yet: scores appear once labels are joined.</p>;
  const metricNames = [...new Set(windows.flatMap((w) => Object.keys(w.metrics)))];
  const lead = metricNames[0]!;
  return (
    <>
      <Chart
        id="window-chart"
        label={lead}
        xLabel="window"
        x={windows.map((_, i) => i + 1)}
        y={windows.map((w) => w.metrics[lead] ?? Number.NaN)}
      />
      <table>
        <caption class="visually-hidden">Scores per window of labelled predictions, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Window</th>
            <th scope="col">Version</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Rows</th>
            {metricNames.map((m) => (
              <th scope="col">{m}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {windows.map((w, i) => (
            <tr>
              <th scope="row">{i + 1}</th>
              <td>
                <a href={versionHref(name, w.version)}>v{w.version}</a>
              </td>
              <td>{formatTime(w.from)}</td>
              <td>{formatTime(w.to)}</td>
              <td class="number">{w.rows}</td>
              {metricNames.map((m) => (
                <td class="number">{formatMetric(w.metrics[m])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function DriftSection(props: { readonly name: string; readonly checks: readonly DriftCheck[] }) {
  const { checks } = props;
  if (checks.length === 0) return <p>No drift check is logged for {props.name} yet.</p>;
  const recent = checks.slice(-DRIFT_COLUMNS);
  const features = [...new Set(recent.flatMap((c) => c.report.features.map((f) => f.feature)))];
  const latest = checks[checks.length - 1]!;
  return (
    <>
      <Chart
        id="drift-chart"
        label="share of drifted features"
        xLabel="check"
        x={checks.map((_, i) => i + 1)}
        y={checks.map((c) => c.report.driftedShare)}
      />
      <h3 id="drift-per-feature">Per feature over time</h3>
      <div class="scroll">
        <table aria-labelledby="drift-per-feature">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              {recent.map((c) => (
                <th scope="col">
                  <time datetime={c.time}>{formatTime(c.time)}</time>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {features.map((feature) => (
              <tr>
                <th scope="row">{feature}</th>
                {recent.map((c) => {
                  const f = c.report.features.find((x) => x.feature === feature);
                  if (!f) return <td>—</td>;
                  return (
                    <td class={f.drifted ? 'number drifted' : 'number'}>
                      {formatMetric(f.statistic)}
                      {f.drifted ? <span class="badge bad">drift</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 id="latest-drift">
        Latest check: <time datetime={latest.time}>{formatTime(latest.time)}</time>
        {latest.version === undefined ? null : ` (v${latest.version})`}
      </h3>
      <p>
        {latest.report.datasetDrift ? (
          <span class="badge bad">dataset drift</span>
        ) : (
          <span class="badge good">no dataset drift</span>
        )}{' '}
        {latest.report.driftedCount} of {latest.report.features.length} features drifted; {latest.report.referenceRows}{' '}
        reference rows vs {latest.report.currentRows} current rows.
      </p>
      <table aria-labelledby="latest-drift">
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Test</th>
            <th scope="col">Statistic</th>
            <th scope="col">p-value</th>
            <th scope="col">Threshold</th>
            <th scope="col">Drift</th>
          </tr>
        </thead>
        <tbody>
          {latest.report.features.map((f) => (
            <tr class={f.drifted ? 'changed' : ''}>
              <th scope="row">{f.feature}</th>
              <td>{f.test}</td>
              <td class="number">{formatMetric(f.statistic)}</td>
              <td class="number">{f.pValue === undefined ? '—' : f.pValue.toExponential(2)}</td>
              <td class="number">{formatMetric(f.threshold)}</td>
              <td>{f.drifted ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** `/models/:name/monitoring`: scores per window per version, drift per feature over time, the latest drift check. */
export function MonitoringPage(props: {
  readonly name: string;
  readonly windows: readonly MonitoringWindow[];
  readonly drift: readonly DriftCheck[];
  readonly connected: boolean;
}) {
  return (
    <Layout title={`${props.name} monitoring`}>
      <p class="crumbs">
        <a href={modelHref(props.name)}>{props.name}</a> / monitoring
      </p>
      <h1>{props.name} in production</h1>
      {props.connected ? null : (
        <p class="notice">
          No monitoring source is connected: start the UI with <code>--monitoring DIR</code> (the directory holding{' '}
          <code>predictions.ndjson</code> and <code>drift.ndjson</code>).
        </p>
      )}
      <section aria-labelledby="performance">
        <h2 id="performance">Scores per window</h2>
        <WindowsSection name={props.name} windows={props.windows} />
      </section>
      <section aria-labelledby="drift">
        <h2 id="drift">Drift</h2>
        <DriftSection name={props.name} checks={props.drift} />
      </section>
    </Layout>
  );
}
