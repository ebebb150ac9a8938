import { RpcUsageError } from "../errors.js";

/** Where a TCP server listens: `"host:port"` (IPv6 as `"[::1]:port"`) or an object. */
export type TcpAddress = string | { readonly host: string; readonly port: number };

/** A parsed, validated {@link TcpAddress}. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses and validates an address; throws `RpcUsageError` for a malformed one. */
export function parseAddress(address: TcpAddress): HostPort {
  if (typeof address !== "string") {
    return { host: checkHost(address.host, address), port: checkPort(address.port, address) };
  }
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(address);
  const plain = bracketed === null ? /^([^:]+):(\d+)$/.exec(address) : null;
  const match = bracketed ?? plain;
  if (match === null) {
    throw new RpcUsageError(
      `TCP address "${address}" is not "host:port" (write IPv6 hosts as "[::1]:port")`,
    );
  }
  return { host: match[1] as string, port: checkPort(Number(match[2]), address) };
}

/** Formats an address as `host:port`, bracketing IPv6 hosts. */
export function formatAddress({ host, port }: HostPort): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Validates a port; 0 is allowed (it asks the system for an ephemeral port when listening). */
export function checkPort(port: unknown, where: unknown): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RpcUsageError(`port ${String(port)} of ${JSON.stringify(where)} is not in 0..65535`);
  }
  return port;
}

function checkHost(host: unknown, where: unknown): string {
  if (typeof host !== "string" || host.length === 0) {
    throw new RpcUsageError(`host of ${JSON.stringify(where)} must be a non-empty string`);
  }
  return host;
}
