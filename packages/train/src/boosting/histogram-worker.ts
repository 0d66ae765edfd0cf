// Worker-thread entry: fills its share of the features of the histograms a boosting fit asks for, until told to exit.
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Control, type HistogramWorkerData, Op, SPIN } from './histogram-engine';
import { fillHistogram, fillRootHistograms, STRIDE } from './histograms';

const { codes, rows, cols, g, h, order, control, f0, f1, port } = workerData as HistogramWorkerData;
const hists: Float64Array[] = [];
const scratch = new Float64Array(g.length > 1 ? (f1 - f0) * STRIDE * (2 * g.length + 1) : 0);

const finish = () => {
  Atomics.add(control, Control.Done, 1);
  Atomics.notify(control, Control.Done);
};

finish(); // started
for (let generation = 0; ; ) {
  for (let spin = 0; spin < SPIN && Atomics.load(control, Control.Generation) === generation; spin++);
  Atomics.wait(control, Control.Generation, generation);
  generation = Atomics.load(control, Control.Generation);
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const { id, hist } = m.message as { id: number; hist: Float64Array };
    hists[id] = hist;
  }
  const op = control[Control.Op];
  if (op === Op.Exit) break;
  try {
    if (op === Op.Build) {
      const k = control[Control.Output]!;
      const hist = hists[control[Control.Hist]!]!;
      fillHistogram(codes, cols, hist, g[k]!, h[k]!, order, control[Control.Start]!, control[Control.End]!, f0, f1);
    } else {
      const roots = g.map((_, k) => hists[control[Control.Roots + k]!]!);
      fillRootHistograms(codes, cols, rows, roots, g, h, scratch, f0, f1);
    }
  } catch {
    Atomics.store(control, Control.Failed, 1);
  }
  finish();
}
port.close();
