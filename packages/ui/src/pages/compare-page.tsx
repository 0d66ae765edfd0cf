import type { ModelVersion } from '@mlops/core';
import { formatMetric, Layout, modelHref, versionHref } from './layout';
import { paramText, schemaRows } from './version-page';

/** One compared field: its name, both values, and whether they differ. */
interface Compared {
  readonly name: string;
  readonly a: string;
  readonly b: string;
}

function compare(keys: Iterable<string>, a: (k: string) => string, b: (k: string) => string): Compared[] {
  return [...new Set(keys)].sort().map((name) => ({ name, a: a(name), b: b(name) }));
}

function CompareTable(props: {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly Compared[];
  readonly a: number;
  readonly b: number;
}) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">v{props.a}</th>
            <th scope="col">v{props.b}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr class={r.a === r.b ? '' : 'changed'}>
              <th scope="row">
                {r.name}
                {r.a === r.b ? null : <span class="visually-hidden"> (differs)</span>}
              </th>
              <td>{r.a}</td>
              <td>{r.b}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** `/models/:name/compare?a=&b=`: metrics, parameters and input schema of two versions, differences marked. */
export function ComparePage({ a, b }: { readonly a: ModelVersion; readonly b: ModelVersion }) {
  const schemaOf = (v: ModelVersion) =>
    new Map(
      schemaRows(v).map((r) => [
        r.name,
        `${r.type}${r.levels ? ` [${r.levels}]` : ''}${r.nullable === 'yes' ? ', nullable' : ''}`,
      ]),
    );
  const [sa, sb] = [schemaOf(a), schemaOf(b)];
  return (
    <Layout title={`${a.name}: v${a.version} vs v${b.version}`}>
      <p class="crumbs">
        <a href={modelHref(a.name)}>{a.name}</a> / compare
      </p>
      <h1>
        <a href={versionHref(a.name, a.version)}>v{a.version}</a> vs{' '}
        <a href={versionHref(b.name, b.version)}>v{b.version}</a>
      </h1>
      <CompareTable
        id="metrics"
        title="Metrics"
        a={a.version}
        b={b.version}
        rows={compare(
          [...Object.keys(a.metrics), ...Object.keys(b.metrics)],
          (k) => formatMetric(a.metrics[k]),
          (k) => formatMetric(b.metrics[k]),
        )}
      />
      <CompareTable
        id="params"
        title="Parameters"
        a={a.version}
        b={b.version}
        rows={compare(
          [...Object.keys(a.params), ...Object.keys(b.params)],
          (k) => paramText(a.params[k]),
          (k) => paramText(b.params[k]),
        )}
      />
      <CompareTable
        id="schema"
        title="Input schema"
        a={a.version}
        b={b.version}
        rows={compare(
          [...sa.keys(), ...sb.keys()],
          (k) => sa.get(k) ?? 'absent',
          (k) => sb.get(k) ?? 'absent',
        )}
      />
    </Layout>
  );
}
