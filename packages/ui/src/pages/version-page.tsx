import type { JsonValue, ModelVersion } from '@mlops/core';
import { datasetHref, formatMetric, formatTime, Layout, modelHref, versionHref } from './layout';

/** A parameter value as text. */
export const paramText = (value: JsonValue | undefined): string =>
  value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

/** The input schema as rows: name, type, levels, nullable, fill, training misses. */
export function schemaRows(
  v: ModelVersion,
): { name: string; type: string; levels: string; nullable: string; fill: string; missing: string }[] {
  const { signature } = v;
  if (signature.inputs)
    return signature.inputs.map((c) => ({
      name: c.name,
      type: c.type,
      levels: c.levels?.join(', ') ?? '',
      nullable: c.nullable ? 'yes' : 'no',
      fill: c.fill ? paramText(c.fill as unknown as JsonValue) : '',
      missing: String(c.missingCount),
    }));
  return signature.featureNames.map((name, i) => ({
    name,
    type: signature.featureTypes[i] ?? 'number',
    levels: '',
    nullable: 'no',
    fill: '',
    missing: '',
  }));
}

/** What the version page shows. */
export interface VersionPageProps {
  readonly version: ModelVersion;
  /** Aliases pointing at it. */
  readonly aliases: readonly string[];
  /** The version `production` pointed at before it was first moved to this one. */
  readonly replaced?: number;
  /** Whether writes are enabled (a token is configured). */
  readonly writable: boolean;
}

/** `/models/:name/versions/:version`: schema, params, metrics, artifact, lineage, and the actions. */
export function VersionPage({ version: v, aliases, replaced, writable }: VersionPageProps) {
  const base = versionHref(v.name, v.version);
  const rows = schemaRows(v);
  return (
    <Layout title={`${v.name} v${v.version}`}>
      <p class="crumbs">
        <a href={modelHref(v.name)}>{v.name}</a> / v{v.version}
      </p>
      <h1>
        {v.name} v{v.version}{' '}
        {aliases.map((a) => (
          <span class="badge">{a}</span>
        ))}
      </h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd>{v.status}</dd>
        <dt>Created</dt>
        <dd>{formatTime(v.createdAt)}</dd>
        {v.description ? (
          <>
            <dt>Description</dt>
            <dd>{v.description}</dd>
          </>
        ) : null}
        <dt>Classes</dt>
        <dd>{v.signature.classNames?.join(', ') ?? 'regression'}</dd>
      </dl>

      <section aria-labelledby="lineage">
        <h2 id="lineage">Lineage</h2>
        <ol class="lineage">
          <li>
            Dataset:{' '}
            {v.dataset?.name ? (
              <a href={datasetHref(v.dataset.name)}>
                {v.dataset.name}
                {v.dataset.version === undefined ? '' : ` v${v.dataset.version}`}
              </a>
            ) : (
              'unnamed'
            )}{' '}
            <code>{v.dataset?.fingerprint.slice(0, 16) ?? 'no fingerprint'}</code>
          </li>
          <li>
            This version: v{v.version}
            {v.parentVersion === undefined ? null : (
              <>
                {' '}
                (derived from <a href={versionHref(v.name, v.parentVersion)}>v{v.parentVersion}</a>)
              </>
            )}
          </li>
          <li>
            Replaced in production:{' '}
            {replaced === undefined ? 'nothing' : <a href={versionHref(v.name, replaced)}>v{replaced}</a>}
          </li>
        </ol>
      </section>

      <section aria-labelledby="metrics">
        <h2 id="metrics">Metrics</h2>
        <table>
          <tbody>
            {Object.entries(v.metrics).map(([k, m]) => (
              <tr>
                <th scope="row">{k}</th>
                <td class="number">{formatMetric(m)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="schema">
        <h2 id="schema">Input schema</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col">Category levels</th>
              <th scope="col">Nullable</th>
              <th scope="col">Fill</th>
              <th scope="col">Missing in training</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                <td>{r.type}</td>
                <td>{r.levels}</td>
                <td>{r.nullable}</td>
                <td>{r.fill}</td>
                <td class="number">{r.missing}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="params">
        <h2 id="params">Parameters</h2>
        <table>
          <tbody>
            {Object.entries(v.params).map(([k, p]) => (
              <tr>
                <th scope="row">{k}</th>
                <td>
                  <code>{paramText(p)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="artifact">
        <h2 id="artifact">Artifact</h2>
        <dl class="facts">
          <dt>Format</dt>
          <dd>
            {v.artifact.format} (format version {v.artifact.formatVersion})
          </dd>
          <dt>Size</dt>
          <dd>{v.artifact.bytes.toLocaleString('en')} bytes</dd>
          <dt>sha256</dt>
          <dd>
            <code>{v.artifact.sha256}</code>
          </dd>
        </dl>
      </section>

      <section aria-labelledby="actions">
        <h2 id="actions">Actions</h2>
        {!writable ? (
          <p>This UI is read-only: start it with a token (`--token-file` or `MLOPS_UI_TOKEN`) to promote or archive.</p>
        ) : v.status === 'archived' ? (
          <>
            <p>Archived versions cannot be promoted: restore it first.</p>
            <ActionForm action={`${base}/restore`} title={`Restore v${v.version}`} button="Restore" />
          </>
        ) : (
          <>
            <ActionForm action={`${base}/promote`} title={`Promote v${v.version}`} button="Promote">
              <label>
                Alias <input name="alias" value="production" required pattern="[A-Za-z0-9][A-Za-z0-9._-]*" />
              </label>
            </ActionForm>
            {aliases.length === 0 ? (
              <ActionForm action={`${base}/archive`} title={`Archive v${v.version}`} button="Archive" />
            ) : null}
          </>
        )}
      </section>
    </Layout>
  );
}

/** A write: its own fields, a required reason, the token, and a confirmation box. */
export function ActionForm(props: {
  readonly action: string;
  readonly title: string;
  readonly button: string;
  readonly children?: unknown;
}) {
  return (
    <form method="post" action={props.action} class="action">
      <fieldset>
        <legend>{props.title}</legend>
        {props.children}
        <label>
          Reason <input name="reason" required maxlength={500} />
        </label>
        <label>
          Token <input name="token" type="password" required autocomplete="off" />
        </label>
        <label class="confirm">
          <input type="checkbox" name="confirm" value="yes" required /> I confirm
        </label>
        <button type="submit">{props.button}</button>
      </fieldset>
    </form>
  );
}
