import type { Codec } from "@lab/labgob";
import { ServiceDefinitionError } from "./errors.js";

/**
 * One RPC method: its wire name (`"Raft.AppendEntries"`) and the codecs of its request and reply.
 * Client and server share the descriptor, so both sides agree on the encoding by construction.
 */
export interface MethodDescriptor<Req, Rep> {
  /** Service name, e.g. `"Raft"`. */
  readonly service: string;
  /** Method name within the service, e.g. `"AppendEntries"`. */
  readonly method: string;
  /** `service + "." + method`: the name that travels on the wire. */
  readonly fullName: string;
  readonly request: Codec<Req>;
  readonly reply: Codec<Rep>;
}

/**
 * A codec of any value type. `Codec<never>` would not do: a `Codec<T>` is not assignable to it,
 * because `decode` returns `T` (covariant), so no concrete codec would fit the constraint.
 */
interface SomeCodec {
  readonly name: string;
  encode(value: never): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

/** The request and reply codecs of each method of a service, as passed to {@link defineService}. */
export type MethodCodecs = Readonly<
  Record<string, { readonly request: SomeCodec; readonly reply: SomeCodec }>
>;

type RequestOf<C> = C extends { request: Codec<infer Req> } ? Req : never;
type ReplyOf<C> = C extends { reply: Codec<infer Rep> } ? Rep : never;

/** A named group of methods, created by {@link defineService}. */
export interface ServiceDescriptor<M extends MethodCodecs = MethodCodecs> {
  readonly name: string;
  readonly methods: {
    readonly [K in keyof M & string]: MethodDescriptor<RequestOf<M[K]>, ReplyOf<M[K]>>;
  };
}

/** What a handler learns about the call it serves. */
export interface CallContext {
  /** Full method name, e.g. `"Raft.AppendEntries"`. */
  readonly method: string;
  /** Name of the calling end where the transport knows it (the simulated network does). */
  readonly caller?: string;
}

/** The handlers of a service: one function per method, sync or async. */
export type ServiceImpl<S extends ServiceDescriptor> = {
  readonly [K in keyof S["methods"]]: S["methods"][K] extends MethodDescriptor<infer Req, infer Rep>
    ? (request: Req, context: CallContext) => Rep | Promise<Rep>
    : never;
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Declares a service once, for both sides.
 *
 * @example
 * const Echo = defineService("Echo", { Say: { request: valueCodec, reply: valueCodec } });
 * server.addService(Echo, { Say: (x) => x });
 * const result = await end.call(Echo.methods.Say, "hi");
 */
export function defineService<M extends MethodCodecs>(
  name: string,
  methods: M,
): ServiceDescriptor<M> {
  if (!NAME.test(name)) {
    throw new ServiceDefinitionError(`service name "${name}" must be an identifier`);
  }
  const out: Record<string, MethodDescriptor<unknown, unknown>> = {};
  for (const [method, codecs] of Object.entries(methods)) {
    if (!NAME.test(method)) {
      throw new ServiceDefinitionError(`method name "${name}.${method}" must be an identifier`);
    }
    out[method] = Object.freeze({
      service: name,
      method,
      fullName: `${name}.${method}`,
      request: codecs.request as Codec<unknown>,
      reply: codecs.reply as Codec<unknown>,
    });
  }
  return Object.freeze({ name, methods: Object.freeze(out) }) as unknown as ServiceDescriptor<M>;
}
