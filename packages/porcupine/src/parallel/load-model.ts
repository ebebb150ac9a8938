import { WorkerFailureError } from "../errors.js";
import type { Model, PortableModel } from "../model.js";
import { builtinModel } from "../models/builtin-models.js";

/** Rebuilds a model from its portable reference (inside a worker thread). */
export async function loadPortableModel(
  ref: PortableModel,
): Promise<Model<unknown, unknown, unknown>> {
  if (ref.kind === "builtin") return builtinModel(ref.name, ref.options);
  const namespace = (await import(ref.url)) as Record<string, unknown>;
  const exported = namespace[ref.exportName];
  const model = typeof exported === "function" ? (exported as () => unknown)() : exported;
  if (
    typeof model !== "object" ||
    model === null ||
    typeof (model as { step?: unknown }).step !== "function"
  ) {
    throw new WorkerFailureError(
      `export ${JSON.stringify(ref.exportName)} of ${ref.url} is neither a model nor a function returning one`,
    );
  }
  return model as Model<unknown, unknown, unknown>;
}
