#!/usr/bin/env node
/**
 * The `kvraft-stress` command (`pnpm --filter @lab/kvraft stress:kvraft`): the course's kvraft
 * scenarios (lab 4A and 4B) over many seeds. Everything lives in `runStressCli`.
 */
import { runStressMain } from "./stress/stress-main.js";
import { kvraftSuite } from "./stress/stress-suite.js";

runStressMain(kvraftSuite);
