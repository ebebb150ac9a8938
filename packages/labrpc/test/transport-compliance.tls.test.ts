import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { createTcpHarness, transportComplianceCases } from "../src/testing/index.js";

/** A self-signed certificate for 127.0.0.1, made with the machine's openssl for this run. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "labrpc-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "2",
        "-subj",
        "/CN=labrpc test",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "pipe" },
    );
    return {
      key: readFileSync(join(dir, "key.pem"), "utf8"),
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The whole transport contract again, over TLS with the same framing.
describe("transport compliance: TCP over TLS", () => {
  const { key, cert } = selfSignedCertificate();
  // A generous connect timeout: on a loaded machine a TLS handshake is the slow part of a case.
  const harness = createTcpHarness({
    connectTimeoutMs: 30_000,
    tls: { server: { key, cert }, client: { ca: cert } },
  });
  afterAll(() => harness.close());
  for (const c of transportComplianceCases) {
    it(c.name, () => c.run(harness));
  }
});
