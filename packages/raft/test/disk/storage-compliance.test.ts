import { join } from "node:path";
import { afterAll, afterEach, describe, it } from "vitest";
import { DiskStorage, type DiskStorageOptions } from "../../src/disk/index.js";
import { MemoryStorage, type Storage } from "../../src/index.js";
import { type StorageHarness, storageComplianceCases } from "../../src/testing/index.js";
import { TmpDirs } from "./tmp-dirs.js";

const dirs = new TmpDirs();
afterAll(() => dirs.cleanup());

function memoryHarness(): StorageHarness {
  return {
    name: "MemoryStorage",
    open: () => new MemoryStorage(),
    reopen: (s) => (s as MemoryStorage).crash(),
    close: async () => {},
  };
}

/** A DiskStorage in a fresh directory; a restart closes it and opens the directory again. */
function diskHarness(options: DiskStorageOptions): StorageHarness {
  const dir = join(dirs.make(), "storage");
  let current: DiskStorage | undefined;
  return {
    name: `DiskStorage(${JSON.stringify(options)})`,
    open: async () => {
      current = await DiskStorage.open(dir, options);
      return current;
    },
    reopen: async (s: Storage) => {
      await (s as DiskStorage).close();
      current = await DiskStorage.open(dir, options);
      return current;
    },
    close: async () => {
      await current?.close();
    },
  };
}

const harnesses: [string, () => StorageHarness][] = [
  ["MemoryStorage", memoryHarness],
  ["DiskStorage (async io)", () => diskHarness({})],
  ["DiskStorage (sync io)", () => diskHarness({ io: "sync" })],
  // Tiny segments: every case crosses segment boundaries.
  ["DiskStorage (4 KiB segments)", () => diskHarness({ segmentBytes: 4096 })],
];

for (const [label, make] of harnesses) {
  describe(`storage compliance: ${label}`, () => {
    let harness: StorageHarness | undefined;
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });
    for (const c of storageComplianceCases) {
      it(c.name, async () => {
        harness = make();
        await c.run(harness);
      });
    }
  });
}
