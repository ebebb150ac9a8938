import { LabError } from "@lab/labgob";

/**
 * A frame is larger than the connection allows: either a peer announced a frame above
 * `maxFrameBytes` (the connection is closed), or a call's request would not fit in one frame
 * (the call rejects before anything is sent).
 */
export class FrameTooLargeError extends LabError {
  static override readonly code: string = "LAB_RPC_FRAME_TOO_LARGE";
  constructor(
    /** Size of the offending frame in bytes, length prefix included. */
    readonly frameBytes: number,
    /** The limit it broke. */
    readonly maxFrameBytes: number,
    /** Where it happened, e.g. `"from 127.0.0.1:51234"` or `"request Echo.Say"`. */
    readonly where: string,
  ) {
    super(`frame of ${frameBytes} bytes ${where} exceeds the maximum of ${maxFrameBytes} bytes`);
  }
}

/**
 * Bytes on a connection are not a valid labrpc frame stream: an unknown frame kind, a header
 * that does not fit its frame, a frame of the wrong direction, or a connection that ended in the
 * middle of a frame. The connection that carried them is closed.
 */
export class FrameCorruptError extends LabError {
  static override readonly code: string = "LAB_RPC_FRAME_CORRUPT";
}
