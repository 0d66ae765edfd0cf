import type { DatasetVersion } from '@mlops/core';
import type { ColumnProfile, DatasetProfile } from '../dataset-profile';
import { datasetHref, formatMetric, formatTime, Layout, CompareForm } from './layout';

/** Link to one version of a dataset. */
const datasetVersionHref = (name: string, version: number) => `${datasetHref(name)}/versions/${version}`;
const share = (value: number) => `${(value * 100).toFixed(1)}%`;

/** A column's summary as one line of text. */
function summaryText(column: ColumnProfile): string {
  if (column.kind === 'category')
    return `${column.levels} levels: ${column.top.map((t) => `${t.level} ${share(t.share)}`).join(', ')}${column.levels > column.top.length ? ', …' : ''}`;
  return `mean ${formatMetric(column.mean)}, std ${formatMetric(column.std)}, min ${formatMetric(column.min)}, max ${formatMetric(column.max)}, ${column.distinct} distinct`;
}

const typeText = (column: ColumnProfile) => (column.kind === 'category' ? 'category' : column.type);

/** `/datasets`: every dataset with its newest version. */
export function DatasetsPage(props: { readonly datasets: readonly { name: string; latest: DatasetVersion }[] }) {
  return (
    <Layout title="Datasets">
      <h1>Datasets</h1>
      {props.datasets.length === 0 ? (
        <p>No dataset is registered yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Registered datasets</caption>
          <thead>
            <tr>
              <th scope="col">Dataset</th>
              <th scope="col">Versions</th>
              <th scope="col">Rows</th>
              <th scope="col">Columns</th>
              <th scope="col">Fingerprint</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {props.datasets.map(({ name, latest }) => (
              <tr>
                <th scope="row">
                  <a href={datasetHref(name)}>{name}</a>
                </th>
                <td class="number">{latest.version}</td>
                <td class="number">{latest.rows}</td>
                <td class="number">{latest.featureNames.length}</td>
                <td>
                  <code>{latest.fingerprint.slice(0, 12)}</code>
                </td>
                <td>{formatTime(latest.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function ColumnsTable(props: { readonly profile: DatasetProfile }) {
  return (
    <table>
      <caption class="visually-hidden">Columns of version {props.profile.version.version}</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Type</th>
          <th scope="col">Summary</th>
        </tr>
      </thead>
      <tbody>
        {[...props.profile.columns, props.profile.target].map((column) => (
          <tr>
            <th scope="row">{column.name}</th>
            <td>{typeText(column)}</td>
            <td>{summaryText(column)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/datasets/:name` and `/datasets/:name/versions/:v`: the versions, and one version's columns. */
export function DatasetPage(props: { readonly versions: readonly DatasetVersion[]; readonly profile: DatasetProfile }) {
  const { version } = props.profile;
  const name = version.name;
  return (
    <Layout title={`${name} v${version.version}`}>
      <p class="crumbs">
        <a href="/datasets">Datasets</a> / {name}
      </p>
      <h1>
        {name} <span class="badge">v{version.version}</span>
      </h1>
      <dl class="facts">
        <dt>Rows</dt>
        <dd>{version.rows}</dd>
        <dt>Columns</dt>
        <dd>{version.featureNames.length}</dd>
        <dt>Fingerprint</dt>
        <dd>
          <code>{version.fingerprint}</code>
        </dd>
        <dt>Stored</dt>
        <dd>
          {version.data.bytes} bytes, sha256 <code>{version.data.sha256}</code>
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(version.createdAt)}</dd>
        {version.description ? (
          <>
            <dt>Description</dt>
            <dd>{version.description}</dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="columns">
        <h2 id="columns">Columns</h2>
        <ColumnsTable profile={props.profile} />
      </section>
      <section aria-labelledby="versions">
        <h2 id="versions">Versions ({props.versions.length})</h2>
        <table>
          <caption class="visually-hidden">Versions of {name}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Rows</th>
              <th scope="col">Fingerprint</th>
              <th scope="col">Tags</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {[...props.versions].reverse().map((v) => (
              <tr>
                <th scope="row">
                  <a href={datasetVersionHref(name, v.version)}>v{v.version}</a>
                </th>
                <td class="number">{v.rows}</td>
                <td>
                  <code>{v.fingerprint.slice(0, 12)}</code>
                </td>
                <td>
                  {Object.entries(v.tags)
                    .map(([k, t]) => `${k}=${t}`)
                    .join(', ')}
                </td>
                <td>{formatTime(v.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <CompareForm action={`${datasetHref(name)}/compare`} />
      </section>
    </Layout>
  );
}

/** `/datasets/:name/compare?a=&b=`: shape, rows added and removed, and each column's summary before and after. */
export function DatasetComparePage(props: {
  readonly a: DatasetProfile;
  readonly b: DatasetProfile;
  readonly rows: { readonly added: number; readonly removed: number };
}) {
  const { a, b } = props;
  const name = a.version.name;
  const columnsOf = (p: DatasetProfile) => new Map([...p.columns, p.target].map((c) => [c.name, c]));
  const [ca, cb] = [columnsOf(a), columnsOf(b)];
  const names = [...new Set([...ca.keys(), ...cb.keys()])];
  const text = (c: ColumnProfile | undefined) => (c ? `${typeText(c)}: ${summaryText(c)}` : 'absent');
  return (
    <Layout title={`${name}: v${a.version.version} vs v${b.version.version}`}>
      <p class="crumbs">
        <a href="/datasets">Datasets</a> / <a href={datasetHref(name)}>{name}</a> / compare
      </p>
      <h1>
        <a href={datasetVersionHref(name, a.version.version)}>v{a.version.version}</a> vs{' '}
        <a href={datasetVersionHref(name, b.version.version)}>v{b.version.version}</a>
      </h1>
      <dl class="facts">
        <dt>Rows</dt>
        <dd>
          {a.version.rows} → {b.version.rows} ({props.rows.added} added, {props.rows.removed} removed)
        </dd>
        <dt>Same content</dt>
        <dd>{a.version.fingerprint === b.version.fingerprint ? 'yes' : 'no'}</dd>
      </dl>
      <section aria-labelledby="columns">
        <h2 id="columns">Columns</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">v{a.version.version}</th>
              <th scope="col">v{b.version.version}</th>
            </tr>
          </thead>
          <tbody>
            {names.map((column) => {
              const [before, after] = [text(ca.get(column)), text(cb.get(column))];
              return (
                <tr class={before === after ? '' : 'changed'}>
                  <th scope="row">
                    {column}
                    {before === after ? null : <span class="visually-hidden"> (differs)</span>}
                  </th>
                  <td>{before}</td>
                  <td>{after}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}
