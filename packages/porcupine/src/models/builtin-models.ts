import { InvalidOptionError } from "../errors.js";
import type { BuiltinModelName, Model, PortableModel } from "../model.js";
import { etcdModel } from "./etcd-model.js";
import { kvModel } from "./kv-model.js";
import { type RegisterValue, registerModel } from "./register-model.js";

/** Names of the built-in models, as the CLI's `--model` accepts them. */
export const BUILTIN_MODEL_NAMES: readonly BuiltinModelName[] = ["kv", "etcd", "register"];

/** True when `name` names a built-in model. */
export function isBuiltinModelName(name: string): name is BuiltinModelName {
  return (BUILTIN_MODEL_NAMES as readonly string[]).includes(name);
}

/** Builds a built-in model by name (how worker threads and the CLI get their models). */
export function builtinModel(
  name: BuiltinModelName,
  options: Extract<PortableModel, { kind: "builtin" }>["options"] = {},
): Model<unknown, unknown, unknown> {
  switch (name) {
    case "kv":
      return kvModel() as Model<unknown, unknown, unknown>;
    case "etcd":
      return etcdModel() as Model<unknown, unknown, unknown>;
    case "register": {
      const initial = options.initial;
      return registerModel<RegisterValue>(initial === undefined ? {} : { initial }) as Model<
        unknown,
        unknown,
        unknown
      >;
    }
    default:
      throw new InvalidOptionError(
        `unknown model ${JSON.stringify(name)}; expected one of ${BUILTIN_MODEL_NAMES.join(", ")}`,
      );
  }
}
