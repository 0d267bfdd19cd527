/**
 * The training charts' data, kept in the shape uPlot draws without copying: one x array (the steps)
 * and one y array per series, all the same length, `null` where a series has no point at that step
 * (validation runs only every few steps). Progress brings new points only; `add` appends them in
 * place, so a progress costs what it brings, not what the run has seen.
 *
 * Steps nearly always arrive in order; a resumed run's first progress may repeat the validations
 * before it, which are merged into their rows (or inserted where they belong), never duplicated.
 */
import type { CurvePoint } from '../../../app/contract/api';

export class AlignedCurves {
  readonly x: number[] = [];
  readonly ys: (number | null)[][];
  /** Reference lines: drawn as series constant over every step, filled as rows are added. */
  readonly #constants: (number | null)[];
  readonly #points: number;

  constructor(series: number, constants: (number | null)[] = []) {
    this.#points = series;
    this.ys = Array.from({ length: series + constants.length }, () => []);
    this.#constants = [...Array<null>(series).fill(null), ...constants];
  }

  /** The data as uPlot takes it: `[x, ...ys]` (the same arrays, not copies). */
  get data(): [number[], ...(number | null)[][]] {
    return [this.x, ...this.ys];
  }

  get length(): number {
    return this.x.length;
  }

  /** Sets a reference line (a constant series, by its index after the point series). */
  setConstant(index: number, value: number | null): void {
    const series = this.#points + index;
    this.#constants[series] = value;
    this.ys[series].fill(value);
  }

  /** Adds points to series `series`; false when there were none (nothing to redraw). */
  add(series: number, points: readonly CurvePoint[]): boolean {
    for (const { step, value } of points) this.ys[series][this.#row(step)] = value;
    return points.length > 0;
  }

  clear(): void {
    this.x.length = 0;
    for (const y of this.ys) y.length = 0;
  }

  /** The row of `step`, made when the step is new. */
  #row(step: number): number {
    const last = this.x.length - 1;
    if (last < 0 || step > this.x[last]) return this.#insert(this.x.length, step);
    if (step === this.x[last]) return last;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.x[mid] < step) lo = mid + 1;
      else hi = mid;
    }
    return this.x[lo] === step ? lo : this.#insert(lo, step);
  }

  #insert(at: number, step: number): number {
    if (at === this.x.length) {
      this.x.push(step);
      this.ys.forEach((y, i) => y.push(this.#constants[i]));
    } else {
      this.x.splice(at, 0, step);
      this.ys.forEach((y, i) => y.splice(at, 0, this.#constants[i]));
    }
    return at;
  }
}
