// Worker-thread entry: fills its share of the features of the histograms a boosting fit asks for, until told to exit.
import { workerData } from 'node:worker_threads';
import { Control, type HistogramWorkerData, Op, SPIN } from './engine';
import { kernelsOn } from './kernels';

const { module, memory, codes, cols, g, h, order, control, f0, f1 } = workerData as HistogramWorkerData;
const kernels = kernelsOn(module, memory);

const finish = () => {
  Atomics.add(control, Control.Done, 1);
  Atomics.notify(control, Control.Done);
};

finish(); // started
for (let generation = 0; ; ) {
  for (let spin = 0; spin < SPIN && Atomics.load(control, Control.Generation) === generation; spin++);
  Atomics.wait(control, Control.Generation, generation);
  generation = Atomics.load(control, Control.Generation);
  if (control[Control.Op] === Op.Exit) break;
  try {
    const k = control[Control.Output]!;
    const [hist, start, end] = [control[Control.Hist]!, control[Control.Start]!, control[Control.End]!];
    kernels.fill(codes, cols, hist, g[k]!, h[k]!, order, start, end, f0, f1);
  } catch {
    Atomics.store(control, Control.Failed, 1);
  }
  finish();
}
