/**
 * The one place protobufjs is imported.
 *
 * protobufjs is a CommonJS package whose `module.exports` is built at run time, so Node's ESM
 * loader cannot see named exports in it: `import { Writer } from "protobufjs"` fails under
 * Node ESM. The default import is the whole `module.exports` in both the ESM build (Node's CJS
 * interop) and the CJS build (tsup's `__toESM` wrapper). `protobufjs/light` is the reflection
 * runtime without the `.proto` parser, which we do not need.
 */
import protobuf from "protobufjs/light.js";

export default protobuf;
