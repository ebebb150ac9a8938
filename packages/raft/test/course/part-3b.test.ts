import { describe } from "vitest";
import { part3B } from "../../src/testing/scenarios/part-3b.js";
import { defineCourseTests } from "./course-seeds.js";

describe("course Raft suite, part 3B", () => {
  defineCourseTests(part3B, 3);
});
