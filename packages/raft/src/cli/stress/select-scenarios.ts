import type { RaftScenario } from "../../testing/scenarios/types.js";
import { UsageError } from "../exit-codes.js";
import type { ScenarioSelection } from "./stress-args.js";

/**
 * The scenarios a selection names, in registry order: every `--scenario` plus every scenario of
 * each `--part`, or the whole registry when neither is given. An unknown name, or a selection
 * that comes out empty, is a {@link UsageError} whose message lists the registry's names.
 */
export function selectScenarios(
  registry: readonly RaftScenario[],
  selection: ScenarioSelection,
): RaftScenario[] {
  const unknown = selection.names.filter((name) => !registry.some((s) => s.name === name));
  if (unknown.length > 0) {
    const list = unknown.map((n) => `"${n}"`).join(", ");
    throw new UsageError(
      `unknown scenario${unknown.length > 1 ? "s" : ""} ${list}\n${scenarioList(registry)}`,
    );
  }
  const all = selection.names.length === 0 && selection.parts.length === 0;
  const chosen = registry.filter(
    (s) => all || selection.names.includes(s.name) || selection.parts.some((p) => p === s.part),
  );
  if (chosen.length === 0) {
    const what = all
      ? "the registry is empty"
      : `no scenario in part ${selection.parts.join(", ")}`;
    throw new UsageError(`nothing to run: ${what}\n${scenarioList(registry)}`);
  }
  return chosen;
}

/** The registry's scenario names with their titles, one per line, for usage errors. */
export function scenarioList(registry: readonly RaftScenario[]): string {
  if (registry.length === 0) return "Scenarios: (none registered)";
  const width = Math.max(...registry.map((s) => s.name.length));
  return `Scenarios:\n${registry.map((s) => `  ${s.name.padEnd(width)}  ${s.title}`).join("\n")}`;
}
