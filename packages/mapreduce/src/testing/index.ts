export {
  type CaseContext,
  referenceOutput,
  type StartedCoordinator,
  startCoordinator,
  startWorker,
} from "./case-context.js";
export {
  CliProcess,
  type CliProcessOptions,
  describeExit,
  type ExitStatus,
} from "./cli-process.js";
export { courseScriptCases, type ScriptCase } from "./course-script.js";
export { gutenbergFiles } from "./gutenberg.js";
export { expectSameLines, sortedOutputLines } from "./output.js";
export {
  type CaseResult,
  runCourseScript,
  runScriptCase,
  type ScriptOptions,
  selectCases,
} from "./run-script.js";
export { ScriptCaseError } from "./script-error.js";
export { ciSettings, courseSettings, type ScriptSettings } from "./settings.js";
