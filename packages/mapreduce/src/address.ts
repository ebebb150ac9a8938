import { MapReduceUsageError } from "./errors.js";

/** A TCP address the coordinator listens on or a worker dials. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Where `mapreduce worker` looks for a coordinator when no `--coordinator` is given. */
export const DEFAULT_COORDINATOR_ADDRESS = "127.0.0.1:5840";

/**
 * Parses `host:port` (IPv6 as `[::1]:port`); a bare port means `127.0.0.1:port`.
 * @throws MapReduceUsageError for anything else.
 */
export function parseEndpoint(text: string): Endpoint {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  const bare = match === null ? /^(\d+)$/.exec(text) : null;
  const host = match !== null ? (match[1] as string) : "127.0.0.1";
  const port = Number(match !== null ? match[2] : bare?.[1]);
  if ((match === null && bare === null) || !Number.isInteger(port) || port > 65535) {
    throw new MapReduceUsageError(
      `${JSON.stringify(text)} is not an address: expected host:port (e.g. 127.0.0.1:5840, [::1]:5840) or a port`,
    );
  }
  return { host, port };
}

/** `host:port`, with IPv6 hosts in brackets. */
export function formatEndpoint({ host, port }: Endpoint): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
