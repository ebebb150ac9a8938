import type { MapReduceApp } from "../app.js";
import * as crash from "./crash.js";
import * as earlyExit from "./early-exit.js";
import * as indexer from "./indexer.js";
import * as jobcount from "./jobcount.js";
import * as mtiming from "./mtiming.js";
import * as nocrash from "./nocrash.js";
import * as rtiming from "./rtiming.js";
import * as wc from "./wc.js";

/** The applications that ship with the package, by the names the course gives them. */
export const shippedApps = {
  wc,
  indexer,
  mtiming,
  rtiming,
  jobcount,
  early_exit: earlyExit,
  crash,
  nocrash,
} as const satisfies Record<string, MapReduceApp>;

/** Name of a shipped application. */
export type ShippedAppName = keyof typeof shippedApps;

/** Names of the shipped applications, in the order above. */
export const shippedAppNames = Object.keys(shippedApps) as ShippedAppName[];

/** True when `name` names a shipped application. */
export function isShippedAppName(name: string): name is ShippedAppName {
  return Object.hasOwn(shippedApps, name);
}
