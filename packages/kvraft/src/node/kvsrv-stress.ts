#!/usr/bin/env node
/**
 * The `kvsrv-stress` command (`pnpm --filter @lab/kvraft stress:kvsrv`): the course's kvsrv
 * scenarios over many seeds. Everything lives in `runStressCli`.
 */
import { runStressMain } from "./stress/stress-main.js";
import { kvsrvSuite } from "./stress/stress-suite.js";

runStressMain(kvsrvSuite);
