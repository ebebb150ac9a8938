export type { Codec, CodecType } from "./codec.js";
export type { LabErrorClass } from "./lab-error.js";
export { isLabError, LabError } from "./lab-error.js";
