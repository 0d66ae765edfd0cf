/** Where a command writes: plain lines for people, or one JSON document with `--json`. */
export interface Output {
  readonly json: boolean;
  /** A line for people (suppressed with --json). */
  line(text: string): void;
  /** The command's result: printed as JSON with --json, else through `format`. */
  result(value: unknown, format?: (value: unknown) => string): void;
}

export function createOutput(json: boolean, stream: NodeJS.WriteStream = process.stdout): Output {
  return {
    json,
    line: (text) => {
      if (!json) stream.write(`${text}\n`);
    },
    result: (value, format) => {
      stream.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${format ? format(value) : String(value)}\n`);
    },
  };
}

/** A progress bar on a TTY (redrawn in place), plain milestone lines elsewhere (every 25%). */
export function progress(
  label: string,
  out: Output,
  stream: NodeJS.WriteStream = process.stderr,
): (done: number, total: number, detail?: string) => void {
  let lastQuarter = -1;
  return (done, total, detail) => {
    if (out.json) return;
    const share = total > 0 ? done / total : 1;
    const suffix = detail ? ` ${detail}` : '';
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(share * width);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${suffix}\x1b[K${done === total ? '\n' : ''}`,
      );
      return;
    }
    const quarter = Math.floor(share * 4);
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      stream.write(`${label}: ${done}/${total}${suffix}\n`);
    }
  };
}

/** `1 model version`, `2 model versions`: a count and its noun (plural with `s`). */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
