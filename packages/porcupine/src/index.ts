export { checkEvents, checkEventsSync } from "./checker/check-events.js";
export { checkOperations, checkOperationsSync } from "./checker/check-operations.js";
export type { CheckOptions } from "./checker/check-options.js";
export type {
  CheckResult,
  PartialLinearization,
  PartitionResult,
  UnknownReason,
  Verdict,
} from "./checker/check-result.js";
export { type CliIo, type CliJsonLine, runCli } from "./cli/run-cli.js";
export {
  HistoryParseError,
  InvalidHistoryError,
  InvalidOptionError,
  isPorcupineError,
  ModelContractError,
  PorcupineError,
  type PorcupineErrorClass,
  WorkerFailureError,
} from "./errors.js";
export { eventsToOperations } from "./events-to-operations.js";
export { etcdJsonCodec, kvJsonCodec, registerJsonCodec } from "./formats/builtin-codecs.js";
export { type JsonCodec, JsonShapeError } from "./formats/json-codec.js";
export {
  detectFormat,
  HISTORY_FORMATS,
  type HistoryFormat,
  type LoadedHistory,
  type ParseHistoryOptions,
  parseHistory,
} from "./formats/parse-history.js";
export { parseJepsenEtcdLog } from "./formats/parse-jepsen-etcd-log.js";
export {
  type JsonLinesHeader,
  parseJsonLines,
  readJsonLinesHeader,
} from "./formats/parse-json-lines.js";
export { parseKvLog } from "./formats/parse-kv-log.js";
export {
  type CallEvent,
  type ClientId,
  type HistoryEvent,
  type Operation,
  type ReturnEvent,
  UNKNOWN_OUTPUT,
  type UnknownOutput,
} from "./history.js";
export {
  type BuiltinModelName,
  ILLEGAL,
  type Illegal,
  isNextStates,
  type Model,
  type NextStates,
  nextStates,
  type PortableModel,
  type StepResult,
} from "./model.js";
export { BUILTIN_MODEL_NAMES, builtinModel, isBuiltinModelName } from "./models/builtin-models.js";
export { type EtcdInput, type EtcdOutput, type EtcdState, etcdModel } from "./models/etcd-model.js";
export { type KvInput, type KvOutput, type KvState, kvModel } from "./models/kv-model.js";
export {
  type RegisterInput,
  type RegisterModelOptions,
  type RegisterOutput,
  type RegisterValue,
  registerModel,
} from "./models/register-model.js";
export { renderHtmlReport } from "./report/render-html-report.js";
export type {
  ReportHistory,
  ReportInput,
  ReportOperation,
  ReportPartial,
  ReportPartition,
} from "./report/report-data.js";
