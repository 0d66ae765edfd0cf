import { InvalidInputError } from '@mlops/core';
import type { RegressionWindowMetrics, WindowMetrics } from '../performance/windows';
import { escapeHtml, formatNumber } from './html';

/** A classifier's quality for the report: its windows and a confusion matrix over named classes. */
export interface ClassificationQuality {
  /** A classifier. */
  readonly task: 'classification';
  /** Class names in index order (labels and predictions are indices into them). */
  readonly classNames: readonly string[];
  /** Accuracy and macro-F1 per window (`windowedMetrics` or `rollingMetrics`). */
  readonly windows: readonly WindowMetrics[];
  /** `confusion[a][p]`: rows of true class `a` predicted as `p` (`confusionMatrix`), one row and column per class. */
  readonly confusion: readonly (readonly number[])[];
}

/** A regressor's quality for the report: MAE, RMSE and R² per window. */
export interface RegressionQuality {
  /** A regressor. */
  readonly task: 'regression';
  /** MAE, RMSE and R² per window (`windowedRegressionMetrics` or `rollingRegressionMetrics`). */
  readonly windows: readonly RegressionWindowMetrics[];
}

/** The model-quality section of a drift report: classification or regression. */
export type ModelQuality = ClassificationQuality | RegressionQuality;

type Window = WindowMetrics | RegressionWindowMetrics;

function windowsTable<W extends Window>(windows: readonly W[], columns: [string, (w: W) => number][]): string {
  if (windows.length === 0) return '<p class="meta">No labelled predictions.</p>';
  const head = ['Model', 'Version', 'From', 'To', 'Rows', ...columns.map(([name]) => name)];
  const rows = windows.map((w) => {
    const cells = [w.model, w.version, w.from, w.to].map((text) => `<td>${escapeHtml(String(text))}</td>`);
    const numbers = columns.map(([, value]) => `<td class="num">${escapeHtml(formatNumber(Number(value(w))))}</td>`);
    cells.push(`<td class="num">${Number(w.rows)}</td>`);
    return `<tr>${cells.join('')}${numbers.join('')}</tr>`;
  });
  return `<table class="windows"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function confusionTable(classNames: readonly string[], confusion: readonly (readonly number[])[]): string {
  const k = classNames.length;
  const square = confusion?.length === k && confusion.every((row) => Array.isArray(row) && row.length === k);
  if (!square) {
    throw new InvalidInputError(`the confusion matrix must be ${k} × ${k}, one row and column per class name`);
  }
  const names = classNames.map((name) => escapeHtml(String(name)));
  const rows = confusion.map((row, a) => {
    const total = row.reduce((s, v) => s + Number(v), 0);
    const cells = row.map((v, p) => {
      const share = total > 0 ? Number(v) / total : 0;
      return `<td class="num${a === p ? ' diagonal' : ''}" style="background:rgba(92,107,192,${(share * 0.6).toFixed(3)})">${Number(v)}</td>`;
    });
    return `<tr><th>${names[a]}</th>${cells.join('')}</tr>`;
  });
  return (
    `<table class="confusion"><caption>Confusion matrix: rows are true classes, columns predictions</caption>` +
    `<thead><tr><th>true \\ predicted</th>${names.map((n) => `<th>${n}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

/** The HTML of the model-quality section: a table of windows and, for a classifier, its confusion matrix. */
export function qualitySection(quality: ModelQuality): string {
  if (quality.task === 'classification') {
    return (
      `<h2>Model quality</h2>` +
      windowsTable(quality.windows, [
        ['Accuracy', (w) => w.accuracy],
        ['Macro F1', (w) => w.f1],
      ]) +
      confusionTable(quality.classNames, quality.confusion)
    );
  }
  if (quality.task === 'regression') {
    return (
      `<h2>Model quality</h2>` +
      windowsTable(quality.windows, [
        ['MAE', (w) => w.mae],
        ['RMSE', (w) => w.rmse],
        ['R²', (w) => w.r2],
      ])
    );
  }
  throw new InvalidInputError(
    `quality.task must be "classification" or "regression", got ${String((quality as { task?: unknown }).task)}`,
  );
}
