/** Intermediate file of map task `mapTask` for reduce task `reduceTask`: `mr-X-Y`, as in the course. */
export function intermediateName(mapTask: number, reduceTask: number): string {
  return `mr-${mapTask}-${reduceTask}`;
}

/** Output file of reduce task `reduceTask`: `mr-out-Y`, as in the course. */
export function outputName(reduceTask: number): string {
  return `mr-out-${reduceTask}`;
}

/** True for a final output file name (`mr-out-<n>`). */
export function isOutputName(name: string): boolean {
  return /^mr-out-\d+$/.test(name);
}
