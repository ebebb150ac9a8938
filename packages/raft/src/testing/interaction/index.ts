/**
 * Data-driven interaction tests for {@link RaftCore}: a script of commands, each followed by
 * the output it must produce, run against cores wired by a network the script drives by hand.
 * See `testdata/interaction/*.txt` in the package for examples and README for the language.
 */
export { CommandLine } from "./command-line.js";
export { type InteractionCommand, interactionCommands, runCommand } from "./commands.js";
export { InteractionScriptError } from "./errors.js";
export { type ClusterSettings, InteractionEnv } from "./interaction-env.js";
export { InteractionNode } from "./interaction-node.js";
export { diffLines } from "./line-diff.js";
export {
  formatMismatch,
  type InteractionMismatch,
  type InteractionScriptResult,
  runInteractionScript,
} from "./run-script.js";
export { parseScript, renderScript, type Script, type ScriptBlock } from "./script.js";
