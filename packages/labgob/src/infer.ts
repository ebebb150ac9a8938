import type { Codec } from "./codec.js";
import type { Kind } from "./kind.js";

/**
 * The TypeScript type carried by a codec or a kind.
 *
 * @example
 * const Vote = message("Vote", { term: field.uint(1), granted: field.bool(2) });
 * type Vote = Infer<typeof Vote>; // { term: number; granted: boolean }
 */
export type Infer<C> = C extends Codec<infer T> ? T : C extends Kind<infer T> ? T : never;
